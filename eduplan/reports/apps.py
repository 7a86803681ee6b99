from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "eduplan.reports"
    verbose_name = "报表与通报"
