"""Hard isolation between portals, for every board role, in both directions.

Wagtail alone lets an editor of one site browse other sites in choosers,
snippets and reports. These tests sign in as each role of portal A and check
that portal B's pages, images, documents, snippets, settings and history are
out of reach, while A's own are within the rights of the role; and that the
province board's leaders reach every portal.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.log_actions import log

from cong.content.models import ArticlePage, Category
from cong.units.choices import BoardRole
from cong.units.models import Official

ROLES = list(BoardRole.values)
CAN_EDIT_PAGES = {BoardRole.EDITOR, BoardRole.SECRETARY, BoardRole.DEPUTY, BoardRole.CHIEF}
CAN_PUBLISH = {BoardRole.DEPUTY, BoardRole.CHIEF}
CAN_SETTINGS = {BoardRole.SECRETARY, BoardRole.DEPUTY, BoardRole.CHIEF}
CAN_SNIPPETS = {BoardRole.EDITOR, BoardRole.SECRETARY, BoardRole.DEPUTY, BoardRole.CHIEF}


def png_bytes():
    buf = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def assets(network):
    """One article, image, document and official on each department portal."""
    category = Category.objects.get(slug="tin-tuc-su-kien")
    out = {}
    for key in ("a", "b"):
        portal = network.portals[key]
        section = portal.site.root_page.get_children().get(slug="tin-tuc-su-kien")
        article = section.add_child(instance=ArticlePage(
            title=f"Tin của cổng {key.upper()} về chuyển đổi số", slug=f"tin-{key}",
            category=category, summary="Tóm tắt", live=True,
        ))
        log(article, "wagtail.publish", user=network.user(key, BoardRole.CHIEF))
        image = Image.objects.create(
            title=f"Ảnh {key}", description=f"Ảnh hội nghị {key}",
            file=ContentFile(png_bytes(), name=f"anh-{key}.png"), collection=portal.collection,
        )
        document = Document.objects.create(
            title=f"Văn bản {key}", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"vb-{key}.pdf"),
            collection=portal.collection,
        )
        official = Official.objects.create(
            portal=portal, role="leader", name=f"Nguyễn Văn {key.upper()}", title="Giám đốc",
        )
        log(official, "wagtail.create", user=network.user(key, BoardRole.CHIEF))
        out[key] = {"article": article, "image": image, "document": document, "official": official,
                    "home": portal.site.root_page}
    return out


def login(client, user):
    client.force_login(user)
    return client


def ok(response):
    return response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_pages_of_another_portal_are_out_of_reach(client, network, assets, role):
    login(client, network.user("a", role))
    own, other = assets["a"], assets["b"]
    assert not ok(client.get(reverse("wagtailadmin_pages:edit", args=[other["article"].pk])))
    assert not ok(client.get(reverse("wagtailadmin_explore", args=[other["home"].pk])))
    assert not ok(client.get(reverse("wagtailadmin_pages:history", args=[other["article"].pk])))
    assert ok(client.get(reverse("wagtailadmin_explore", args=[own["home"].pk])))
    expected_edit = role in CAN_EDIT_PAGES
    assert ok(client.get(reverse("wagtailadmin_pages:edit", args=[own["article"].pk]))) == expected_edit
    # the admin page search finds only the user's portal
    found = client.get(reverse("wagtailadmin_pages:search"), {"q": "chuyển đổi số"}).content.decode()
    assert "Tin của cổng B" not in found


@pytest.mark.parametrize("role", ROLES)
def test_page_chooser_shows_only_own_portal(client, network, assets, role):
    login(client, network.user("a", role))
    root = client.get(reverse("wagtailadmin_choose_page")).content.decode()
    assert network.units["b"].name not in root
    browse_other = client.get(reverse("wagtailadmin_choose_page_child", args=[assets["b"]["home"].pk]))
    assert "Tin của cổng B" not in browse_other.content.decode()
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "chuyển đổi số"}).content.decode()
    assert "Tin của cổng B" not in search
    assert "Tin của cổng A" in search


@pytest.mark.parametrize("role", ROLES)
def test_media_of_another_portal_are_out_of_reach(client, network, assets, role):
    login(client, network.user("a", role))
    own, other = assets["a"], assets["b"]
    listing = client.get(reverse("wagtailimages:index")).content.decode()
    assert "Ảnh b" not in listing
    chooser = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert reverse("wagtailimages_chooser:chosen", args=[other["image"].pk]) not in chooser
    assert reverse("wagtailimages_chooser:chosen", args=[own["image"].pk]) in chooser
    assert not ok(client.get(reverse("wagtailimages:edit", args=[other["image"].pk])))
    doc_chooser = client.get(reverse("wagtaildocs_chooser:choose")).content.decode()
    assert reverse("wagtaildocs_chooser:chosen", args=[other["document"].pk]) not in doc_chooser
    assert reverse("wagtaildocs_chooser:chosen", args=[own["document"].pk]) in doc_chooser
    assert not ok(client.get(reverse("wagtaildocs:edit", args=[other["document"].pk])))
    assert not ok(client.get(reverse("wagtailimages_chooser:chosen", args=[other["image"].pk])))
    can_change_media = role != BoardRole.CONTRIBUTOR
    assert ok(client.get(reverse("wagtailimages:edit", args=[own["image"].pk]))) == can_change_media


@pytest.mark.parametrize("role", ROLES)
def test_snippets_settings_and_history_of_another_portal_are_out_of_reach(client, network, assets, role):
    login(client, network.user("a", role))
    own, other = assets["a"], assets["b"]
    prefix = "wagtailsnippets_units_official"
    listing = client.get(reverse(f"{prefix}:list"))
    if role in CAN_SNIPPETS:
        body = listing.content.decode()
        assert "Nguyễn Văn A" in body
        assert "Nguyễn Văn B" not in body
        assert ok(client.get(reverse(f"{prefix}:edit", args=[own["official"].pk])))
    assert not ok(client.get(reverse(f"{prefix}:edit", args=[other["official"].pk])))
    assert not ok(client.get(reverse(f"{prefix}:history", args=[other["official"].pk])))
    settings_url = "/admin/settings/units/portalsettings/{}/"
    own_site, other_site = network.portals["a"].site_id, network.portals["b"].site_id
    assert not ok(client.get(settings_url.format(other_site)))
    assert ok(client.get(settings_url.format(own_site))) == (role in CAN_SETTINGS)
    history = client.get(reverse("wagtailadmin_reports:site_history"))
    if ok(history):
        text = history.content.decode()
        assert "Tin của cổng B" not in text
        assert "Nguyễn Văn B" not in text


@pytest.mark.parametrize("role", [BoardRole.CHIEF, BoardRole.DEPUTY])
def test_province_leaders_oversee_every_portal(client, network, assets, role):
    login(client, network.user("province", role))
    for key in ("a", "b"):
        assert ok(client.get(reverse("wagtailadmin_pages:edit", args=[assets[key]["article"].pk])))
        assert ok(client.get(reverse("wagtailimages:edit", args=[assets[key]["image"].pk])))
        assert ok(client.get(reverse("wagtailsnippets_units_official:edit", args=[assets[key]["official"].pk])))
        assert ok(client.get(f"/admin/settings/units/portalsettings/{network.portals[key].site_id}/"))
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "chuyển đổi số"}).content.decode()
    assert "Tin của cổng A" in search
    assert "Tin của cổng B" in search


@pytest.mark.parametrize("role", [BoardRole.SECRETARY, BoardRole.EDITOR, BoardRole.CONTRIBUTOR])
def test_province_staff_below_leaders_do_not_oversee_departments(client, network, assets, role):
    login(client, network.user("province", role))
    assert not ok(client.get(reverse("wagtailadmin_pages:edit", args=[assets["a"]["article"].pk])))
    assert not ok(client.get(reverse("wagtailimages:edit", args=[assets["a"]["image"].pk])))


def test_only_leaders_can_publish(network, assets):
    article = assets["a"]["article"]
    for role in ROLES:
        perms = article.permissions_for_user(network.user("a", role))
        assert perms.can_publish() == (role in CAN_PUBLISH), role
        assert not article.permissions_for_user(network.user("b", role)).can_edit()


@pytest.mark.parametrize("role", [BoardRole.CHIEF, BoardRole.SECRETARY])
def test_board_lists_and_redirects_of_another_portal_are_out_of_reach(client, network, role):
    from cong.units.models import BoardMembership, PortalPathRedirect

    PortalPathRedirect.objects.create(portal=network.portals["a"], old_path="/cu-a/", target_url="/moi-a/")
    PortalPathRedirect.objects.create(portal=network.portals["b"], old_path="/cu-b/", target_url="/moi-b/")
    login(client, network.user("a", role))
    members = client.get(reverse("units_board:index")).content.decode()
    assert "bien_tap_vien b" not in members and "bien_tap_vien a" in members
    other_membership = BoardMembership.objects.filter(portal=network.portals["b"]).first()
    assert not ok(client.get(reverse("units_board:edit", args=[other_membership.pk])))
    redirects = client.get(reverse("units_redirect:index")).content.decode()
    assert "/cu-a/" in redirects and "/cu-b/" not in redirects
