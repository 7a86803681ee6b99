"""Signing in and out, who am I, and the org units within my scope."""

from __future__ import annotations

from django.contrib.auth import authenticate, logout
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status

from eduplan.errors import Errors
from eduplan.orgs.access import scope_for
from eduplan.orgs.models import Membership, OrgUnit

from ..auth import current_user
from ..models import ApiToken
from ..schemas import ErrorOut, LoginIn, MeOut, TokenOut, UnitOut, error_body

router = Router(tags=["account 账号"])


@router.post("/login", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
             summary="登录，取得接口令牌 / log in for an API token")
def login(request: HttpRequest, credentials: LoginIn) -> Status:
    """Wrong password: 401. Repeated failures lock the username from this address (django-axes): 429."""
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if getattr(request, "axes_locked_out", False):
        # Answer in JSON here; left set, the flag makes AxesMiddleware swap in its HTML page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        return Status(429, error_body(Errors.E503))
    if user is None:
        return Status(401, error_body(Errors.E502))
    return Status(200, {"token": ApiToken.issue(user)})


@router.post("/logout", response={204: None, 401: ErrorOut},
             summary="注销：作废本令牌（会话方式则退出登录） / revoke this token, or end the session")
def logout_(request: HttpRequest) -> Status:
    token = getattr(request, "api_token", None)
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).delete()
    else:
        logout(request)
    return Status(204, None)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="当前用户 / who am I")
def me(request: HttpRequest) -> dict:
    user = current_user(request)
    scope = scope_for(user)
    membership = Membership.objects.select_related("unit").filter(user=user).first()
    unit = membership.unit if membership else None
    return {
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "role": scope.role,
        "role_label": Membership.Role(scope.role).label if scope.role else "无权限",
        "unit": {"id": unit.pk, "name": unit.name} if unit else None,
        "superuser": user.is_superuser,
        "can_report": scope.can_report,
        "can_assign": scope.can_assign,
        "can_import": scope.can_import,
    }


@router.get("/units", response={200: list[UnitOut], 401: ErrorOut},
            summary="我的范围内的组织单位 / org units within my scope")
def units(request: HttpRequest) -> list[OrgUnit]:
    return list(units_in_scope(request))


def units_in_scope(request: HttpRequest) -> QuerySet[OrgUnit]:
    """The caller's unit and everything below it (the whole tree for a superuser without a unit)."""
    scope = scope_for(current_user(request))
    if not scope.can_read:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=scope.unit_path)
