

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0001_initial'),
        ('tracking', '0002_report_idempotency_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='target',
            name='actual_element',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='target', to='indicators.dataelement'),
        ),
        migrations.AddField(
            model_name='target',
            name='indicator',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='targets', to='indicators.indicator', verbose_name='绑定指标'),
        ),
    ]
