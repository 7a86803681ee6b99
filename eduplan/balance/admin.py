"""The province's standards, the 教学点 marks and the checklist in Django's admin, each
limited to the signed-in admin's units and audited (``ScopedAdmin``)."""

from django.contrib import admin

from eduplan.audit.admin import ScopedAdmin

from .models import ChecklistEntry, ProvinceStandard, TeachingPoint


@admin.register(ProvinceStandard)
class ProvinceStandardAdmin(ScopedAdmin):
    scope_lookup = "province__path"
    unit_fields = ("province",)
    list_display = ("province", "stage", "indicator", "value")
    list_filter = ("stage", "indicator")


@admin.register(TeachingPoint)
class TeachingPointAdmin(ScopedAdmin):
    scope_lookup = "school__path"
    unit_fields = ("school",)
    list_display = ("school",)


@admin.register(ChecklistEntry)
class ChecklistEntryAdmin(ScopedAdmin):
    scope_lookup = "county__path"
    unit_fields = ("county",)
    list_display = ("county", "year", "item", "status", "surveyed", "satisfied", "updated_at")
    list_filter = ("year", "status")
