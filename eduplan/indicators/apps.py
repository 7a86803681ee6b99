from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "eduplan.indicators"
    verbose_name = "指标监测"
