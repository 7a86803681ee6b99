from django.urls import path

from . import views

urlpatterns = [
    path("", views.balance_page, name="balance"),
    path("<int:county_id>/<str:year>/resources.xlsx", views.resource_table, name="balance-resources"),
    path("<int:county_id>/<str:year>/summary.docx", views.summary, name="balance-summary"),
    path("<int:county_id>/upload/", views.upload, name="balance-upload"),
    path("<int:county_id>/<str:year>/checklist/", views.checklist_item, name="balance-checklist"),
]
