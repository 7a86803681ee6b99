from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from eduplan.audit.admin import AuditedAdmin

from .models import Membership, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("indented_name", "kind", "school_level", "ownership", "active")
    list_filter = ("kind", "school_level", "ownership", "active")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)

    @admin.display(description="名称")
    def indented_name(self, unit: OrgUnit) -> str:
        return "　" * (unit.path.count("/") - 2) + unit.name


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ("unit",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class EduplanUserAdmin(AuditedAdmin, UserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "membership", "is_active", "last_login")
    list_select_related = ("membership", "membership__unit")


admin.site.site_header = admin.site.site_title = "eduplan 管理"
admin.site.index_title = "系统管理"
