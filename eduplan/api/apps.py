from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "eduplan.api"
    verbose_name = "接口"

    def ready(self) -> None:
        from . import signals

        signals.connect()
