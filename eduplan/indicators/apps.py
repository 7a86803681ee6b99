from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IndicatorsConfig(AppConfig):
    name = "eduplan.indicators"
    verbose_name = "指标监测"

    def ready(self) -> None:
        from eduplan.orgs.models import unit_moved

        from .values import follow_moved_unit

        unit_moved.connect(follow_moved_unit, dispatch_uid="indicators.follow_moved_unit")
        post_migrate.connect(_install_catalogue, sender=self, dispatch_uid="indicators.catalogue")


def _install_catalogue(sender, *, apps=None, **kwargs) -> None:
    """After every migrate (and every flush that re-runs it, as test teardowns do), the
    catalogue is complete: entries missing are added, edited ones left as they are."""
    from django.apps import apps as installed

    from .catalogue import install

    apps = apps or installed
    try:
        models = [apps.get_model("indicators", name) for name in ("DataElement", "DataSet", "Indicator")]
    except LookupError:
        return  # migrated back to before the app existed
    install(*models)
