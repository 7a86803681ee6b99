from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "eduplan.audit"
    verbose_name = "审计日志"
