from django.urls import path

from . import views

urlpatterns = [
    path("bulletin/", views.bulletin, name="bulletin"),
]
