"""The NinjaAPI object: authentication for every endpoint, and errors as ``{code, message}``.

Errors carry the catalogue's codes (``eduplan.errors``): a service's ``EduplanError`` is a
400 with its own code (a ``Refused`` one 403); no credentials 401 (E501); not allowed 403
(E504, E507 for CSRF); outside the caller's scope 404 (E505); a body that is not JSON 400
(E506); parameters or a body that do not fit the schema 422 (E506); anything unforeseen 500
(E452, logged as Django logs it). ``eduplan.api.failures`` makes the rest JSON too.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import Refused

from .auth import CsrfFailed, SessionAuth, TokenAuth
from .endpoints import account, assignments, dashboard, indicators, plans, tasks
from .schemas import error_body


class ReadableJSON(JSONRenderer):
    """UTF-8 as is: Chinese stays readable in curl output and logs."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="eduplan API",
    version="1",
    description="教育局年度工作要点的任务、分派、进展与预警。用 POST /api/login 取得令牌，"
                "之后每个请求带 Authorization: Bearer <令牌>；浏览器中已登录的会话也可调用（写操作需 CSRF 令牌）。"
                " / Tasks, assignments, progress and warnings of a bureau's work plan. Get a token from "
                "POST /api/login and send Authorization: Bearer <token>; a signed-in browser session works too "
                "(unsafe methods need the CSRF token).",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,  # ninja's Swagger page loads from a CDN; intranets have no internet
    renderer=ReadableJSON(),
    auth=[TokenAuth(), SessionAuth()],  # token first: a script with a token needs no CSRF token
)

for router_module in (account, plans, tasks, assignments, dashboard, indicators):
    api.add_router("", router_module.router)


def _respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(EduplanError)
def on_eduplan_error(request: HttpRequest, exc: EduplanError) -> HttpResponse:
    return _respond(request, 400, {"code": exc.code, "message": str(exc)})


@api.exception_handler(Refused)
def on_refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    return _respond(request, 403, {"code": exc.code, "message": str(exc)})


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _respond(request, 403, error_body(Errors.E504, reason=str(exc) or "权限不足"))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, error_body(Errors.E505, reason=str(exc) or "对象不存在或无权查看"))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _respond(request, 401, error_body(Errors.E501))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(CsrfFailed)
def on_csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
    return _respond(request, 403, error_body(Errors.E507))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals, e.g. a body that is not JSON."""
    by_status = {401: error_body(Errors.E501), 403: error_body(Errors.E504, reason=exc.message),
                 404: error_body(Errors.E505, reason=exc.message), 400: error_body(Errors.E506, detail=exc.message)}
    return _respond(request, exc.status_code, by_status.get(exc.status_code)
                    or error_body(Errors.E453, status=exc.status_code, reason=exc.message))


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in exc.errors]
    summary = "；".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}" for d in detail)
    return _respond(request, 422, error_body(Errors.E506, detail=summary) | {"detail": detail})


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """E.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE, or too many fields: Django's 400."""
    return _respond(request, 400, error_body(Errors.E453, status=400,
                                             reason=f"请求过大或不合规范（{type(exc).__name__}）"))


@api.exception_handler(Exception)
def on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged as Django logs an unhandled exception (mail to ADMINS…), answered in JSON."""
    logging.getLogger("django.request").error("Internal Server Error: %s", request.path, exc_info=exc,
                                              extra={"status_code": 500, "request": request})
    response = _respond(request, 500, error_body(Errors.E452))
    response._has_been_logged = True  # type: ignore[attr-defined]  # logged above: Django would log (and mail) it again
    return response
