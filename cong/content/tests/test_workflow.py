"""The editorial workflow of every portal: draft → Biên tập → Phê duyệt."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, TaskState, Workflow, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from cong.content.models import (
    ArticlePage,
    BannerPage,
    Category,
    DocumentPage,
    InfographicPage,
    PolicyPage,
    VideoPage,
)
from cong.units.choices import BoardRole

CTV, BTV, TK, PTB, TB = (BoardRole.CONTRIBUTOR, BoardRole.EDITOR, BoardRole.SECRETARY,
                         BoardRole.DEPUTY, BoardRole.CHIEF)


def section(network, key, slug="tin-tuc-su-kien"):
    return network.portals[key].site.root_page.get_children().get(slug=slug)


def admin_add(client, model, parent, fields, action="action-submit"):
    url = reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = querydict_from_html(page.content.decode(), form_id="page-edit-form")
    for key, value in fields.items():
        data[key] = value
    if action:
        data[action] = "1"
    return client.post(url, data)


def workflow_action(client, page, action, comment=""):
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk), status="in_progress")
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, {"comment": comment} if comment else {})


def emails_to(users):
    return {f"{u.username}@binhan.test" for u in users}


@pytest.fixture
def emails(network):
    """Give every board member an e-mail address so notifications can be checked."""
    from cong.accounts.models import User

    for user in User.objects.exclude(username="quantri"):
        user.email = f"{user.username}@binhan.test"
        user.save(update_fields=["email"])
    return network


def test_every_portal_has_its_own_two_step_workflow(network):
    for key in ("province", "a", "b"):
        home = Page.objects.get(pk=network.portals[key].site.root_page_id)
        workflow = home.get_workflow()
        assert workflow is not None
        tasks = [t.specific for t in workflow.tasks]
        assert [t.name.split(" –")[0] for t in tasks] == ["Biên tập", "Phê duyệt"]
        portal = network.portals[key]
        groups = {pg.role: pg.group for pg in portal.groups.all()}
        assert set(tasks[0].groups.all()) == {groups[BTV], groups[TK]}
        assert set(tasks[1].groups.all()) == {groups[TB], groups[PTB]}
    assert Workflow.objects.filter(name__startswith="Quy trình biên tập").count() >= 3


def test_article_goes_through_the_whole_workflow_in_the_admin(client, emails):
    network = emails
    client.force_login(network.user("a", CTV))
    category = Category.objects.get(slug="chuyen-doi-so")
    mail.outbox.clear()
    response = admin_add(client, ArticlePage, section(network, "a"), {
        "title": "Sở tổ chức tập huấn chuyển đổi số", "slug": "tap-huan-cds",
        "summary": "Tập huấn cho cán bộ, công chức.", "category": str(category.pk),
        "body-count": "1", "body-0-type": "paragraph", "body-0-deleted": "", "body-0-order": "0",
        "body-0-value": rich_text("<p>Nội dung tập huấn.</p>"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(slug="tap-huan-cds")
    assert not page.live
    state = page.current_workflow_state
    assert state.current_task_state.task.name.startswith("Biên tập")
    # notified: the editors and the secretary of this portal only
    recipients = {a for m in mail.outbox for a in m.to}
    assert recipients == emails_to([network.user("a", BTV), network.user("a", TK)])

    # another portal's editor cannot act on it
    client.force_login(network.user("b", BTV))
    workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert page.current_workflow_task.name.startswith("Biên tập")

    # the contributor cannot approve their own item
    client.force_login(network.user("a", CTV))
    workflow_action(client, page, "approve")
    assert page.current_workflow_task.name.startswith("Biên tập")

    client.force_login(network.user("a", BTV))
    mail.outbox.clear()
    workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert page.current_workflow_task.name.startswith("Phê duyệt")
    assert not page.live
    recipients = {a for m in mail.outbox for a in m.to}
    assert recipients == emails_to([network.user("a", TB), network.user("a", PTB)])

    client.force_login(network.user("a", BTV))
    workflow_action(client, page, "approve")  # not theirs to approve
    page.refresh_from_db()
    assert not page.live

    client.force_login(network.user("a", TB))
    workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert page.live
    assert page.first_published_at is not None
    assert page.current_workflow_state is None
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions


def test_rejection_returns_the_item_with_a_comment(client, emails):
    network = emails
    page = section(network, "b").add_child(instance=ArticlePage(
        title="Bản tin y tế", slug="ban-tin-y-te", live=False,
        category=Category.objects.get(slug="tin-tuc-su-kien"), owner=network.user("b", CTV),
    ))
    page.save_revision(user=network.user("b", CTV))
    page.get_workflow().start(page, network.user("b", CTV))
    client.force_login(network.user("b", BTV))
    mail.outbox.clear()
    response = workflow_action(client, page, "reject", comment="Bổ sung số liệu tiêm chủng.")
    assert response.status_code in (200, 302)
    state = WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-created_at").first()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = TaskState.objects.filter(workflow_state=state).order_by("-started_at").first()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Bổ sung số liệu tiêm chủng."
    assert any(emails_to([network.user("b", CTV)]) & set(m.to) for m in mail.outbox)
    page.refresh_from_db()
    assert not page.live


def test_an_incomplete_item_cannot_be_submitted(client, network):
    client.force_login(network.user("a", CTV))
    response = admin_add(client, ArticlePage, section(network, "a"), {
        "title": "Thiếu chuyên mục", "slug": "thieu-chuyen-muc", "category": "", "body-count": "0",
    })
    assert response.status_code == 200
    assert not WorkflowState.objects.filter(status="in_progress").exists()
    assert not ArticlePage.objects.filter(slug="thieu-chuyen-muc", live=True).exists()


def _item(model, network, key, image_factory):
    cat = Category.objects.get(slug="tin-tuc-su-kien")
    portal = network.portals[key]
    common = {"category": cat, "summary": "Tóm tắt", "live": False, "owner": network.user(key, CTV)}
    image = image_factory(portal)
    if model is ArticlePage:
        return ArticlePage(title="Tin bài", slug="tin-bai", **common), "tin-tuc-su-kien"
    if model is DocumentPage:
        return DocumentPage(title="Văn bản", slug="van-ban-1", document_number="12/2024/QĐ-UBND", **common), "van-ban"
    if model is VideoPage:
        return VideoPage(title="Video", slug="video-1", external_url="https://www.youtube.com/watch?v=abcdefghijk",
                         featured_image=image, **common), "video"
    if model is InfographicPage:
        return InfographicPage(
            title="Infographic", slug="info-1",
            images=[{"type": "image", "value": {"image": {"image": image.pk, "alt_text": "Biểu đồ", "decorative": False}, "caption": ""}}],
            long_description="<p>Số liệu tăng 15%.</p>", **common), "infographic"
    if model is BannerPage:
        return BannerPage(title="Banner", slug="banner-1", text="Chào mừng", display_from=timezone.now(),
                          **common), "banner"
    return PolicyPage(title="Chính sách", slug="cs-1", what_changes="<p>Miễn phí</p>", who_is_affected="Người dân",
                      what_to_do="<p>Không cần làm gì</p>", **common), "truyen-thong-chinh-sach"


@pytest.mark.parametrize("model", [ArticlePage, DocumentPage, VideoPage, InfographicPage, BannerPage, PolicyPage])
@pytest.mark.parametrize("key", ["a", "b"])
def test_each_item_type_goes_through_the_workflow_on_each_portal(client, network, image_factory, model, key):
    page, slug = _item(model, network, key, image_factory)
    section(network, key, slug).add_child(instance=page)
    page.save_revision(user=network.user(key, CTV))
    page.get_workflow().start(page, network.user(key, CTV))
    other = "b" if key == "a" else "a"
    for user, expect_live in (
        (network.user(other, TB), False),  # another portal's leader: no
        (network.user(key, BTV), False),   # editor: first step
        (network.user(key, CTV), False),   # contributor: cannot approve
        (network.user(key, PTB), True),    # deputy head: approves and publishes
    ):
        client.force_login(user)
        workflow_action(client, page, "approve")
        page.refresh_from_db()
        assert page.live == expect_live, (user.username, model.__name__)
    assert page.first_published_at is not None


def test_scheduled_publishing_runs_from_the_scheduler(network):
    from django.core.management import call_command

    page = section(network, "a").add_child(instance=ArticlePage(
        title="Tin hẹn giờ", slug="hen-gio", live=False, category=Category.objects.get(slug="tin-tuc-su-kien"),
    ))
    revision = page.save_revision(approved_go_live_at=timezone.now() - dt.timedelta(minutes=1))
    revision.publish()  # with a go-live time in the past it is scheduled, not live yet
    page.refresh_from_db()
    call_command("scheduler", "--once", stdout=io.StringIO())
    page.refresh_from_db()
    assert page.live
