"""The catalogue in Django's admin: data elements, data sets and indicators stay editable
(by the platform's superuser: the catalogue is shared by every bureau)."""

from django.contrib import admin

from .models import DataElement, DataSet, Indicator


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit_label", "reported_by", "value_type")
    list_filter = ("reported_by", "value_type")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(for_target=False)  # a target's own element is no catalogue entry


@admin.register(DataSet)
class DataSetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "period_kind")
    filter_horizontal = ("elements",)
    search_fields = ("code", "name")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "numerator", "denominator", "factor", "unit_label", "better")
    search_fields = ("code", "name", "keywords")
