from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class AuditConfig(AppConfig):
    name = "eduplan.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from .log import begin_request, end_request

        # Each request reads the change counters once (``log._counters``).
        request_started.connect(begin_request, dispatch_uid="eduplan-counters-begin")
        request_finished.connect(end_request, dispatch_uid="eduplan-counters-end")
