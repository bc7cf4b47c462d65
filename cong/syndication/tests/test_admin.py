"""Admin: channels with write-only secrets, test connection, problems with
retry, where an item was spread; each board sees its own portal only."""

from django.db import connection
from django.urls import reverse

from cong.syndication.models import Channel, OutboxPost

from .conftest import drain


def _login(client, user):
    client.force_login(user)
    return client


def test_board_configures_a_channel_secrets_encrypted_never_shown(client, network, graph):
    chief = network.user("a", "truong_ban")
    _login(client, chief)
    response = client.post(reverse("syndication_channel:add"), {
        "portal": network.portals["a"].pk, "kind": "facebook", "name": "Trang Sở TTTT",
        "enabled": "on", "dry_run": "on", "account_id": graph.page_id, "app_id": "",
        "new_app_secret": "", "new_access_token": "PAGE-TOKEN-SECRET-1234", "new_refresh_token": "",
        "access_token_expires_at": "",
    })
    assert response.status_code == 302, response.content[:2000]
    channel = Channel.objects.get(portal=network.portals["a"], kind="facebook")
    assert channel.access_token == "PAGE-TOKEN-SECRET-1234"
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token FROM syndication_channel WHERE id = %s", [channel.pk])
        raw = cursor.fetchone()[0]
    assert "PAGE-TOKEN" not in raw and raw.startswith("fernet:")
    page = client.get(reverse("syndication_channel:edit", args=[channel.pk])).content.decode()
    assert "PAGE-TOKEN-SECRET" not in page and "••••1234" in page
    # saving with the secret left blank keeps it
    response = client.post(reverse("syndication_channel:edit", args=[channel.pk]), {
        "portal": network.portals["a"].pk, "kind": "facebook", "name": "Trang mới", "enabled": "on",
        "account_id": graph.page_id, "app_id": "", "new_app_secret": "", "new_access_token": "",
        "new_refresh_token": "", "access_token_expires_at": "",
    })
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Trang mới" and channel.access_token == "PAGE-TOKEN-SECRET-1234"
    assert channel.dry_run is False


def test_connection_check_against_the_page(client, network, facebook_channel, graph):
    _login(client, network.user("a", "pho_truong_ban"))
    response = client.post(reverse("syndication_channel:check", args=[facebook_channel.pk]), follow=True)
    assert "Kết nối được: Trang thử nghiệm" in response.content.decode()
    facebook_channel.refresh_from_db()
    assert facebook_channel.last_check_ok is True
    graph.tokens.clear()
    client.post(reverse("syndication_channel:check", args=[facebook_channel.pk]))
    facebook_channel.refresh_from_db()
    assert facebook_channel.last_check_ok is False and "hết hạn" in facebook_channel.last_check_message


def test_zalo_connection_check(client, network, zalo_channel, zalo):
    _login(client, network.user("a", "truong_ban"))
    response = client.post(reverse("syndication_channel:check", args=[zalo_channel.pk]), follow=True)
    assert "Zalo OA thử nghiệm" in response.content.decode()


def test_other_portal_board_sees_nothing(client, network, spread_item, facebook_channel, graph):
    graph.tokens.clear()
    item = spread_item(facebook=True, title="Tin riêng của Sở A")
    drain()
    row = OutboxPost.objects.get(item_id=item.pk)
    assert row.state == "failed"
    _login(client, network.user("b", "truong_ban"))
    assert client.get(reverse("syndication_channel:edit", args=[facebook_channel.pk])).status_code == 404
    assert "Trang Sở" not in client.get(reverse("syndication_channel:index")).content.decode()
    assert "Tin riêng của Sở A" not in client.get(reverse("syndication_problems")).content.decode()
    assert client.get(reverse("syndication_item", args=[item.pk])).status_code == 404
    assert client.post(reverse("syndication_retry", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.state == "failed"


def test_problems_list_and_retry(client, network, spread_item, facebook_channel, graph):
    graph.tokens.clear()
    item = spread_item(facebook=True, title="Tin lỗi mã truy cập")
    drain()
    _login(client, network.user("a", "thu_ky"))
    page = client.get(reverse("syndication_problems")).content.decode()
    assert "Tin lỗi mã truy cập" in page and "hết hạn" in page
    graph.tokens.add("PAGE-TOKEN")
    client.post(reverse("syndication_retry", args=[OutboxPost.objects.get(item_id=item.pk).pk]))
    drain()
    assert OutboxPost.objects.get(item_id=item.pk).state == "sent"
    assert len(graph.posts_linking(item.get_full_url())) == 1
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.get(page_id=item.pk, action="cong.syndication.retry")
    assert entry.user == network.user("a", "thu_ky")


def test_editor_sees_problems_but_cannot_retry(client, network, spread_item):
    item = spread_item(facebook=True)
    drain()
    _login(client, network.user("a", "bien_tap_vien"))
    row = OutboxPost.objects.get(item_id=item.pk)
    response = client.post(reverse("syndication_retry", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == "/admin/"  # Wagtail's "permission denied"
    row.refresh_from_db()
    assert row.state == "failed"


def test_item_page_shows_where_it_was_spread_and_every_attempt(client, network, spread_item, facebook_channel, graph):
    graph.fail_next("create", "rate_limit")
    item = spread_item(facebook=True)
    drain()
    OutboxPost.objects.filter(item_id=item.pk).update(next_attempt_at=OutboxPost.objects.get(item_id=item.pk).created_at)
    drain()
    _login(client, network.user("a", "bien_tap_vien"))
    page = client.get(reverse("syndication_item", args=[item.pk])).content.decode()
    url = OutboxPost.objects.get(item_id=item.pk).external_url
    assert f'href="{url}"' in page
    assert "retry" in page and "created" in page and "HTTP 400" in page
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[item.pk])).content.decode()
    assert reverse("syndication_item", args=[item.pk]) in edit
