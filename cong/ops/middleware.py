import logging
import time

from django.conf import settings

from . import metrics, request_id

access_logger = logging.getLogger("cong.access")


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
