from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/breakdown.xlsx", views.breakdown_export, name="breakdown-export"),
    path("plans/<int:pk>/breakdown/import/", views.breakdown_import, name="breakdown-import"),
    path("plans/<int:pk>/breakdown/import/<uuid:token>/", views.breakdown_import_review,
         name="breakdown-import-review"),
]
