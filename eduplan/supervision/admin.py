from django.contrib import admin

from eduplan.audit.admin import ScopedAdmin
from eduplan.orgs.access import scope_for

from .access import is_staff
from .models import AppraisalRules, Message, ScoreAdjustment, SupervisionRules


class BureauOfficeRules(ScopedAdmin):
    """Rules the bureau office edits for its own bureau. Its Django group does not carry these
    models' permissions (``orgs.services.BUREAU_OFFICE_PERMISSIONS`` lists them app by app), so
    the role decides here; deleting a bureau's rules row is left to superusers."""

    def _office(self, request) -> bool:
        return request.user.is_superuser or (request.user.is_staff and is_staff(scope_for(request.user)))

    def has_module_permission(self, request) -> bool:
        return self._office(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._office(request)

    def has_add_permission(self, request) -> bool:
        return self._office(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._office(request)


@admin.register(SupervisionRules)
class SupervisionRulesAdmin(BureauOfficeRules):
    list_display = ("bureau", "rectify_days", "urge_after_days", "supervise_after_days", "remind_days_before",
                    "stale_days", "send_email")
    scope_lookup = "bureau__path"
    unit_fields = ("bureau",)


@admin.register(AppraisalRules)
class AppraisalRulesAdmin(BureauOfficeRules):
    list_display = ("bureau", "base_points", "on_time_points", "late_points", "missing_points", "unfinished_points")
    scope_lookup = "bureau__path"
    unit_fields = ("bureau",)


@admin.register(ScoreAdjustment)
class ScoreAdjustmentAdmin(BureauOfficeRules):
    """Read-only here: adjustments are made on the appraisal page, which audits them."""

    list_display = ("unit", "year", "points", "veto_item", "reason", "created_by", "created_at")
    list_filter = ("year",)
    scope_lookup = "bureau__path"
    readonly_fields = [f.name for f in ScoreAdjustment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ScopedAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    scope_lookup = "recipient__membership__unit__path"
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
