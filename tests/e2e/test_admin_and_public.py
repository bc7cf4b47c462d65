"""The admin and the public sites work in a real browser under the CSP."""

import re

import pytest

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "cong-demo-2024"


def login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))


def category_pk(demo_server, slug="chuyen-doi-so"):
    import subprocess
    import sys

    from .conftest import ROOT

    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         f"from cong.content.models import Category; print(Category.objects.get(slug='{slug}').pk)"],
        cwd=ROOT, env=demo_server[1], check=True, capture_output=True, text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def csp_problems(page):
    return [m for m in page.console_problems if "Content Security Policy" in m]


def test_admin_pages_run_without_csp_violations(demo_server, page):
    base, _ = demo_server
    login(page, base, "admin")
    for path in ("/admin/", "/admin/pages/", "/admin/images/", "/admin/documents/", "/admin/units/",
                 "/admin/reports/site-history/", "/admin/bao-cao/", "/admin/snippets/"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    assert csp_problems(page) == []
    # the date filter of the page listing is initialised (Wagtail did it inline)
    page.goto(base + "/admin/pages/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.initDateChooser") == "function"
    assert page.locator("[data-cong-init]").count() == 0


def test_an_editor_writes_an_article_in_the_page_editor(demo_server, page):
    base, _ = demo_server
    login(page, base, "stttt.bientap")
    page.goto(base + "/admin/pages/")
    page.wait_for_load_state("networkidle")
    section = page.locator("a", has_text="Tin tức – Sự kiện").first
    section.click()
    page.wait_for_load_state("networkidle")
    match = re.search(r"/admin/pages/(\d+)/", page.url)
    assert match, page.url
    page.goto(f"{base}/admin/pages/add/content/articlepage/{match.group(1)}/")
    page.wait_for_load_state("networkidle")
    # every chooser (featured image, category…) was initialised by admin-csp.js
    assert page.locator("[data-cong-chooser]").count() == 0
    assert page.locator("[data-cong-target]").count() > 0
    page.fill("#id_title", "Bài viết thử trong trình duyệt")
    page.fill("#id_summary", "Tóm tắt bài viết thử.")
    # the category field is Wagtail's snippet chooser: its value is a hidden input
    page.evaluate("pk => { document.getElementById('id_category').value = pk; }", category_pk(demo_server))
    page.locator("footer button").first.click()  # save draft
    page.wait_for_load_state("networkidle")
    errors = page.locator(".error-message, .w-field__errors:not(:empty), .help-critical").all_inner_texts()
    assert "/edit/" in page.url, (page.url, errors)
    assert csp_problems(page) == [], page.console_problems


def test_public_site_keyboard_and_csp(demo_server, page):
    base, _ = demo_server
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#noi-dung"
    for path in ("/gioi-thieu/", "/tin-tuc-su-kien/", "/tim-kiem/?q=chuyen+doi+so", "/so-do-cong/"):
        response = page.goto(base + path)
        assert response.status == 200
    assert csp_problems(page) == []
