"""Feeds the audit log from signals, so that no other app needs to call it:
sign-in and sign-out, publishing, deletions, permission and group changes,
setting changes, and every other action Wagtail logs itself."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.signals import page_published, page_unpublished

from .audit import record
from .choices import AuditAction

# Deleted alongside what is deleted, or bookkeeping: not administrative actions.
DELETE_IGNORED = {
    "sessions", "security", "django_tasks_db", "contenttypes", "admin",
    "wagtailsearch", "taggit",
    "core.lease", "core.importedrecord", "core.cacheversion",
    "wagtailcore.revision", "wagtailcore.pagelogentry", "wagtailcore.modellogentry",
    "wagtailcore.referenceindex", "wagtailcore.pagesubscription", "wagtailcore.workflowstate",
    "wagtailcore.taskstate", "wagtailcore.comment", "wagtailcore.commentreply",
    "wagtailcore.uploadedfile", "wagtailcore.pageviewrestriction",
    "wagtailadmin.editingsession", "wagtailusers.userprofile",
    "wagtailimages.rendition", "wagtailembeds.embed",
}
# Wagtail log actions recorded by our own handlers already.
WAGTAIL_ACTIONS_COVERED = {"wagtail.publish", "wagtail.unpublish", "wagtail.delete"}
PERMISSION_MODELS = {
    "wagtailcore.grouppagepermission", "wagtailcore.groupcollectionpermission",
    "wagtailcore.groupapprovaltask", "auth.group",
}


def _ignored(sender) -> bool:
    meta = sender._meta
    ignored = DELETE_IGNORED | set(getattr(settings, "CONG_AUDIT_DELETE_IGNORED", ()))
    return meta.app_label in ignored or meta.label_lower in ignored


def on_logged_in(sender, request, user, **kwargs):
    from . import throttle
    from .services import user_session_register

    record(AuditAction.LOGIN, obj=user, actor=user, request=request)
    if request is not None:
        throttle.success(user.get_username(), request)
        request.cong_known_client = user.get_username()
        user_session_register(request=request, user=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, obj=user, actor=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    from . import throttle

    username = str(credentials.get("username", ""))[:150]
    locked = getattr(request, "cong_locked_seconds", 0) if request is not None else 0
    record(AuditAction.LOGIN_FAILED, request=request, object_type="accounts.user",
           object_repr=username, message=f"locked {locked}s" if locked else "")
    if locked:
        return
    began, seconds = throttle.failure(username, request)
    if began:
        record(AuditAction.LOCKOUT, request=request, object_type="accounts.user",
               object_repr=username, changes={"seconds": seconds})


def on_page_published(sender, instance, revision=None, **kwargs):
    user = getattr(revision, "user", None) if revision is not None else None
    record(AuditAction.PUBLISH, obj=instance, actor=user,
           changes={"revision": getattr(revision, "pk", None), "url_path": instance.url_path})


def on_page_unpublished(sender, instance, **kwargs):
    record(AuditAction.UNPUBLISH, obj=instance, changes={"url_path": instance.url_path})


def on_post_delete(sender, instance, **kwargs):
    if _ignored(sender):
        return
    label = sender._meta.label_lower
    action = AuditAction.PERMISSION_CHANGE if label in PERMISSION_MODELS else AuditAction.DELETE
    record(action, obj=instance, message="deleted" if action != AuditAction.DELETE else "")


def on_permission_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    changes = {"created": created}
    for field in ("group", "page", "collection", "permission"):
        if hasattr(instance, f"{field}_id"):
            changes[field] = str(getattr(instance, field))
    record(AuditAction.PERMISSION_CHANGE, obj=instance, changes=changes)


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    User = get_user_model()
    through = {User.groups.through: "groups", User.user_permissions.through: "user_permissions",
               Group.permissions.through: "permissions"}
    field = through.get(sender)
    if field is None:
        return
    names = []
    if pk_set:
        names = [str(o) for o in model._default_manager.filter(pk__in=pk_set)]
    changes = {"field": field, "operation": action.removeprefix("post_"), "items": names}
    if reverse:
        changes["reverse"] = True
    record(AuditAction.PERMISSION_CHANGE, obj=instance, changes=changes)


_FLAGS = ("is_superuser", "is_staff", "is_active")


def on_user_pre_save(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    before = sender._default_manager.filter(pk=instance.pk).values(*_FLAGS).first()
    instance._cong_flags_before = before


def on_user_saved(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_cong_flags_before", None)
    if raw or created or not before:
        return
    changed = {f: [before[f], getattr(instance, f)] for f in _FLAGS if before[f] != getattr(instance, f)}
    instance._cong_flags_before = None
    if not changed:
        return
    action = AuditAction.PERMISSION_CHANGE
    if changed.get("is_active") == [True, False]:
        action = AuditAction.ACCOUNT_DEACTIVATED
        from .services import user_sessions_end

        user_sessions_end(user=instance)
    record(action, obj=instance, changes=changed)


def _setting_models():
    from django.apps import apps
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    return [m for m in apps.get_models() if issubclass(m, BaseSiteSetting | BaseGenericSetting)]


def on_setting_pre_save(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        instance._cong_before = {}
        return
    fields = [f.attname for f in sender._meta.concrete_fields]
    instance._cong_before = sender._default_manager.filter(pk=instance.pk).values(*fields).first() or {}


def on_setting_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_cong_before", {}) or {}
    changes = {}
    for f in sender._meta.concrete_fields:
        new = getattr(instance, f.attname)
        old = before.get(f.attname)
        if created or old != new:
            if f.attname in ("id",):
                continue
            changes[f.attname] = [old, new]
    if changes:
        record(AuditAction.SETTING_CHANGE, obj=instance, changes=changes)


def on_wagtail_log_entry(sender, instance, created, raw=False, **kwargs):
    """Mirror every other action Wagtail logs (create, edit, move, copy,
    workflow, lock, and the actions apps register) into the audit log."""
    if raw or not created or instance.action in WAGTAIL_ACTIONS_COVERED:
        return
    ct = instance.content_type
    record(
        AuditAction.ADMIN_ACTION, actor=instance.user, message=instance.action,
        object_type=f"{ct.app_label}.{ct.model}" if ct else "",
        object_id=str(getattr(instance, "page_id", None) or instance.object_id or ""),
        object_repr=instance.label, changes=instance.data or {},
        portal=_log_entry_portal(instance),
    )


def _log_entry_portal(entry):
    from .audit import portal_of

    page = getattr(entry, "page", None)
    if page is not None:
        return portal_of(page)
    return None


def register():
    from django.db.models.signals import post_migrate, pre_migrate

    from .audit import pause_during_migrations, resume_after_migrations

    pre_migrate.connect(pause_during_migrations, dispatch_uid="cong_security_pre_migrate")
    post_migrate.connect(resume_after_migrations, dispatch_uid="cong_security_post_migrate")
    from wagtail.contrib.redirects.models import Redirect  # noqa: F401  (app loaded)
    from wagtail.models import (
        GroupCollectionPermission,
        GroupPagePermission,
        ModelLogEntry,
        PageLogEntry,
    )

    user_logged_in.connect(on_logged_in, dispatch_uid="cong_security_login")
    user_logged_out.connect(on_logged_out, dispatch_uid="cong_security_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="cong_security_login_failed")
    page_published.connect(on_page_published, dispatch_uid="cong_security_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="cong_security_unpublished")
    post_delete.connect(on_post_delete, dispatch_uid="cong_security_delete")
    for model in (GroupPagePermission, GroupCollectionPermission, Group, Permission):
        post_save.connect(on_permission_saved, sender=model, dispatch_uid=f"cong_security_perm_{model.__name__}")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="cong_security_m2m")
    User = get_user_model()
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid="cong_security_user_pre")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="cong_security_user_post")
    for model in _setting_models():
        pre_save.connect(on_setting_pre_save, sender=model, dispatch_uid=f"cong_security_set_pre_{model.__name__}")
        post_save.connect(on_setting_saved, sender=model, dispatch_uid=f"cong_security_set_{model.__name__}")
    for model in (PageLogEntry, ModelLogEntry):
        post_save.connect(on_wagtail_log_entry, sender=model, dispatch_uid=f"cong_security_log_{model.__name__}")
