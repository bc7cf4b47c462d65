"""Staff accounts: second factor, lockout with back-off, sessions, idle
expiry, deactivation, and refused attacks (forged cookie, CSRF, oversized body)."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cong.security import throttle
from cong.security.choices import AuditAction
from cong.security.models import AuditEvent, LoginThrottle, TOTPDevice, UserSession
from cong.units.choices import BoardRole

PASSWORD = "matkhau-thu-nghiem"


@pytest.fixture
def two_factor(settings):
    settings.CONG_2FA_REQUIRED = True


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": password})


def current_code(secret, offset=0):
    totp = pyotp.TOTP(secret)
    return totp.at(timezone.now().timestamp() + offset * totp.interval)


# --- second factor ---------------------------------------------------------------


def test_board_member_must_enrol_then_give_a_code(network, two_factor):
    user = network.user("a", BoardRole.EDITOR)
    client = Client()
    sign_in(client, user)
    # any admin page sends to the second factor, then to enrolment
    response = client.get(reverse("wagtailadmin_explore_root"))
    assert response.status_code == 302 and response.url.startswith(reverse("security_2fa_verify"))
    response = client.get(response.url)
    assert response.url.startswith(reverse("security_2fa_setup"))
    page = client.get(response.url)
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    # a wrong code is refused, the admin stays closed
    bad = client.post(reverse("security_2fa_setup"), {"code": "000000"})
    assert bad.status_code == 400
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    ok = client.post(reverse("security_2fa_setup"), {"code": current_code(device.secret)})
    assert ok.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

    # next sign-in: the code is asked again, and a used code cannot be replayed
    device.refresh_from_db()
    assert device.confirmed
    used = current_code(device.secret)
    other = Client()
    sign_in(other, user)
    assert other.get(reverse("wagtailadmin_home")).status_code == 302
    replay = other.post(reverse("security_2fa_verify"), {"code": used})
    assert replay.status_code == 400
    fresh = other.post(reverse("security_2fa_verify"), {"code": current_code(device.secret, 1)})
    assert fresh.status_code == 302
    assert other.get(reverse("wagtailadmin_home")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR, actor=user, message="failed").exists()


def test_a_confirmed_device_cannot_be_replaced_without_the_second_factor(network, two_factor):
    user = network.user("b", BoardRole.CHIEF)
    TOTPDevice.objects.create(user=user, secret=pyotp.random_base32(32), confirmed=True)
    client = Client()
    sign_in(client, user)
    response = client.get(reverse("security_2fa_setup"))
    assert response.url.startswith(reverse("security_2fa_verify"))


def test_two_factor_codes_are_rate_limited(network, two_factor):
    user = network.user("b", BoardRole.EDITOR)
    device = TOTPDevice.objects.create(user=user, secret=pyotp.random_base32(32), confirmed=True)
    client = Client()
    sign_in(client, user)
    for _ in range(10):
        client.post(reverse("security_2fa_verify"), {"code": "111111"})
    # even the right code is refused once the client exceeds the rate
    response = client.post(reverse("security_2fa_verify"), {"code": current_code(device.secret)})
    assert response.status_code == 400


# --- lockout -------------------------------------------------------------------


def test_guessing_locks_the_pair_with_back_off_but_not_the_real_editor(network):
    user = network.user("a", BoardRole.SECRETARY)
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(throttle.PAIR_LIMIT):
        sign_in(attacker, user, "doan-sai")
    # locked: even the right password does not get the attacker in
    response = sign_in(attacker, user)
    assert response.status_code == 200 and "_auth_user_id" not in attacker.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, ip="198.51.100.9").exists()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, message__startswith="locked").exists()
    # the real editor, from their own client, signs in at once
    editor = Client(REMOTE_ADDR="192.0.2.44")
    assert sign_in(editor, user).status_code == 302

    # back-off: the next lockout of the pair lasts twice as long
    pair = LoginThrottle.objects.get(key=throttle.keys_for(user.username, _req("198.51.100.9"))["pair"])
    first = (pair.locked_until - pair.window_started).total_seconds()
    LoginThrottle.objects.filter(pk=pair.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    for _ in range(throttle.PAIR_LIMIT):
        sign_in(attacker, user, "doan-sai")
    pair.refresh_from_db()
    second = (pair.locked_until - pair.window_started).total_seconds()
    assert first == pytest.approx(throttle.BASE_SECONDS, abs=2)
    assert second == pytest.approx(2 * throttle.BASE_SECONDS, abs=2)


def _req(ip):
    from django.test import RequestFactory

    return RequestFactory().get("/", REMOTE_ADDR=ip)


def test_a_client_spraying_many_accounts_is_locked(network):
    from cong.accounts.models import User

    sprayer = Client(REMOTE_ADDR="198.51.100.77")
    for i in range(throttle.CLIENT_LIMIT):
        sign_in(sprayer, User(username=f"khong-co-{i}"), "x")
    target = network.user("b", BoardRole.SECRETARY)
    assert sign_in(sprayer, target).status_code == 200  # locked, right password or not
    assert sign_in(Client(REMOTE_ADDR="192.0.2.50"), target).status_code == 302


def test_distributed_guessing_holds_the_account_briefly_except_for_known_clients(network):
    user = network.user("province", BoardRole.EDITOR)
    # the editor signed in before from this client: it carries the known-client cookie
    editor = Client(REMOTE_ADDR="192.0.2.60")
    assert sign_in(editor, user).status_code == 302
    editor.post(reverse("wagtailadmin_logout"))
    for i in range(throttle.ACCOUNT_LIMIT):
        sign_in(Client(REMOTE_ADDR=f"198.18.{i // 200}.{i % 200 + 1}"), user, "doan-sai")
    account = LoginThrottle.objects.get(key=throttle.keys_for(user.username, None)["account"])
    assert account.locked_until is not None
    assert (account.locked_until - timezone.now()).total_seconds() <= throttle.ACCOUNT_MAX_SECONDS
    # a new client must wait; the editor's known client is let through
    assert sign_in(Client(REMOTE_ADDR="192.0.2.61"), user).status_code == 200
    assert sign_in(editor, user).status_code == 302


# --- sessions ------------------------------------------------------------------


def test_sessions_are_listed_and_can_be_signed_out_from_another_device(network):
    user = network.user("a", BoardRole.DEPUTY)
    laptop, phone = Client(HTTP_USER_AGENT="May tinh"), Client(HTTP_USER_AGENT="Dien thoai")
    sign_in(laptop, user)
    sign_in(phone, user)
    page = laptop.get(reverse("security_sessions"))
    assert page.status_code == 200
    assert b"May tinh" in page.content and b"Dien thoai" in page.content
    phone_row = UserSession.objects.get(user=user, user_agent="Dien thoai")
    response = laptop.post(reverse("security_session_end"), {"session": phone_row.pk})
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=phone_row.session_key).exists()
    assert phone.get(reverse("wagtailadmin_home")).status_code == 302  # signed out
    assert laptop.get(reverse("wagtailadmin_home")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SESSION_REVOKED, actor=user).exists()
    # another user's session cannot be ended
    other = network.user("b", BoardRole.DEPUTY)
    intruder = Client()
    sign_in(intruder, other)
    laptop_row = UserSession.objects.get(user=user, user_agent="May tinh")
    intruder.post(reverse("security_session_end"), {"session": laptop_row.pk})
    assert UserSession.objects.filter(pk=laptop_row.pk).exists()


def test_idle_sessions_expire(network, settings):
    settings.CONG_SESSION_IDLE_SECONDS = 600
    user = network.user("a", BoardRole.EDITOR)
    client = Client()
    sign_in(client, user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    session = client.session
    session["cong_last_seen"] = int(timezone.now().timestamp()) - 601
    session.save()
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and response.url.startswith(reverse("wagtailadmin_login"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=user, message="idle").exists()


def test_ending_the_last_board_membership_deactivates_and_signs_out(network):
    from cong.units import services

    user = network.user("b", BoardRole.CONTRIBUTOR)
    client = Client()
    sign_in(client, user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    services.board_member_dismiss(membership=user.board_memberships.get(), actor=network.superuser)
    user.refresh_from_db()
    assert not user.is_active
    assert not UserSession.objects.filter(user=user).exists()
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_DEACTIVATED, object_id=str(user.pk)).exists()


# --- refused attacks -------------------------------------------------------------


def test_a_forged_session_cookie_gives_no_access(network):
    client = Client()
    client.cookies["sessionid"] = "k" * 32
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and response.url.startswith(reverse("wagtailadmin_login"))


def test_csrf_failures_are_refused_and_logged(network):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.30")
    user = network.user("a", BoardRole.EDITOR)
    response = sign_in(client, user)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED, ip="198.51.100.30",
                                     message__startswith="django.security.csrf").exists()


def test_an_oversized_body_is_refused_and_logged(network, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = Client(REMOTE_ADDR="198.51.100.31")
    response = client.post(reverse("wagtailadmin_login"), {"username": "x", "password": "y" * 5000})
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED, ip="198.51.100.31",
                                     message__contains="RequestDataTooBig").exists()


def test_password_rules_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("123456789012", "password123", "ngan"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Mot-cau-mat-khau-dai-2026")


def test_guesses_one_client_gets_per_hour_follow_the_back_off(db):
    # 5 guesses, then locks of 1, 2, 4, 8, 15, 15 min: 7 rounds in an hour
    assert throttle.guesses_allowed(3600) == 7 * throttle.PAIR_LIMIT
    assert throttle.guesses_allowed(3600) == 7 * throttle.PAIR_LIMIT  # repeatable
    # spraying 50 accounts: the client lock (20 guesses, 1 min doubling) applies
    assert throttle.guesses_allowed(3600, accounts=50, ip="198.51.100.251") == 6 * throttle.CLIENT_LIMIT
