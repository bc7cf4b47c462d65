import pytest

from .fakes import FakeGraph, FakeZalo


@pytest.fixture
def graph(settings):
    with FakeGraph(late_seconds=1.5) as server:
        settings.CONG_FACEBOOK_GRAPH_URL = server.base_url
        settings.CONG_SYNDICATION_TIMEOUT = 0.5
        yield server


@pytest.fixture
def zalo(settings):
    with FakeZalo(late_seconds=1.5) as server:
        settings.CONG_ZALO_OPENAPI_URL = server.base_url
        settings.CONG_ZALO_OAUTH_URL = server.base_url
        settings.CONG_SYNDICATION_TIMEOUT = 0.5
        yield server


@pytest.fixture
def facebook_channel(network, graph):
    from cong.syndication.models import Channel

    return Channel.objects.create(
        portal=network.portals["a"], kind="facebook", name="Trang Sở", account_id=graph.page_id,
        access_token="PAGE-TOKEN", dry_run=False,
    )


@pytest.fixture
def zalo_channel(network, zalo):
    import datetime as dt

    from django.utils import timezone

    from cong.syndication.models import Channel

    return Channel.objects.create(
        portal=network.portals["a"], kind="zalo", name="OA Sở", account_id="5555", app_id=zalo.app_id,
        app_secret=zalo.secret, access_token="ZALO-AT-1", refresh_token="ZALO-RT-1",
        access_token_expires_at=timezone.now() + dt.timedelta(hours=20), dry_run=False,
    )


@pytest.fixture
def spread_item(network, publish_item, image_factory):
    """Publish an item of portal a ticked for the given channels."""

    def make(*, zalo=False, facebook=False, portal=None, image=True, **fields):
        portal = portal or network.portals["a"]
        if image:
            fields.setdefault("featured_image", image_factory(portal))
        return publish_item(portal, spread_zalo=zalo, spread_facebook=facebook,
                            summary="Tóm tắt tin thử nghiệm.", **fields)

    return make


def drain():
    from cong.syndication.services import outbox_drain

    return outbox_drain(max_seconds=20)
