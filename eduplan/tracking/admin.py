from django.contrib import admin

from eduplan.audit.admin import ScopedAdmin

from .models import RoutingRule, WarningSettings


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdmin):
    list_display = ("keywords", "lead_unit", "priority", "active")
    list_filter = ("active",)
    search_fields = ("keywords",)
    scope_lookup = "bureau__path"
    unit_fields = ("bureau", "lead_unit", "partner_units")


@admin.register(WarningSettings)
class WarningSettingsAdmin(ScopedAdmin):
    list_display = ("bureau", "yellow_gap", "red_gap", "due_soon_days")
    scope_lookup = "bureau__path"
    unit_fields = ("bureau",)
