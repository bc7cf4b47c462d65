"""Hardening: deploy checks, headers on every response, uploads checked by
content, outbound-link blocklist, the admin limited to given networks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client, override_settings
from django.urls import reverse

from cong.security.choices import AuditAction
from cong.security.links import blocked_hosts, hosts_in
from cong.security.models import AuditEvent, BlockedLinkDomain
from cong.units.choices import BoardRole

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "binhan.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_security_headers_on_public_admin_and_error_responses(network):
    client = Client(HTTP_HOST="stttt.binhan.test")
    for path in ("/", "/phan-anh-vi-pham/", "/khong-ton-tai/", "/admin/login/"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'self'" in csp
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_uploads_are_checked_by_content():
    import pytest
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cong.core.uploads import UploadRejected, check_upload

    allowed = {"pdf", "png", "jpg", "docx"}
    cases = [
        SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 an executable"),  # type by content
        SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'></svg>"),  # SVG refused
        SimpleUploadedFile("tai-lieu.zip", b"PK\x03\x04" + b"\x00" * 40),  # archives refused
        SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),  # does not decode
        SimpleUploadedFile("lon.pdf", b"%PDF-1.7\n" + b"0" * 3000),  # too large
    ]
    for f in cases:
        with pytest.raises(UploadRejected):
            check_upload(f, allowed=allowed, max_bytes=2048)


def test_path_traversal_in_file_names_is_refused(tmp_path):
    import pytest
    from django.core.exceptions import SuspiciousFileOperation
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "media")
    for name in ("../../etc/passwd.txt", "/etc/passwd.txt"):
        with pytest.raises(SuspiciousFileOperation):
            storage.save(name, ContentFile(b"x"))
    assert not (tmp_path / "etc").exists()


def test_outbound_links_to_blocked_domains_are_found(db):
    BlockedLinkDomain.objects.create(domain="Lua-Dao.example", reason="Lừa đảo")
    html = ('<p><a href="https://tin.lua-dao.example/x">a</a> <a href="//lua-dao.example">b</a>'
            ' <a href="https://baochinhphu.vn/">c</a> <a href="HTTPS://user@LUA-DAO.example:8443/">d</a></p>')
    assert blocked_hosts(hosts_in(html)) == {"tin.lua-dao.example", "lua-dao.example"}
    assert blocked_hosts(hosts_in('<a href="https://notlua-dao.example/">x</a>')) == set()


def test_publishing_a_page_with_a_blocked_link_is_refused(network, publish_item, rf):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from wagtail import hooks

    from cong.content.models import ArticlePage

    BlockedLinkDomain.objects.create(domain="lua-dao.example")
    chief = network.user("a", BoardRole.CHIEF)
    page = publish_item(network.portals["a"], title="Tin có liên kết", slug="tin-lien-ket")
    page = ArticlePage.objects.get(pk=page.pk)
    page.body = [("paragraph", '<p><a href="https://lua-dao.example/trung-thuong">trúng thưởng</a></p>')]
    request = rf.post(f"/admin/pages/{page.pk}/edit/")
    request.user = chief
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    responses = [fn(request, page) for fn in hooks.get_hooks("before_publish_page")]
    refused = [r for r in responses if r is not None]
    assert refused and refused[0].status_code == 302
    assert refused[0].url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED, message="blocked outbound links",
                                     object_id=str(page.pk)).exists()
    # the same page without the link passes
    page.body = [("paragraph", '<p><a href="https://baochinhphu.vn/">Báo Chính phủ</a></p>')]
    assert all(fn(request, page) is None for fn in hooks.get_hooks("before_publish_page"))


def test_the_admin_can_be_limited_to_given_networks_and_hosts(network):
    with override_settings(CONG_ADMIN_ALLOWED_NETWORKS=["10.20.0.0/16"], CONG_ADMIN_HOSTS=[]):
        outside = Client(REMOTE_ADDR="203.0.113.50")
        inside = Client(REMOTE_ADDR="10.20.3.4")
        assert outside.get("/admin/login/").status_code == 404
        assert inside.get("/admin/login/").status_code == 200
        assert outside.get("/", HTTP_HOST="stttt.binhan.test").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED, ip="203.0.113.50").exists()
    with override_settings(CONG_ADMIN_ALLOWED_NETWORKS=[], CONG_ADMIN_HOSTS=["quantri.binhan.test"]):
        assert Client(HTTP_HOST="stttt.binhan.test").get("/admin/login/").status_code == 404
        assert Client(HTTP_HOST="quantri.binhan.test").get("/admin/login/").status_code == 200
