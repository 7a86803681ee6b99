"""Interface tokens in the admin: each staff user sees and revokes their own; a superuser all."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "created_at", "last_used_at", "expires_at", "still_valid")
    list_filter = ("expires_at",)
    readonly_fields = ("user", "created_at", "last_used_at", "expires_at")
    exclude = ("key_hash",)  # a hash is of no use to anyone reading the page

    @admin.display(description="有效", boolean=True)
    def still_valid(self, token: ApiToken) -> bool:
        return not token.expired

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    # Any staff user may look at and revoke their own tokens, without a model permission to grant.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return self._own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return self._own(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a token's key is shown once, by POST /api/login

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @staticmethod
    def _own(request: HttpRequest, obj: ApiToken | None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return obj is None or user.is_superuser or obj.user_id == user.pk
