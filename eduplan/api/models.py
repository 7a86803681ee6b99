from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_expiry() -> datetime:
    """When a token issued now stops working (``EDUPLAN_API_TOKEN_DAYS``)."""
    return timezone.now() + timedelta(days=settings.EDUPLAN_API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def valid(self) -> ApiTokenQuerySet:
        return self.filter(expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token for scripts; only its hash is stored. It expires, and goes when its user's
    password changes (``eduplan.api.signals``) or its user logs out with it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", default=default_expiry, db_index=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} 的令牌 #{self.pk}"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @classmethod
    def issue(cls, user) -> str:
        """Create a token and return its key; the key itself is never stored."""
        return cls.create_for(user)[1]

    @classmethod
    def create_for(cls, user) -> tuple[ApiToken, str]:
        """A new token for ``user`` and its key; the user's expired tokens are dropped on the way."""
        cls.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
        key = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_hash=hash_key(key)), key
