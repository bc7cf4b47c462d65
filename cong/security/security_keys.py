"""WebAuthn security keys as a second factor (py_webauthn does the protocol).

Both ceremonies keep their challenge on the server, in the staff member's
session (database-backed), for ``CHALLENGE_SECONDS``; a challenge is taken out
of the session before the answer is checked, so it is used at most once. The
relying party is ``CONG_WEBAUTHN_RP_ID`` or the host the admin is opened on;
the expected origin is that host with the request's scheme. A sign counter
that does not grow (a cloned key) is refused. Every result goes to the audit
log.
"""

from __future__ import annotations

import json
import time

import webauthn
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from cong.core.errors import ApplicationError

from .audit import record
from .choices import AuditAction
from .models import SecurityKey

RP_NAME = "Cổng"
CHALLENGE_SECONDS = 300
SESSION_REGISTER = "cong_webauthn_register"
SESSION_AUTHENTICATE = "cong_webauthn_authenticate"
MAX_KEYS = 10


def rp_id(request) -> str:
    return settings.CONG_WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0].lower()


def expected_origin(request) -> str:
    return f"{request.scheme}://{request.get_host().lower()}"


def _user_handle(user) -> bytes:
    # A stable, opaque handle: not the user name, not personal data.
    import hashlib

    return hashlib.sha256(f"{settings.SECRET_KEY}:webauthn:{user.pk}".encode()).digest()[:32]


def _descriptors(user):
    return [PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(k.credential_id))
            for k in SecurityKey.objects.filter(user=user)]


def _store_challenge(request, key: str, challenge: bytes, **extra) -> None:
    request.session[key] = {"challenge": bytes_to_base64url(challenge), "at": int(time.time()), **extra}


def _take_challenge(request, key: str) -> dict | None:
    """The stored challenge, removed from the session (single use)."""
    state = request.session.pop(key, None)
    if not state or int(time.time()) - int(state.get("at", 0)) > CHALLENGE_SECONDS:
        return None
    return state


def _refuse(request, user, stage: str, reason: str, key: SecurityKey | None = None):
    record(AuditAction.TWO_FACTOR, obj=user, actor=user, request=request,
           message=f"security key {stage} refused",
           changes={"reason": reason[:200], "key": key.name if key else ""})
    raise ApplicationError(_("Khóa bảo mật không được chấp nhận. Hãy thử lại."))


# --- registration -----------------------------------------------------------------


def registration_options(request, *, user, name: str) -> str:
    """The options for ``navigator.credentials.create`` (JSON); the challenge
    and the key's name wait in the session."""
    name = (name or "").strip()[:64]
    if not name:
        raise ApplicationError(_("Đặt tên cho khóa (ví dụ: Khóa USB màu xanh)."), field="name")
    if SecurityKey.objects.filter(user=user, name=name).exists():
        raise ApplicationError(_("Bạn đã có một khóa tên này."), field="name")
    if SecurityKey.objects.filter(user=user).count() >= MAX_KEYS:
        raise ApplicationError(_("Mỗi tài khoản có tối đa %(n)s khóa.") % {"n": MAX_KEYS})
    options = webauthn.generate_registration_options(
        rp_id=rp_id(request), rp_name=RP_NAME, user_id=_user_handle(user),
        user_name=user.get_username(), user_display_name=user.get_full_name() or user.get_username(),
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED,
        ),
        exclude_credentials=_descriptors(user),
        timeout=CHALLENGE_SECONDS * 1000,
    )
    _store_challenge(request, SESSION_REGISTER, options.challenge, name=name, rp_id=rp_id(request))
    return webauthn.options_to_json(options)


def registration_verify(request, *, user, credential: dict | str) -> SecurityKey:
    state = _take_challenge(request, SESSION_REGISTER)
    if state is None:
        _refuse(request, user, "registration", "no pending challenge (expired or replayed)")
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=webauthn.base64url_to_bytes(state["challenge"]),
            expected_rp_id=state["rp_id"], expected_origin=expected_origin(request),
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        _refuse(request, user, "registration", str(exc))
    transports = []
    if isinstance(credential, dict):
        transports = [str(t)[:16] for t in (credential.get("response", {}).get("transports") or [])][:8]
    try:
        with transaction.atomic():
            key = SecurityKey.objects.create(
                user=user, name=state["name"], credential_id=bytes_to_base64url(verified.credential_id),
                public_key=verified.credential_public_key, sign_count=verified.sign_count,
                aaguid=verified.aaguid, transports=transports, rp_id=state["rp_id"],
            )
    except IntegrityError:
        _refuse(request, user, "registration", "credential or name already registered")
    record(AuditAction.TWO_FACTOR, obj=user, actor=user, request=request,
           message="security key registered",
           changes={"key": key.name, "aaguid": key.aaguid, "fmt": str(verified.fmt)})
    return key


# --- authentication ---------------------------------------------------------------


def authentication_options(request, *, user) -> str:
    keys = list(SecurityKey.objects.filter(user=user, rp_id=rp_id(request)))
    if not keys:
        raise ApplicationError(_("Tài khoản chưa có khóa bảo mật nào cho địa chỉ này."))
    options = webauthn.generate_authentication_options(
        rp_id=rp_id(request),
        allow_credentials=[PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(k.credential_id))
                           for k in keys],
        user_verification=UserVerificationRequirement.DISCOURAGED,
        timeout=CHALLENGE_SECONDS * 1000,
    )
    _store_challenge(request, SESSION_AUTHENTICATE, options.challenge, rp_id=rp_id(request))
    return webauthn.options_to_json(options)


def authentication_verify(request, *, user, credential: dict | str) -> SecurityKey:
    state = _take_challenge(request, SESSION_AUTHENTICATE)
    if state is None:
        _refuse(request, user, "sign-in", "no pending challenge (expired or replayed)")
    if isinstance(credential, str):
        try:
            credential = json.loads(credential)
        except ValueError:
            credential = {}
    raw_id = str(credential.get("rawId") or credential.get("id") or "") if isinstance(credential, dict) else ""
    key = SecurityKey.objects.filter(user=user, credential_id=raw_id).first()
    if key is None:
        _refuse(request, user, "sign-in", "unknown credential")
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=webauthn.base64url_to_bytes(state["challenge"]),
            expected_rp_id=state["rp_id"], expected_origin=expected_origin(request),
            credential_public_key=bytes(key.public_key), credential_current_sign_count=key.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        _refuse(request, user, "sign-in", str(exc), key)
    # The counter only grows: a concurrent answer with the same count loses.
    with transaction.atomic():
        updated = SecurityKey.objects.filter(pk=key.pk, sign_count=key.sign_count).update(
            sign_count=verified.new_sign_count, last_used_at=timezone.now())
    if not updated:
        _refuse(request, user, "sign-in", "sign counter changed concurrently", key)
    key.sign_count = verified.new_sign_count
    record(AuditAction.TWO_FACTOR, obj=user, actor=user, request=request,
           message="security key verified", changes={"key": key.name, "sign_count": key.sign_count})
    return key


def security_key_remove(request, *, user, key_id) -> SecurityKey:
    key = SecurityKey.objects.filter(user=user, pk=key_id).first() if str(key_id).isdigit() else None
    if key is None:
        raise ApplicationError(_("Không tìm thấy khóa bảo mật."))
    key.delete()
    record(AuditAction.TWO_FACTOR, obj=user, actor=user, request=request,
           message="security key removed", changes={"key": key.name})
    return key
