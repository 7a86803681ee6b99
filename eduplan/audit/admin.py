from django.contrib import admin

from .log import record, snapshot
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "model", "object_repr")
    list_filter = ("action", "model")
    search_fields = ("object_repr", "user__username")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes go into the audit log."""

    def save_model(self, request, obj, form, change) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        request._audit_pending = (before, "update" if change else "create")  # admins are shared: keep it on the request

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        before, action = getattr(request, "_audit_pending", ({}, "update"))
        record(request.user, f"admin.{action}", form.instance, before, snapshot(form.instance))

    def delete_model(self, request, obj) -> None:
        record(request.user, "admin.delete", obj, snapshot(obj), {})
        super().delete_model(request, obj)
