"""The English catalogue covers every string the code marks, and switching to
English really shows English on public pages and in the admin.

The catalogue check extracts the msgids the way `make translations` does, into
a copy of the source tree (the real tree and catalogue are left alone), and
asks the gettext tools which entries are untranslated or fuzzy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from cong.units.choices import BoardRole

CATALOGUE = Path(settings.BASE_DIR) / "cong" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _gettext_tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} (GNU gettext) is needed; scripts/system-packages.sh installs it")
    return path


def _entries(po_text):
    """msgids of the entries of a .po text (the header excluded)."""
    found, current = [], None
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            current = [line[6:]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            text = "".join(part.strip()[1:-1] for part in current)
            if text:
                found.append(text)
            current = None
    return found


@pytest.fixture(scope="module")
def regenerated_catalogue(tmp_path_factory):
    """The English catalogue merged with the msgids found in the code now."""
    _gettext_tool("xgettext")
    root = tmp_path_factory.mktemp("i18n")
    shutil.copytree(
        Path(settings.BASE_DIR) / "cong", root / "cong",
        ignore=shutil.ignore_patterns("__pycache__", "tests", "static", "*.mo"),
    )
    locale = root / "cong" / "locale"
    cwd = Path.cwd()
    try:
        os.chdir(root)
        with override_settings(LOCALE_PATHS=[locale]):
            call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
    return locale / "en" / "LC_MESSAGES" / "django.po"


def test_the_extraction_finds_the_strings_of_every_app(regenerated_catalogue):
    text = regenerated_catalogue.read_text(encoding="utf-8")
    msgids = _entries(text)
    assert len(msgids) > 1000
    for msgid in ("Ban Biên tập", "Công báo", "Tiếp thu", "Máy tính", "Kiểm tra tuân thủ"):
        assert msgid in msgids
    assert "#: cong/gazette/models.py:" in text


def test_every_msgid_in_the_code_has_an_english_translation(regenerated_catalogue):
    msgattrib = _gettext_tool("msgattrib")
    problems = {}
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            [msgattrib, flag, "--no-wrap", str(regenerated_catalogue)],
            capture_output=True, text=True, check=True,
        ).stdout
        if _entries(out):
            problems[flag] = _entries(out)
    assert not problems, (
        "cong/locale/en is behind the code; run `make translations`, translate these "
        f"and drop the fuzzy flags: {problems}"
    )


def test_the_committed_catalogue_compiles_cleanly(tmp_path):
    msgfmt = _gettext_tool("msgfmt")
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr


@pytest.fixture
def english_catalogue(tmp_path):
    """The committed catalogue compiled, as `make messages` does, but into a
    temporary locale directory so the test does not depend on a prior build."""
    msgfmt = _gettext_tool("msgfmt")
    target = tmp_path / "locale" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run([msgfmt, "-o", str(target / "django.mo"), str(CATALOGUE)], check=True)
    # override_settings drops Django's cached translations (django.test.signals).
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        yield


@pytest.mark.parametrize(("path", "english", "vietnamese"), [
    ("/en/", ["Skip to main content", "Main menu", "Site map"], ["Bỏ qua, đến nội dung chính"]),
    ("/en/cong-bao/", ["Documents – Electronic Official Gazette", "Issuing authority", "In force on "],
     ["Văn bản – Công báo điện tử", "In force on ngày"]),
    ("/en/hoi-dap/gui-cau-hoi/", ["Send a question, feedback or petition", "Full name"],
     ["Gửi câu hỏi, phản ánh, kiến nghị"]),
    ("/en/phan-anh-vi-pham/", ["Report unlawful or false information", "Send the report"],
     ["Phản ánh thông tin vi phạm, sai sự thật"]),
])
def test_public_pages_speak_english_under_en(network, host_client, english_catalogue,
                                             path, english, vietnamese):
    response = host_client("stttt.binhan.test").get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    for text in english:
        assert text in html
    for text in vietnamese:
        assert text not in html
    vi = host_client("stttt.binhan.test").get(path.removeprefix("/en")).content.decode()
    assert vietnamese[0] in vi


def test_the_admin_speaks_english_to_a_user_who_prefers_it(client, network, english_catalogue):
    from wagtail.users.models import UserProfile

    user = network.user("a", BoardRole.CHIEF)
    url = reverse("compliance_portal", args=[network.portals["a"].pk])
    client.force_login(user)
    assert "Cổng chưa được kiểm tra lần nào." in client.get(url).content.decode()

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    html = client.get(url).content.decode()
    assert "This portal has not been checked yet." in html
    assert "Check now" in html
    assert "Cổng chưa được kiểm tra lần nào." not in html
    assert "Kiểm tra ngay" not in html


def test_the_vn_format_filters_drop_vietnamese_words_on_english_pages():
    import datetime as dt

    from django.utils import translation

    from cong.core.templatetags.vn_format import vn_date, vn_duration, vn_number

    day = dt.date(2024, 3, 12)
    with translation.override("vi"):
        assert (vn_date(day), vn_number(34713393), vn_duration(3725)) == (
            "ngày 12/3/2024", "34.713.393", "01 giờ 02 phút 05 giây")
    with translation.override("en"):
        assert (vn_date(day), vn_number(34713393), vn_duration(350)) == (
            "12/3/2024", "34,713,393", "05 min 50 s")
        assert vn_number("n/a") == "n/a"
