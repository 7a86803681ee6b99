

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0002_catalogue'),
        ('orgs', '0002_authorities_above_bureaus'),
        ('tracking', '0004_typed_actuals_become_data_values'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='datavalue',
            name='value_rollup',
        ),
        migrations.AddIndex(
            model_name='datavalue',
            index=models.Index(fields=['element', 'period', 'unit_path', 'unit', 'value'], name='value_rollup'),
        ),
    ]
