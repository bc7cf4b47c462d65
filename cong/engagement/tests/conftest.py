"""Fixtures of the engagement tests: a real SMTP server on 127.0.0.1, solved
proof-of-work challenges, and form posting helpers."""

from __future__ import annotations

import datetime as dt
import socket
from zoneinfo import ZoneInfo

import altcha
import pytest
from aiosmtpd.controller import Controller

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(y, m, d, h=9, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ)


def solve(challenge: dict) -> str:
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"],
        challenge["maxNumber"], 0,
    )
    return altcha.PayloadV1(
        challenge["algorithm"], challenge["challenge"], solution.number, challenge["salt"],
        challenge["signature"],
    ).to_base64()


@pytest.fixture(autouse=True)
def _small_pow(settings):
    settings.CONG_POW_MAX_NUMBER = 2000


@pytest.fixture
def pow_solved():
    """A fresh solved challenge from the portal's own endpoint."""

    def make(client):
        return solve(client.get("/-/pow/").json())

    return make


@pytest.fixture
def submit(pow_solved):
    """GET a public form, fill it, solve the challenge and POST it."""

    def post(client, url, data, files=None, solve_pow=True):
        page = client.get(url)
        assert page.status_code == 200, page.status_code
        key = page.context["form"].initial["submission_key"]
        payload = {"submission_key": key, **data}
        if solve_pow:
            payload["pow"] = pow_solved(client)
        if files:
            payload.update(files)
        return client.post(url, payload)

    return post


class SmtpRecorder:
    """An aiosmtpd handler keeping what it received; recipients in
    ``refuse`` get a permanent 550, and ``down`` makes every DATA fail with 451."""

    def __init__(self):
        self.messages = []
        self.refuse = set()
        self.down = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.down:
            return "451 4.3.0 Local error in processing"
        self.messages.append({
            "from": envelope.mail_from, "to": list(envelope.rcpt_tos),
            "raw": envelope.original_content or envelope.content,
        })
        return "250 Message accepted for delivery"


def mail_text(message: dict) -> tuple[str, str]:
    """(subject, body) of a message the server received, decoded."""
    import email
    from email.header import decode_header, make_header

    msg = email.message_from_bytes(message["raw"])
    subject = str(make_header(decode_header(msg["Subject"])))
    body = msg.get_payload(decode=True).decode(msg.get_content_charset() or "utf-8")
    return subject, body


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend talks to."""
    handler = SmtpRecorder()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "cong@binhan.test"
    try:
        yield handler
    finally:
        controller.stop()
