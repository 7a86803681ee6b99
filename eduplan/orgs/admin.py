from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from eduplan.audit.admin import ScopedAdmin
from eduplan.orgs.access import Refused

from .access import check_unit_placement
from .models import Membership, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin):
    list_display = ("indented_name", "kind", "school_level", "ownership", "active")
    list_filter = ("kind", "school_level", "ownership", "active")
    search_fields = ("name", "code")
    scope_lookup = "path"
    unit_fields = ("parent",)

    @admin.display(description="名称")
    def indented_name(self, unit: OrgUnit) -> str:
        return "　" * (unit.path.count("/") - 2) + unit.name

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.is_authority and not request.user.is_superuser:
            return (*fields, "kind", "parent")  # an authority stays one, where it is in the tree
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        user = request.user

        class PlacedUnitForm(form):
            """Checks where the unit goes (``check_unit_placement``), next to the parent field."""

            def clean(self) -> dict:
                data = super().clean()
                if "parent" in self.errors:  # e.g. a choice outside the bureau: already refused
                    return data
                parent = data.get("parent", self.instance.parent if self.instance.pk else None)
                try:
                    check_unit_placement(user, self.instance, parent)
                except Refused as err:
                    field = "parent" if "parent" in self.fields else None
                    self.add_error(field, forms.ValidationError(str(err), code=err.code))
                return data

        return PlacedUnitForm

    def save_model(self, request, obj, form, change) -> None:
        check_unit_placement(request.user, obj, obj.parent)  # the form checked; this guards other paths
        super().save_model(request, obj, form, change)


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from eduplan.orgs.access import scope_for

        scope = scope_for(request.user)
        if db_field.name == "unit" and not request.user.is_superuser and not scope.everything:
            kwargs["queryset"] = OrgUnit.objects.filter(path__startswith=scope.unit_path or "/nothing/")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class EduplanUserAdmin(ScopedAdmin, UserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "membership", "is_active", "last_login")
    list_select_related = ("membership", "membership__unit")
    scope_lookup = "membership__unit__path"

    def get_queryset(self, request):
        users = super().get_queryset(request)
        # A bureau admin never manages a superuser, even one filed under the bureau.
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # A bureau admin manages accounts, not Django's own permission system.
        hidden = {"is_superuser", "groups", "user_permissions"}
        return [(name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in hidden)})
                for name, opts in fieldsets]


admin.site.site_header = admin.site.site_title = "eduplan 管理"
admin.site.index_title = "系统管理"
