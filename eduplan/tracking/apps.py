from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "eduplan.tracking"
    verbose_name = "计划跟踪"

    def ready(self) -> None:
        from . import state_store

        state_store.connect()  # stored task states follow every save of their inputs
