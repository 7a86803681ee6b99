"""The ready catalogue of data elements, data sets and indicators (``indicators.catalogue``)."""

from django.db import migrations


def install_catalogue(apps, schema_editor):
    from eduplan.indicators.catalogue import install

    install(apps.get_model("indicators", "DataElement"), apps.get_model("indicators", "DataSet"),
            apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(install_catalogue, migrations.RunPython.noop)]
