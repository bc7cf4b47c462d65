"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``.

Keys come from ``CONG_ENCRYPTION_KEY`` (comma-separated Fernet keys; the first
encrypts, all decrypt, so keys can be rotated) or, when that is empty, one key
derived from ``SECRET_KEY`` with HKDF.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(configured: str, secret_key: str) -> MultiFernet:
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    if not keys:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"cong.syndication", info=b"channel-secrets",
        ).derive(secret_key.encode())
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(getattr(settings, "CONG_ENCRYPTION_KEY", "") or "", settings.SECRET_KEY)


def encrypt(value: str) -> str:
    if not value:
        return ""
    return PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ValueError("secret is not encrypted")
    try:
        return fernet().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken as exc:
        raise ValueError("secret cannot be decrypted with the configured keys") from exc


def mask(value: str) -> str:
    """What the admin shows of a secret: never more than its last 4 characters."""
    if not value:
        return ""
    return "••••" + value[-4:] if len(value) > 8 else "••••"


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python sees the plain value."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
