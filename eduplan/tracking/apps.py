from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "eduplan.tracking"
    verbose_name = "计划跟踪"
