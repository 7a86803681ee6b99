from django.contrib import admin
from django.urls import include, path

from eduplan.favicon import favicon
from eduplan.security.reset import ThrottledPasswordResetView

# Under /api/ errors are JSON; elsewhere these are Django's own pages.
handler400 = "eduplan.api.failures.handler400"
handler403 = "eduplan.api.failures.handler403"
handler404 = "eduplan.api.failures.handler404"
handler500 = "eduplan.api.failures.handler500"

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Before Django's own: the reset form builds links from EDUPLAN_SITE_URL and is throttled.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("eduplan.api.urls")),
    path("", include("eduplan.dashboard.urls")),
    path("", include("eduplan.tracking.urls")),
    path("", include("eduplan.reports.urls")),
    path("data/", include("eduplan.indicators.urls_data")),
    path("data/sheets/", include("eduplan.indicators.urls_sheets")),
    path("indicators/", include("eduplan.indicators.urls_figures")),
    path("balance/", include("eduplan.balance.urls")),
    path("supervision/", include("eduplan.supervision.urls")),
]
