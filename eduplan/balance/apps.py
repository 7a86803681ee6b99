from django.apps import AppConfig


class BalanceConfig(AppConfig):
    name = "eduplan.balance"
    verbose_name = "义务教育优质均衡"
