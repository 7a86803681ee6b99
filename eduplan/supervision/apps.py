from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "eduplan.supervision"
    verbose_name = "督导督查与考核"
