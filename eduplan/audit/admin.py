from django.contrib import admin

from eduplan.orgs.access import scope_for

from .log import record, snapshot
from .models import AuditEntry


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin limited to the signed-in admin's bureau, with every change audited.

    ``scope_lookup`` names the path of the object's org unit, e.g. "bureau__path"; rows
    and foreign-key choices outside the admin's unit are hidden. Superusers see all.
    """

    scope_lookup = ""
    unit_fields: tuple[str, ...] = ()  # foreign keys / m2m to OrgUnit whose choices are limited

    def _unit_path(self, request) -> str:
        scope = scope_for(request.user)
        return "" if request.user.is_superuser or scope.everything else scope.unit_path or "/nothing/"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        path = self._unit_path(request)
        if path and self.scope_lookup:
            queryset = queryset.filter(**{f"{self.scope_lookup}__startswith": path}).distinct()
        return queryset

    def _limit(self, request, db_field, kwargs):
        path = self._unit_path(request)
        if path and db_field.name in self.unit_fields:
            kwargs["queryset"] = db_field.related_model.objects.filter(path__startswith=path)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._limit(request, db_field, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._limit(request, db_field, kwargs))

    def save_model(self, request, obj, form, change) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        # ModelAdmin instances are shared between requests: keep the snapshot on the request.
        request._audit_pending = (before, "update" if change else "create")

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        before, action = getattr(request, "_audit_pending", ({}, "update"))
        record(request.user, f"admin.{action}", form.instance, before, snapshot(form.instance))

    def delete_model(self, request, obj) -> None:
        record(request.user, "admin.delete", obj, snapshot(obj), {})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        # "Delete selected" in a list: one audit entry per object, as for a single delete.
        for obj in queryset:
            record(request.user, "admin.delete", obj, snapshot(obj), {})
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    """Read-only; a bureau admin sees the entries of its own bureau's people."""

    scope_lookup = "user__membership__unit__path"

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
