from django.urls import path

from . import views, views_trends, views_units

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("trends/", views_trends.trends, name="trends"),
    path("units/<int:pk>/", views_units.unit_detail, name="unit-detail"),
]
