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
from ..schemas import ApiTokenOut, ErrorOut, LoginIn, MeOut, PathId, TokenOut, UnitOut, error_body

router = Router(tags=["account 账号"])


@router.post("/login", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
             summary="登录，取得接口令牌 / log in for an API token")
def login(request: HttpRequest, credentials: LoginIn) -> Status:
    """Wrong password: 401. Repeated failures lock the username from this address, and many
    failures across usernames the address itself (django-axes): 429. The token expires after
    ``EDUPLAN_API_TOKEN_DAYS`` days, and when the user's password changes."""
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if getattr(request, "axes_locked_out", False):
        # Answer in JSON here; left set, the flag makes AxesMiddleware swap in its HTML page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        return Status(429, error_body(Errors.E503))
    if user is None:
        return Status(401, error_body(Errors.E502))
    row, key = ApiToken.create_for(user)
    return Status(200, {"token": key, "expires_at": row.expires_at})


@router.post("/logout", response={204: None, 401: ErrorOut},
             summary="注销：作废本令牌（会话方式则退出登录） / revoke this token, or end the session")
def logout_(request: HttpRequest) -> Status:
    token = getattr(request, "api_token", None)
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).delete()
    else:
        logout(request)
    return Status(204, None)


@router.get("/tokens", response={200: list[ApiTokenOut], 401: ErrorOut},
            summary="我的接口令牌（未过期的） / my API tokens that still work")
def tokens(request: HttpRequest) -> list[dict]:
    used = getattr(request, "api_token", None)
    return [{"id": row.pk, "created_at": row.created_at, "last_used_at": row.last_used_at,
             "expires_at": row.expires_at, "current": used is not None and row.pk == used.pk}
            for row in ApiToken.objects.valid().filter(user=current_user(request))]


@router.delete("/tokens/{token_id}", response={204: None, 401: ErrorOut, 404: ErrorOut},
               summary="作废我的一个接口令牌 / revoke one of my API tokens")
def revoke_token(request: HttpRequest, token_id: PathId) -> Status:
    """Only the caller's own tokens: anyone else's answers 404, as one that does not exist."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=current_user(request)).delete()
    if not deleted:
        return Status(404, error_body(Errors.E445, token=token_id))
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
