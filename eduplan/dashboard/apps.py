from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "eduplan.dashboard"
    verbose_name = "工作台"
