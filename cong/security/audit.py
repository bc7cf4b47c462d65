"""Writing the audit log.

``record(action, ...)`` appends one ``AuditEvent``. Who and from where come
from the request being served (``AuditContextMiddleware`` keeps it in a
context variable), so signal handlers anywhere in the code base can record
without being handed the request. Other apps may call ``record`` directly
for what no signal tells (a view of personal data, an export).
"""

from __future__ import annotations

import contextvars
import logging

from django.db import DatabaseError, transaction

from cong.core.abuse import client_ip

logger = logging.getLogger("cong.security.audit")

_request: contextvars.ContextVar = contextvars.ContextVar("cong_audit_request", default=None)


def current_request():
    return _request.get()


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            response = self.get_response(request)
            self._personal_data_view(request, response)
            return response
        finally:
            _request.reset(token)

    @staticmethod
    def _personal_data_view(request, response):
        """Views that show personal data (named in CONG_AUDIT_PERSONAL_DATA_VIEWS,
        so that other apps need no code) are logged when a staff member opens them."""
        from django.conf import settings

        match = getattr(request, "resolver_match", None)
        if (
            match is None or request.method != "GET" or response.status_code != 200
            or match.view_name not in getattr(settings, "CONG_AUDIT_PERSONAL_DATA_VIEWS", ())
        ):
            return
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        from .choices import AuditAction

        record(AuditAction.PERSONAL_DATA_VIEW, request=request, object_type=match.view_name[:100],
               object_id=str(next(iter(match.kwargs.values()), ""))[:64],
               object_repr=request.path[:255])


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def object_fields(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return meta.label_lower, str(obj.pk or "")[:64], str(obj)[:255]


def portal_of(obj):
    """The portal an object belongs to, where it says (pages, portal-owned rows)."""
    if obj is None:
        return None
    from cong.units.models import Portal

    if isinstance(obj, Portal):
        return obj.pk
    portal_id = getattr(obj, "portal_id", None)
    if portal_id:
        return portal_id
    from wagtail.models import Page

    if isinstance(obj, Page) and obj.path:
        # the portal whose home page is this page or one of its ancestors
        roots = [obj.path[:i] for i in range(4, len(obj.path) + 1, 4)]
        return (
            Portal.objects.filter(site__root_page__path__in=roots)
            .order_by("-site__root_page__depth").values_list("pk", flat=True).first()
        )
    return None


_paused = {"migrating": False}


def pause_during_migrations(sender=None, **kwargs):
    _paused["migrating"] = True


def resume_after_migrations(sender=None, **kwargs):
    _paused["migrating"] = False


def record(action, *, obj=None, actor=None, request=None, message="", changes=None,
           portal=None, object_type=None, object_id=None, object_repr=None):
    """Append one entry to the audit log; never raises into the caller."""
    from .models import AuditEvent

    if _paused["migrating"]:
        return None  # data migrations are not administrative actions
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    otype, oid, orepr = object_fields(obj)
    ip = client_ip(request) if request is not None else None
    try:
        portal_id = portal.pk if portal is not None and hasattr(portal, "pk") else portal
        if portal_id is None:
            portal_id = portal_of(obj)
        event = AuditEvent(
            action=action,
            actor=actor if actor is not None and getattr(actor, "pk", None) else None,
            actor_name=(actor.get_username() if actor is not None else "")[:150],
            ip=ip or None,
            user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:255],
            portal_id=portal_id,
            object_type=(object_type if object_type is not None else otype)[:100],
            object_id=str(object_id if object_id is not None else oid)[:64],
            object_repr=(object_repr if object_repr is not None else orepr)[:255],
            message=str(message)[:255],
            changes=_json_safe(changes or {}),
        )
        # A savepoint: a failure here must not break the caller's transaction.
        with transaction.atomic():
            event.save()
        return event
    except DatabaseError:
        logger.exception("audit entry not written: %s %s", action, message)
        return None


class SecurityLogHandler(logging.Handler):
    """Records what Django's ``django.security`` loggers report (CSRF
    failures, oversized bodies, suspicious file names and sessions, disallowed
    hosts) as refused requests."""

    def emit(self, log_record):
        from .choices import AuditAction

        request = getattr(log_record, "request", None) or current_request()
        try:
            text = log_record.getMessage()
        except (TypeError, ValueError):  # a malformed log call must not break the request
            text = str(log_record.msg)
        record(
            AuditAction.REFUSED, request=request,
            message=f"{log_record.name}: {text}"[:255],
            object_type="request", object_repr=(request.path if request is not None else "")[:255],
        )
