"""Request ids and structured (JSON) logs.

nginx gives each request an id (``$request_id``) and passes it upstream as
``X-Request-ID``; the application adopts it (or makes one when it runs
without nginx), returns it in the response and adds it to every log record
written while the request runs, so one id finds the nginx access log line,
the application's log lines and the error report of the same request.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_current: ContextVar[str] = ContextVar("cong_request_id", default="")


def current() -> str:
    """The id of the request being served ('' outside a request)."""
    return _current.get()


def adopt(value: str | None) -> str:
    """The id to use for a request that came with ``value`` (untrusted)."""
    if value and _VALID.match(value):
        return value
    return uuid.uuid4().hex


def set_current(value: str):
    return _current.set(value)


def reset(token) -> None:
    _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (for plain formats: ``%(request_id)s``)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # django.request logs after the middleware has returned: take the
            # id from the request it names.
            request = getattr(record, "request", None)
            record.request_id = _current.get() or getattr(request, "request_id", None) or "-"
        return True


_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id,
    any ``extra=`` fields and the exception, if any."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _current.get() or None,
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | None) else repr(value)
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
