from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "eduplan.api"
    verbose_name = "接口"
