import logging
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError

from . import metrics, request_id

access_logger = logging.getLogger("cong.access")


def _note_database_down(sender, request=None, **kwargs):
    import sys

    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, OperationalError | InterfaceError):
        request._cong_database_down = exc


got_request_exception.connect(_note_database_down, dispatch_uid="cong-ops-database-down")


class RequestMiddleware:
    """First in the chain: gives the request its id (see request_id), counts
    it for the metrics and, with ``CONG_ACCESS_LOG``, writes one structured
    log line per request."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.access_log = getattr(settings, "CONG_ACCESS_LOG", False)

    def __call__(self, request):
        rid = request_id.adopt(request.headers.get(request_id.HEADER))
        request.request_id = rid
        token = request_id.set_current(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            if response.status_code == 500 and getattr(request, "_cong_database_down", None):
                # The database failed in a middleware (sessions, the portal of
                # the host), where the view-level handler cannot see it: the
                # same plain 503 as for a view.
                from cong.core.middleware import DatabaseUnavailableMiddleware

                response = DatabaseUnavailableMiddleware(self.get_response).process_exception(
                    request, request._cong_database_down
                )
            elapsed = time.perf_counter() - started
            metrics.observe(request.method, response.status_code, elapsed)
            response[request_id.HEADER] = rid
            if self.access_log:
                access_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "host": request.get_host() if request.META.get("HTTP_HOST") else "",
                        "status": response.status_code,
                        "duration_ms": round(elapsed * 1000, 1),
                    },
                )
            return response
        finally:
            request_id.reset(token)
