from django.urls import path

from . import views

urlpatterns = [
    path("compare/", views.plan_compare, name="plan-compare"),
    path("compare/xlsx/", views.plan_compare_xlsx, name="plan-compare-xlsx"),
]
