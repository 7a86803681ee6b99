"""Every error under /api/ is JSON ``{code, message}``, also those ninja or Django answer themselves.

ninja's exception handlers (``eduplan.api.api``) cover what an endpoint raises; this module
covers the rest: an unknown /api/ path (Django's resolver), a method an endpoint does not
take (ninja answers 405 in plain text) and errors Django turns into pages outside any
endpoint (``handler400``… in ``eduplan.config.urls``, which keep Django's pages elsewhere).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from eduplan.errors import Errors

from .schemas import error_body

API_PREFIX = "/api/"


def json_error(http_status: int, error: Errors, /, **values: object) -> JsonResponse:
    return JsonResponse(error_body(error, **values), status=http_status, json_dumps_params={"ensure_ascii": False})


def generic_error(request: HttpRequest, status: int, reason: str = "") -> JsonResponse:
    """The JSON answer for an HTTP error that has no more specific code."""
    path = request.path
    if status == 401:
        return json_error(status, Errors.E501)
    if status == 403:
        return json_error(status, Errors.E504, reason=reason or "权限不足")
    if status == 404:
        return json_error(status, Errors.E450, path=path)
    if status >= 500:
        return json_error(status, Errors.E452)
    return json_error(status, Errors.E453, status=status, reason=reason or "请求有误")


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap one of ninja's URL views: an error it answers in plain text becomes JSON."""

    @functools.wraps(view)  # keeps ``csrf_exempt``: ninja checks CSRF itself
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code < 400 or _is_json(response) or getattr(response, "streaming", False):
            return response
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            replacement = json_error(405, Errors.E451, path=request.path, method=request.method,
                                     allowed=allowed or "—")
            replacement["Allow"] = allowed
            return replacement
        return generic_error(request, response.status_code)

    return wrapped


@csrf_exempt  # an unknown path is a 404 whatever the method, not a CSRF page
def not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Any /api/ path no endpoint takes (also ``/api/tasks/-1``: ids are positive)."""
    return json_error(404, Errors.E450, path=request.path)


# ---------------------------------------------------------------- Django's error views

def _api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return generic_error(request, 400, str(exception or "") or "请求有误")
    return defaults.bad_request(request, exception)


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return generic_error(request, 403, str(exception or ""))
    return defaults.permission_denied(request, exception)


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return generic_error(request, 404)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if _api(request):
        return generic_error(request, 500)
    return defaults.server_error(request)

