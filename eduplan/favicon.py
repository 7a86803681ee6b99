"""/favicon.ico: browsers ask for it at the root on every site, pages or not (the admin, error
pages), so it is answered here rather than with a 404 in every log."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, HttpRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON = Path(__file__).parent / "static" / "eduplan" / "favicon.ico"


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request: HttpRequest) -> FileResponse:
    return FileResponse(ICON.open("rb"), content_type="image/vnd.microsoft.icon")
