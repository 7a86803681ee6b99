from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgsConfig(AppConfig):
    name = "eduplan.orgs"
    verbose_name = "组织与用户"

    def ready(self) -> None:
        # Last of all apps' post-migrate work (permissions exist by then): an existing bureau
        # office gets the permissions a new version added.
        post_migrate.connect(_update_bureau_office, dispatch_uid="orgs.bureau_office")


def _update_bureau_office(sender, **kwargs) -> None:
    from django.contrib.auth.models import Group

    from .services import BUREAU_OFFICE_GROUP, grant_bureau_office_permissions

    group = Group.objects.filter(name=BUREAU_OFFICE_GROUP).first()
    if group is not None:
        grant_bureau_office_permissions(group)
