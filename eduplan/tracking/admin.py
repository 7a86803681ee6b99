from django.contrib import admin

from eduplan.audit.admin import AuditedAdmin

from .models import RoutingRule, WarningSettings


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdmin):
    list_display = ("keywords", "lead_unit", "priority", "active")
    list_filter = ("active", "lead_unit")
    search_fields = ("keywords",)
    autocomplete_fields = ("lead_unit", "partner_units", "bureau")


@admin.register(WarningSettings)
class WarningSettingsAdmin(AuditedAdmin):
    list_display = ("bureau", "yellow_gap", "red_gap", "due_soon_days")
