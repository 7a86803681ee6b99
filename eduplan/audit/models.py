from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One change. Written by ``eduplan.audit.record`` inside the change's own transaction."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    action = models.CharField("操作", max_length=40)
    model = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40, db_index=True)
    object_repr = models.CharField("对象", max_length=200)
    changes = models.JSONField("变更（前 → 后）", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")


class ChangeCounter(models.Model):
    """Counts recorded changes, one row per bureau (``scope`` is the bureau's id) and one row
    (scope 0) for changes that belong to no single bureau. Bumped with UPDATE inside each
    change's transaction, so a committed value grows in commit order: a cache keyed on it
    never serves figures that miss a committed change (audit ids are taken before commit, so
    the newest id could run ahead of a slower transaction that took a smaller one). One row
    per bureau means a report in one district neither invalidates another district's pages
    nor waits for another district's writes on the same row. The row of a bureau's negated id
    counts its structural changes only (``audit.log.structure_version``)."""

    scope = models.BigIntegerField(default=0, unique=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "变更计数"
