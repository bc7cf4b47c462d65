"""WebAuthn security keys, tested with a software authenticator: an EC P-256
key made with ``cryptography`` that builds authenticatorData, clientDataJSON
and a "none" or "packed" self-attestation as the WebAuthn spec says, talking
to the views through the whole request stack (middleware, sessions, CSRF)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse

from cong.security.choices import AuditAction
from cong.security.models import AuditEvent, SecurityKey
from cong.units.choices import BoardRole

PASSWORD = "matkhau-thu-nghiem"
ORIGIN = "http://testserver"
RP_ID = "testserver"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


class SoftwareAuthenticator:
    """A FIDO2 authenticator in software (one credential, ES256)."""

    AAGUID = bytes(range(16))

    def __init__(self, fmt="packed"):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0
        self.fmt = fmt

    def cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})

    def _sign(self, data: bytes) -> bytes:
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))

    @staticmethod
    def client_data(kind, challenge: str, origin=ORIGIN) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin,
                           "crossOrigin": False}).encode()

    def create(self, options: dict, origin=ORIGIN, rp_id=None) -> dict:
        rp_id = rp_id or options["rp"]["id"]
        client_data = self.client_data("webauthn.create", options["challenge"], origin)
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([0x41])  # user present, attested credential data
            + struct.pack(">I", self.counter)
            + self.AAGUID + struct.pack(">H", len(self.credential_id)) + self.credential_id
            + self.cose_public_key()
        )
        if self.fmt == "packed":  # self-attestation: signed with the credential key itself
            statement = {"alg": -7, "sig": self._sign(auth_data + hashlib.sha256(client_data).digest())}
        else:
            statement = {}
        attestation = cbor2.dumps({"fmt": self.fmt, "attStmt": statement, "authData": auth_data})
        return {
            "id": b64url(self.credential_id), "rawId": b64url(self.credential_id), "type": "public-key",
            "response": {"clientDataJSON": b64url(client_data), "attestationObject": b64url(attestation),
                         "transports": ["usb"]},
            "clientExtensionResults": {},
        }

    def get(self, options: dict, origin=ORIGIN, rp_id=RP_ID, counter=None, tamper=False) -> dict:
        self.counter = self.counter + 1 if counter is None else counter
        client_data = self.client_data("webauthn.get", options["challenge"], origin)
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([0x01]) + struct.pack(">I", self.counter)
        signature = self._sign(auth_data + hashlib.sha256(client_data).digest())
        if tamper:
            signature = self._sign(auth_data + hashlib.sha256(client_data + b" ").digest())
        return {
            "id": b64url(self.credential_id), "rawId": b64url(self.credential_id), "type": "public-key",
            "response": {"clientDataJSON": b64url(client_data), "authenticatorData": b64url(auth_data),
                         "signature": b64url(signature), "userHandle": None},
            "clientExtensionResults": {},
        }


@pytest.fixture
def two_factor(settings):
    settings.CONG_2FA_REQUIRED = True


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("wagtailadmin_login"))
    response = client.post(reverse("wagtailadmin_login"), {
        "username": user.username, "password": PASSWORD,
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    })
    assert response.status_code == 302
    return client


def post_form(client, name, data=None):
    return client.post(reverse(name), {**(data or {}), "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def post_json(client, name, body, query=""):
    return client.post(reverse(name) + query, json.dumps(body), content_type="application/json",
                       HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)


def register(client, authenticator, name="Khóa USB"):
    options = post_form(client, "security_key_register_options", {"name": name})
    assert options.status_code == 200, options.content
    return options.json(), post_json(client, "security_key_register", authenticator.create(options.json()))


def authenticate(client, authenticator, query="", **kwargs):
    options = post_form(client, "security_key_auth_options")
    assert options.status_code == 200, options.content
    return options.json(), post_json(client, "security_key_authenticate",
                                     authenticator.get(options.json(), **kwargs), query)


def key_events(user, message):
    return AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR, actor=user, message=message)


@pytest.mark.parametrize("fmt", ["none", "packed"])
def test_enrol_with_a_key_then_sign_in_with_it(network, two_factor, fmt):
    user = network.user("a", BoardRole.EDITOR)
    client = signed_in(user)
    # the admin is held; a new account may enrol with a security key
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    page = client.get(reverse("security_keys"))
    assert page.status_code == 200
    assert b"security/js/webauthn.js" in page.content and b"<script>" not in page.content

    authenticator = SoftwareAuthenticator(fmt)
    options, response = register(client, authenticator)
    assert options["rp"]["id"] == RP_ID and options["attestation"] == "none"
    assert response.status_code == 200, response.content
    key = SecurityKey.objects.get(user=user)
    assert key.name == "Khóa USB" and key.credential_id == b64url(authenticator.credential_id)
    assert key.transports == ["usb"] and key.rp_id == RP_ID
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert key_events(user, "security key registered").count() == 1

    # a new sign-in: the verify page offers the key (and no code form: no app)
    other = signed_in(user)
    verify = other.get(reverse("security_2fa_verify"))
    assert verify.status_code == 200 and b'data-cong-webauthn="authenticate"' in verify.content
    assert b'name="code"' not in verify.content
    assert other.get(reverse("wagtailadmin_home")).status_code == 302
    options, response = authenticate(other, authenticator, "?next=/admin/pages/")
    assert [c["id"] for c in options["allowCredentials"]] == [key.credential_id]
    assert response.status_code == 200, response.content
    assert response.json()["redirect"] == "/admin/pages/"
    assert other.get(reverse("wagtailadmin_home")).status_code == 200
    key.refresh_from_db()
    assert key.sign_count == 1 and key.last_used_at is not None
    assert key_events(user, "security key verified").count() == 1


def test_several_named_keys_and_removal(network, two_factor):
    user = network.user("b", BoardRole.CHIEF)
    client = signed_in(user)
    first, second = SoftwareAuthenticator(), SoftwareAuthenticator("none")
    assert register(client, first, "Khóa chính")[1].status_code == 200
    assert register(client, second, "Khóa dự phòng")[1].status_code == 200
    # the same name twice is refused before any ceremony
    assert post_form(client, "security_key_register_options", {"name": "Khóa chính"}).status_code == 400
    # the same credential twice (excluded, but a broken client may still send it)
    options = post_form(client, "security_key_register_options", {"name": "Lần nữa"}).json()
    assert {c["id"] for c in options["excludeCredentials"]} == {b64url(first.credential_id),
                                                                 b64url(second.credential_id)}
    assert post_json(client, "security_key_register", first.create(options)).status_code == 400
    names = list(SecurityKey.objects.filter(user=user).values_list("name", flat=True))
    assert names == ["Khóa chính", "Khóa dự phòng"]
    listing = client.get(reverse("security_keys"))
    assert "Khóa dự phòng" in listing.content.decode()

    # either key signs in
    other = signed_in(user)
    assert authenticate(other, second)[1].status_code == 200
    # removing a key: only one's own, and then it no longer signs in
    stranger = network.user("a", BoardRole.CHIEF)
    stranger_client = signed_in(stranger)
    removed = SecurityKey.objects.get(user=user, name="Khóa chính")
    post_form(stranger_client, "security_key_remove", {"key": removed.pk})
    assert SecurityKey.objects.filter(pk=removed.pk).exists()
    assert post_form(client, "security_key_remove", {"key": removed.pk}).status_code == 302
    assert not SecurityKey.objects.filter(pk=removed.pk).exists()
    third = signed_in(user)
    options, response = authenticate(third, first)
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(second.credential_id)]
    assert response.status_code == 400
    assert key_events(user, "security key removed").count() == 1


def test_keys_cannot_be_managed_before_the_second_factor(network, two_factor):
    user = network.user("a", BoardRole.SECRETARY)
    enrol = signed_in(user)
    assert register(enrol, SoftwareAuthenticator())[1].status_code == 200
    later = signed_in(user)
    # an attacker with the password alone cannot add his own key or remove one
    assert later.get(reverse("security_keys")).status_code == 302
    assert post_form(later, "security_key_register_options", {"name": "Của kẻ gian"}).status_code == 403
    key = SecurityKey.objects.get(user=user)
    post_form(later, "security_key_remove", {"key": key.pk})
    assert SecurityKey.objects.filter(user=user).count() == 1


def test_refusals_wrong_origin_replay_bad_signature_counter_backwards(network, two_factor):
    user = network.user("b", BoardRole.EDITOR)
    authenticator = SoftwareAuthenticator()
    enrol = signed_in(user)
    # registration from another origin is refused
    options = post_form(enrol, "security_key_register_options", {"name": "Khóa"}).json()
    bad = post_json(enrol, "security_key_register", authenticator.create(options, origin="https://evil.test"))
    assert bad.status_code == 400 and not SecurityKey.objects.filter(user=user).exists()
    # the challenge was used up by the refused answer: replaying a good answer to it fails too
    assert post_json(enrol, "security_key_register", authenticator.create(options)).status_code == 400
    assert register(enrol, authenticator)[1].status_code == 200

    client = signed_in(user)
    # wrong origin (a phishing site relaying the ceremony)
    assert authenticate(client, authenticator, origin="https://binhan-gov.evil.test")[1].status_code == 400
    # wrong relying party
    assert authenticate(client, authenticator, rp_id="evil.test")[1].status_code == 400
    # bad signature
    assert authenticate(client, authenticator, tamper=True)[1].status_code == 400
    # a good sign-in, then a replay of that very answer (its challenge is spent)
    options, ok = authenticate(client, authenticator)
    assert ok.status_code == 200
    answer = authenticator.get(options, counter=authenticator.counter)  # same challenge, same counter
    replayed = signed_in(user)
    post_form(replayed, "security_key_auth_options")  # a fresh challenge is pending in this session
    assert post_json(replayed, "security_key_authenticate", answer).status_code == 400
    # a wrong challenge: an answer to another session's challenge
    foreign_options = post_form(replayed, "security_key_auth_options").json()
    stolen = signed_in(user)
    post_form(stolen, "security_key_auth_options")
    assert post_json(stolen, "security_key_authenticate",
                     authenticator.get(foreign_options)).status_code == 400
    # the sign counter going backwards (a cloned key)
    key = SecurityKey.objects.get(user=user)
    current = key.sign_count
    assert current >= 1
    clone = signed_in(user)
    assert authenticate(clone, authenticator, counter=current - 1)[1].status_code == 400
    assert authenticate(clone, authenticator, counter=current)[1].status_code == 400
    assert clone.get(reverse("wagtailadmin_home")).status_code == 302
    key.refresh_from_db()
    assert key.sign_count == current

    refused = list(key_events(user, "security key sign-in refused").values_list("changes", flat=True))
    reasons = " | ".join(c["reason"] for c in refused)
    assert "origin" in reasons and "RP ID" in reasons and "signature" in reasons
    assert "challenge" in reasons and "sign count" in reasons
    assert len(refused) == 7
    assert key_events(user, "security key registration refused").count() == 2
    assert key_events(user, "security key verified").count() == 1


def test_totp_users_are_not_offered_keys_they_do_not_have(network, two_factor):
    import pyotp

    from cong.security.models import TOTPDevice

    user = network.user("a", BoardRole.DEPUTY)
    TOTPDevice.objects.create(user=user, secret=pyotp.random_base32(32), confirmed=True)
    client = signed_in(user)
    page = client.get(reverse("security_2fa_verify"))
    assert b'name="code"' in page.content and b"data-cong-webauthn" not in page.content
    assert post_form(client, "security_key_auth_options").status_code == 400
