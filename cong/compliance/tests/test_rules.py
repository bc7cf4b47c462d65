"""Every rule passes on a complete portal; removing each required element
makes its rule fail with the right message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cong.compliance import rules as rules_mod
from cong.compliance import services
from cong.compliance.models import RuleSwitch, Status, TrustLabel
from cong.core.errors import ApplicationError
from cong.units.models import Official, PortalSettings

from .conftest import child, set_body


def rule(rule_id):
    return next(r for r in rules_mod.all_rules() if r.id == rule_id)


def result_of(portal, rule_id):
    run = services.portal_check(portal, rule_list=[rule(rule_id)])
    return run.results.get(rule_id=rule_id)


def test_a_complete_portal_passes_every_rule_including_the_accessibility_scan(complete_portal):
    run = services.portal_check(complete_portal)
    statuses = dict(run.results.values_list("rule_id", "status"))
    not_passed = {k: v for k, v in statuses.items() if v != Status.PASS}
    assert not_passed == {}, {k: r for k, r in run.results.values_list("rule_id", "message") if k in not_passed}
    assert "TT22.TIEP-CAN" in statuses
    assert run.complete and run.failed == 0 and run.failed_errors == 0 and run.score == 100.0


def test_the_accessibility_sample_covers_each_page_type(complete_portal):
    import datetime as dt

    from cong.compliance.a11y import sample_paths
    from cong.compliance.checks import Context

    paths = sample_paths(Context(day=dt.date.today(), portal=complete_portal))
    assert paths[0] == "/"
    for expected in ("/tin-tuc-su-kien/", "/gioi-thieu/", "/lien-he/", "/tim-kiem/",
                     "/cong-bao/", "/hoi-dap/gui-cau-hoi/"):
        assert expected in paths, paths
    assert any(p.startswith("/tin-tuc-su-kien/") and p != "/tin-tuc-su-kien/" for p in paths)  # an article


def test_a_bare_portal_fails_with_messages_and_fix_links(network, secure_settings):
    run = services.portal_check(network.portals["b"], scope=rules_mod.CONTENT)
    results = {r.rule_id: r for r in run.results.all()}
    assert results["ND.INFO06.DAU-MOI"].status == Status.FAIL
    assert results["ND.INFO06.DAU-MOI"].message == "Chưa có cán bộ đầu mối nào."
    assert results["ND.INFO06.DAU-MOI"].fix_url.startswith("/admin/snippets/units/official/add")
    assert results["ND.INFO01.VAN-BAN"].message == "Chưa đăng văn bản nào."
    assert run.failed_errors > 0 and run.score < 50


def _clear_contact_email(portal):
    Official.objects.filter(portal=portal, role="contact").update(email="")


def _clear_leader_duties(portal):
    Official.objects.filter(portal=portal, role="leader").update(duties="")


def _officials_unreviewed(role):
    def mutate(portal):
        from django.utils import timezone

        # .update() does not touch auto_now: the list was last saved 400 days ago
        Official.objects.filter(portal=portal, role=role).update(
            updated_at=timezone.now() - dt.timedelta(days=400))
    return mutate


def _functions_unreviewed(portal):
    from django.utils import timezone
    from wagtail.models import Page

    page = child(portal.site.root_page, "gioi-thieu", "chuc-nang-nhiem-vu")
    Page.objects.filter(pk=page.pk).update(last_published_at=timezone.now() - dt.timedelta(days=800))


def _remove_chart(portal):
    page = child(portal.site.root_page, "gioi-thieu", "co-cau-to-chuc")
    set_body(page, "<p>Lãnh đạo Sở gồm Giám đốc và các Phó Giám đốc; các phòng chuyên môn trực thuộc.</p>")


def _unpublish_functions(portal):
    child(portal.site.root_page, "gioi-thieu", "chuc-nang-nhiem-vu").unpublish()


def _document_without_file(portal):
    from cong.content.models import DocumentPage

    doc = DocumentPage.objects.descendant_of(portal.site.root_page).get()
    doc.files = "[]"
    doc.save_revision().publish()


def _stale_section(slug, days):
    def mutate(portal):
        from cong.content.models import ItemPage

        old = timezone.now() - dt.timedelta(days=days + 1)
        section = child(portal.site.root_page, slug)
        ItemPage.objects.descendant_of(section).update(first_published_at=old, last_published_at=old)

    return mutate


def _unpublish_titled(word):
    def mutate(portal):
        from wagtail.models import Page

        for page in Page.objects.descendant_of(portal.site.root_page).filter(title__icontains=word):
            page.unpublish()

    return mutate


def _regulation_without_procedures(portal):
    page = child(portal.site.root_page, "gioi-thieu", "quy-che")
    set_body(page, "<p>Quy chế quy định trách nhiệm của Ban Biên tập.</p>")


def _access_without_email(portal):
    set_body(child(portal.site.root_page, "tiep-can-thong-tin"),
             "<p>Đầu mối cung cấp thông tin: Văn phòng Sở, theo mẫu yêu cầu.</p>")


def _procedures_unlinked(portal):
    set_body(child(portal.site.root_page, "thu-tuc-hanh-chinh"), "<p>Thủ tục hành chính của Sở.</p>")


def _english_unpublished(portal):
    from wagtail.models import Locale

    page = child(portal.site.root_page, "gioi-thieu", "can-bo-dau-moi")
    page.get_translation(Locale.objects.get(language_code="en")).unpublish()


def _late_document(portal):
    from cong.content.models import DocumentPage

    doc = DocumentPage.objects.descendant_of(portal.site.root_page).get()
    DocumentPage.objects.filter(pk=doc.pk).update(issued_on=timezone.localdate() - dt.timedelta(days=30))


def _short_notice(portal):
    start = timezone.now() + dt.timedelta(days=3)
    services.maintenance_notice_create(portal=portal, starts_at=start, ends_at=start + dt.timedelta(hours=4),
                                       message="Nâng cấp máy chủ.")


CONTENT_CASES = [
    ("ND.INFO06.DAU-MOI", _clear_contact_email, "Cán bộ đầu mối thiếu thông tin: Trần Thị Bình (thiếu thư điện tử)."),
    ("ND.INFO06.LANH-DAO", _clear_leader_duties, "Thiếu chức vụ hoặc nhiệm vụ được phân công: Nguyễn Văn An."),
    ("ND.INFO06.LANH-DAO", _officials_unreviewed("leader"), "Danh sách lãnh đạo chưa được rà soát, cập nhật trong 365 ngày qua"),
    ("ND.INFO06.DAU-MOI", _officials_unreviewed("contact"),
     "Danh sách cán bộ đầu mối chưa được rà soát, cập nhật trong 365 ngày qua"),
    ("ND.INFO06.CO-CAU", _functions_unreviewed,
     "Chức năng, nhiệm vụ: chưa được rà soát, cập nhật trong 730 ngày qua."),
    ("ND.INFO06.CO-CAU", _remove_chart, "Cơ cấu tổ chức: thiếu sơ đồ tổ chức (ảnh)."),
    ("ND.INFO06.CO-CAU", _unpublish_functions, "Chức năng, nhiệm vụ: chưa có trang."),
    ("ND.INFO01.VAN-BAN", _document_without_file, "thiếu tệp tải về"),
    ("ND.INFO05.CHIEN-LUOC", _stale_section("chien-luoc-quy-hoach-ke-hoach", 365), "không có thông tin mới trong 365 ngày"),
    ("ND.INFO04.PHO-BIEN", _stale_section("pho-bien-phap-luat", 180), "không có thông tin mới trong 180 ngày"),
    ("TCTT.TRUYEN-THONG", _stale_section("truyen-thong-chinh-sach", 90), "không có thông tin mới trong 90 ngày"),
    ("ND.INFO07.TAI-CHINH", _unpublish_titled("tài chính"), "Chưa có báo cáo tài chính năm."),
    ("ND.INFO07.TAI-CHINH", _unpublish_titled("thống kê"), "Chưa có thông tin thống kê."),
    ("TCTT.DANH-MUC", _unpublish_titled("Danh mục"), "Chưa đăng Danh mục thông tin phải được công khai."),
    ("TCTT.CHUYEN-MUC", _access_without_email, "thiếu: địa chỉ thư điện tử nhận yêu cầu."),
    ("ND.INFO03.TTHC", _procedures_unlinked, "chưa liên kết tới dichvucong.gov.vn"),
    ("TCTT.TIENG-ANH", _english_unpublished, "Chưa có bản tiếng Anh: cán bộ đầu mối."),
    ("ND13.QUY-CHE", _unpublish_titled("Quy chế"), "Chưa đăng Quy chế quản lý, vận hành và cung cấp thông tin"),
    ("ND13.QUY-CHE", _regulation_without_procedures, "chưa có quy trình xử lý sự cố và xử lý thông tin vi phạm"),
    ("HAN.VAN-BAN", _late_document, "văn bản đăng quá 2 ngày làm việc"),
    ("ND224.TAM-NGUNG", _short_notice, "(cần ít nhất 7)"),
]


@pytest.mark.parametrize(("rule_id", "mutate", "message"), CONTENT_CASES,
                         ids=[f"{c[0]}-{c[1].__name__}" for c in CONTENT_CASES])
def test_removing_a_required_element_fails_its_content_rule(complete_portal, rule_id, mutate, message):
    assert result_of(complete_portal, rule_id).status == Status.PASS
    mutate(complete_portal)
    result = result_of(complete_portal, rule_id)
    assert result.status == Status.FAIL
    assert message in result.message


def _settings(**fields):
    def mutate(portal):
        ps = PortalSettings.for_site(portal.site)
        for k, v in fields.items():
            setattr(ps, k, v)
        ps.save()

    return mutate


def _expire_label(portal):
    TrustLabel.objects.filter(unit=portal.unit).update(expires_on=timezone.localdate() - dt.timedelta(days=1))


def _hide_intro_from_menu(portal):
    page = child(portal.site.root_page, "gioi-thieu")
    page.show_in_menus = False
    page.save_revision().publish()


def _empty_privacy(portal):
    set_body(child(portal.site.root_page, "chinh-sach-bao-ve-du-lieu-ca-nhan"), "<p>Đang cập nhật.</p>")


def _unpublish_sitemap(portal):
    child(portal.site.root_page, "so-do-cong").unpublish()


LAYOUT_CASES = [
    ("TT22.CHAN-TRANG", _settings(governing_body=""), "Chân trang thiếu: cơ quan chủ quản."),
    ("TT22.CHAN-TRANG", _settings(email=""), "Chân trang thiếu: thư điện tử."),
    ("TT22.CHAN-TRANG", _settings(responsible_person=""), "Chân trang thiếu: người chịu trách nhiệm."),
    ("TT22.EMC", _settings(emc_snippet=""), "Chưa nhập mã giám sát EMC."),
    ("TNM.NHAN", _expire_label, "Không có chứng nhận Tín nhiệm mạng còn hiệu lực trong sổ."),
    ("TT22.MENU", _hide_intro_from_menu, "Menu thiếu: Giới thiệu."),
    ("TT22.SO-DO", _unpublish_sitemap, "Thiếu: trang Sơ đồ cổng."),
    ("PDP.CHINH-SACH", _empty_privacy, "Trang chính sách bảo vệ dữ liệu cá nhân chưa có nội dung."),
]


@pytest.mark.parametrize(("rule_id", "mutate", "message"), LAYOUT_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(LAYOUT_CASES)])
def test_removing_a_required_element_fails_its_layout_rule(complete_portal, rule_id, mutate, message):
    from django.core.cache import cache

    assert result_of(complete_portal, rule_id).status == Status.PASS
    mutate(complete_portal)
    cache.clear()
    result = result_of(complete_portal, rule_id)
    assert result.status == Status.FAIL
    assert message in result.message


def test_https_and_hsts_come_from_production_settings(complete_portal, settings):
    assert result_of(complete_portal, "TT22.HTTPS").status == Status.PASS
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    result = result_of(complete_portal, "TT22.HTTPS")
    assert result.status == Status.FAIL
    assert "Strict-Transport-Security (HSTS)" in result.message
    assert "chuyển hướng http → https" in result.message


def test_a_pack_naming_an_unknown_check_gives_an_incomplete_result_never_a_pass(complete_portal):
    bogus = rules_mod.Rule("X.KHONG-CO", "Quy tắc thử", "khong_ton_tai", rules_mod._b("Căn cứ thử"))
    run = services.portal_check(complete_portal, rule_list=[bogus, rule("TT22.EMC")])
    result = run.results.get(rule_id="X.KHONG-CO")
    assert result.status == Status.ERROR
    assert result.message == "Quy tắc X.KHONG-CO dùng phép kiểm tra không tồn tại «khong_ton_tai»."
    assert not run.complete and run.passed == 1 and run.score == 100.0


def test_a_rule_is_switched_off_only_with_a_reason(complete_portal, network):
    with pytest.raises(ApplicationError, match="Phải ghi lý do"):
        services.rule_switch_off(rule_id="TT22.EMC", reason="  ")
    with pytest.raises(ApplicationError, match="Không có quy tắc"):
        services.rule_switch_off(rule_id="KHONG.CO", reason="x")
    _settings(emc_snippet="")(complete_portal)
    assert result_of(complete_portal, "TT22.EMC").status == Status.FAIL
    services.rule_switch_off(rule_id="TT22.EMC", reason="EMC chưa cấp mã cho đơn vị mới", user=network.superuser)
    result = result_of(complete_portal, "TT22.EMC")
    assert result.status == Status.OFF
    assert result.message == "Đã tắt: EMC chưa cấp mã cho đơn vị mới"
    assert RuleSwitch.objects.get().switched_by == network.superuser
    services.rule_switch_on(rule_id="TT22.EMC")
    assert result_of(complete_portal, "TT22.EMC").status == Status.FAIL


def test_packs_follow_the_law_as_it_changes():
    before, after = dt.date(2026, 3, 1), dt.date(2026, 8, 1)
    ids_before = {r.id for r in rules_mod.rules_for(before)}
    ids_after = {r.id for r in rules_mod.rules_for(after)}
    assert "ND.ART7.TIENG-ANH" in ids_before and "ND.ART7.TIENG-ANH" not in ids_after
    assert "ND224.TAM-NGUNG" in ids_after and "ND224.TAM-NGUNG" not in ids_before
    intro = rule("ND.INFO06.CO-CAU")
    assert "Nghị định 42/2022/NĐ-CP, Điều 4 khoản 1 điểm e" in intro.basis_on(before)
    assert "Nghị định 224/2026" not in intro.basis_on(before)
    assert "Nghị định 224/2026/NĐ-CP, Điều 9 khoản 1 điểm b–c" in intro.basis_on(after)
    assert "Nghị định 42/2022" not in intro.basis_on(after)
    for r in rules_mod.all_rules():
        assert r.basis and r.check in __import__("cong.compliance.checks", fromlist=["CHECKS"]).CHECKS


def test_a_notice_given_in_time_passes_and_force_majeure_is_exempt(complete_portal):
    from cong.core.calendar import add_working_days

    start_day = add_working_days(timezone.localdate(), 8)
    start = timezone.make_aware(dt.datetime.combine(start_day, dt.time(22, 0)))
    services.maintenance_notice_create(portal=complete_portal, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=3), message="Bảo trì định kỳ.")
    services.maintenance_notice_create(portal=complete_portal, starts_at=timezone.now() + dt.timedelta(hours=1),
                                       ends_at=timezone.now() + dt.timedelta(hours=2), message="Sự cố điện.",
                                       force_majeure=True)
    assert result_of(complete_portal, "ND224.TAM-NGUNG").status == Status.PASS


def test_the_maintenance_banner_follows_its_notices_and_their_times(complete_portal, host_client):
    """The public pages keep the portal's notices between changes: a notice
    saved or deleted shows or goes at once, and one announced for later
    appears when its announcement time comes, without any change."""
    from freezegun import freeze_time

    web = host_client(complete_portal.site.hostname)
    assert "notice--maintenance" not in web.get("/", secure=True).content.decode()  # kept: none
    start = timezone.now() + dt.timedelta(days=12)
    shown = services.maintenance_notice_create(portal=complete_portal, starts_at=start,
                                               ends_at=start + dt.timedelta(hours=5), message="Nâng cấp máy chủ.")
    later = services.maintenance_notice_create(portal=complete_portal, starts_at=start + dt.timedelta(days=1),
                                               ends_at=start + dt.timedelta(days=1, hours=2),
                                               announced_at=timezone.now() + dt.timedelta(days=3),
                                               message="Chuyển trung tâm dữ liệu.")
    html = web.get("/", secure=True).content.decode()
    assert "Nâng cấp máy chủ." in html and "Chuyển trung tâm dữ liệu." not in html
    with freeze_time(timezone.now() + dt.timedelta(days=4)):
        assert "Chuyển trung tâm dữ liệu." in web.get("/", secure=True).content.decode()
    shown.delete()
    later.delete()
    assert "notice--maintenance" not in web.get("/", secure=True).content.decode()


def test_the_maintenance_banner_shows_the_restoration_time(complete_portal, host_client):
    start = timezone.now() + dt.timedelta(days=12)
    services.maintenance_notice_create(portal=complete_portal, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=5), message="Nâng cấp hệ thống.")
    response = host_client(complete_portal.site.hostname).get("/", secure=True)
    html = response.content.decode()
    assert 'class="notice notice--maintenance" role="status"' in html
    assert timezone.localtime(start + dt.timedelta(hours=5)).strftime("%H:%M %d/%m/%Y") in html
    assert "Nâng cấp hệ thống." in html
    other = host_client("syt.binhan.test").get("/", secure=True).content.decode()
    assert "notice--maintenance" not in other
