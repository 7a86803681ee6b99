"""Typed target actuals move into the one store of figures: each target gets its own data
element, and each typed actual becomes a data value of it at the plan's bureau (the newest
typed figure of a month wins, as it did when the newest actual was shown). Each report keeps
what it said in ``typed_actuals``, so no typed figure is lost."""

from django.db import migrations, models


def move_actuals(apps, schema_editor):
    TargetActual = apps.get_model("tracking", "TargetActual")
    Target = apps.get_model("tracking", "Target")
    DataElement = apps.get_model("indicators", "DataElement")
    DataValue = apps.get_model("indicators", "DataValue")
    ProgressReport = apps.get_model("tracking", "ProgressReport")
    elements = {}
    said: dict[int, dict[str, float]] = {}
    for actual in TargetActual.objects.order_by("id").select_related("target__task__plan__bureau"):
        if actual.report_id is not None:
            said.setdefault(actual.report_id, {})[str(actual.target_id)] = actual.value
        target = actual.target
        bureau = target.task.plan.bureau
        if target.pk not in elements:
            element = DataElement.objects.create(
                code=f"target_{target.pk}", name=f"目标实际值：{target.metric}"[:100], unit_label=target.unit[:20],
                value_type="number", reported_by="authority", minimum=-1e15, bureau_id=bureau.pk, for_target=True)
            Target.objects.filter(pk=target.pk).update(actual_element=element)
            elements[target.pk] = element
        DataValue.objects.update_or_create(
            element=elements[target.pk], unit_id=bureau.pk, period=actual.period,
            defaults={"value": actual.value, "unit_path": bureau.path, "source": "report", "report_id": actual.report_id,
                      "entered_by_id": actual.created_by_id})
    for report_id, values in said.items():
        ProgressReport.objects.filter(pk=report_id).update(typed_actuals=values)


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0003_target_actual_element_target_indicator"),
        ("indicators", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressreport", name="typed_actuals",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="填报的目标实际值"),
        ),
        migrations.RunPython(move_actuals, migrations.RunPython.noop),
        migrations.DeleteModel(name="TargetActual"),
    ]
