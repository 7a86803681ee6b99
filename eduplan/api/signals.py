"""A user's API tokens go when their password changes, however it is changed.

Watching the saved hash rather than one view covers the password-change and reset forms, the
admin, ``manage changepassword`` and any ``set_password(); save()`` in code alike.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import is_password_usable
from django.db.models.signals import post_save, pre_save

from .models import ApiToken

CHANGED = "_eduplan_password_changed"


def note_password_change(sender: type, instance: object, raw: bool = False,
                         update_fields: frozenset[str] | None = None, **kwargs: object) -> None:
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    old = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    changed = old is not None and old != instance.password
    # check_password() re-hashes a correct password when the hasher's settings changed: same
    # password, new hash. It saves only the password, with no new raw password pending.
    rehash = (update_fields == frozenset({"password"}) and getattr(instance, "_password", None) is None
              and is_password_usable(instance.password) and is_password_usable(old))
    setattr(instance, CHANGED, changed and not rehash)


def drop_tokens(sender: type, instance: object, raw: bool = False, **kwargs: object) -> None:
    if getattr(instance, CHANGED, False):
        ApiToken.objects.filter(user=instance).delete()
        setattr(instance, CHANGED, False)


def connect() -> None:
    user_model = get_user_model()
    pre_save.connect(note_password_change, sender=user_model, dispatch_uid="eduplan-api-password-pre")
    post_save.connect(drop_tokens, sender=user_model, dispatch_uid="eduplan-api-password-post")
