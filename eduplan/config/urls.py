from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("eduplan.api.urls")),
    path("", include("eduplan.dashboard.urls")),
    path("", include("eduplan.tracking.urls")),
    path("", include("eduplan.reports.urls")),
]
