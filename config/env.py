"""The one typed reader of the environment.

Every setting that comes from the environment is read here, through
django-environ, so that parsing rules (booleans, lists, URLs) are the same
everywhere. Booleans accept only known spellings; anything else is an error
rather than a silent ``False``.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

env = environ.Env()

# A local .env file is read only when asked for, never implicitly in
# production.
if os.environ.get("CONG_READ_DOT_ENV", "").lower() in _TRUE:
    env.read_env(str(BASE_DIR / ".env"))


def env_bool(name: str, default: bool) -> bool:
    """Return the boolean environment variable ``name``.

    Raises ImproperlyConfigured for a value that is not a known spelling, so a
    typo such as ``DEBUG=ture`` fails loudly instead of meaning ``False``.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of "
        f"{sorted(_TRUE | _FALSE - {''})}"
    )


def env_required(name: str) -> str:
    """Return ``name`` from the environment or refuse to start."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return value
