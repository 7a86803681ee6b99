"""The catalogue in Django's admin: data elements, data sets and indicators stay editable
(by the platform's superuser: the catalogue is shared by every bureau)."""

from django.contrib import admin

from eduplan.audit.log import count_change

from .models import DataElement, DataSet, Indicator


class CatalogueAdmin(admin.ModelAdmin):
    """Editing the catalogue changes how every figure is computed: cached figures are
    computed again everywhere."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        count_change()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        count_change()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        count_change()


@admin.register(DataElement)
class DataElementAdmin(CatalogueAdmin):
    list_display = ("code", "name", "unit_label", "reported_by", "value_type")
    list_filter = ("reported_by", "value_type")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(for_target=False)  # a target's own element is no catalogue entry


@admin.register(DataSet)
class DataSetAdmin(CatalogueAdmin):
    list_display = ("code", "name", "period_kind")
    filter_horizontal = ("elements",)
    search_fields = ("code", "name")


@admin.register(Indicator)
class IndicatorAdmin(CatalogueAdmin):
    list_display = ("code", "name", "numerator", "denominator", "factor", "unit_label", "better")
    search_fields = ("code", "name", "keywords")
