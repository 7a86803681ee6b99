from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "eduplan.indicators"
    verbose_name = "指标监测"

    def ready(self) -> None:
        from eduplan.orgs.models import unit_moved

        from .values import follow_moved_authority

        unit_moved.connect(follow_moved_authority, dispatch_uid="indicators.follow_moved_authority")
