from django.urls import path

from . import views_figures as views

urlpatterns = [
    path("", views.indicator_list, name="indicator-list"),
    path("bindings/", views.indicator_bindings, name="indicator-bindings"),
    path("<str:code>/", views.indicator_detail, name="indicator-detail"),
]
