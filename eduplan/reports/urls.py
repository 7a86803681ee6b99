from django.urls import include, path

urlpatterns = [
    path("", include("eduplan.reports.breakdown.urls")),
    path("", include("eduplan.reports.ledger.urls")),
    path("", include("eduplan.reports.bulletin.urls")),
    path("", include("eduplan.reports.compare.urls")),
]
