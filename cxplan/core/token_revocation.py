"""A user's API tokens end with a new password or a deactivated account.

On every path that saves the user (the admin, a password-change view,
`set_password` in a shell, a bulk of code we do not own), so it hangs on the
user model's save rather than on any one view: pre_save compares the stored row,
post_save revokes once the change is written.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save

from cxplan.core.tokens import tokens_revoke_all

_FLAG = "_cxplan_revoke_tokens"


def _check_user(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    fields = set(update_fields) if update_fields is not None else None
    if fields is not None and not fields & {"password", "is_active"}:
        return  # e.g. last_login on each sign-in: no query at all
    stored = (
        sender._default_manager.filter(pk=instance.pk)
        .values("password", "is_active")
        .first()
    )
    if stored is None:
        return
    # Django re-hashes a password on sign-in when the hasher's work factor grows:
    # it saves only "password" and clears _password first. Same password, so the
    # tokens stay.
    rehash = fields == {"password"} and getattr(instance, "_password", None) is None
    new_password = stored["password"] != instance.password and not rehash
    deactivated = stored["is_active"] and not instance.is_active
    setattr(instance, _FLAG, new_password or deactivated)


def _revoke_if_flagged(sender, instance, raw=False, **kwargs):
    if getattr(instance, _FLAG, False):
        setattr(instance, _FLAG, False)
        tokens_revoke_all(user=instance)


def connect() -> None:
    """Called once from CoreConfig.ready()."""
    user_model = get_user_model()
    pre_save.connect(_check_user, sender=user_model, dispatch_uid="cxplan-tokens-pre")
    post_save.connect(
        _revoke_if_flagged, sender=user_model, dispatch_uid="cxplan-tokens-post"
    )
