from django.contrib import admin

from eduplan.audit.admin import ScopedAdmin

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(ScopedAdmin):
    list_display = ("name", "words", "order", "bureau")
    list_editable = ("order",)
    search_fields = ("name", "words")
    scope_lookup = "bureau__path"
    unit_fields = ("bureau",)
