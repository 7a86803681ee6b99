from django.urls import path

from . import views

urlpatterns = [
    path("ledger.xlsx", views.ledger_export, name="ledger-export"),
]
