"""Cities and provinces above district bureaus; each unit remembers the authority it belongs to."""

import django.db.models.deletion
from django.db import migrations, models


def fill_owning_bureau(apps, schema_editor):
    # Until now every tree had a bureau at its root: a unit belongs to its path's first id.
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    for unit in OrgUnit.objects.all().only("pk", "path"):
        root = unit.path.strip("/").split("/")[0] if unit.path else ""
        if root.isdigit():
            OrgUnit.objects.filter(pk=unit.pk).update(owning_bureau_id=int(root))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="orgunit", name="kind",
            field=models.CharField(choices=[("province", "省教育厅"), ("city", "市教育局"), ("bureau", "区县教育局"),
                                            ("department", "科室/直属单位"), ("group", "集团/学区"),
                                            ("school", "学校")], max_length=20, verbose_name="类型"),
        ),
        migrations.AddField(
            model_name="orgunit", name="opened",
            field=models.DateField(blank=True, help_text="学校新设时填写：此前各期不计入应报数据的学校", null=True,
                                   verbose_name="设立日期"),
        ),
        migrations.AddField(
            model_name="orgunit", name="owning_bureau",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to="orgs.orgunit"),
        ),
        migrations.RunPython(fill_owning_bureau, migrations.RunPython.noop),
    ]
