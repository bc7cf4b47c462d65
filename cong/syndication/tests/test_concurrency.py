"""Two workers at once, every task delivered twice, an expired Zalo token
both workers find at the same moment: exactly one post per item and channel,
one exchange of the single-use refresh token.

Needs PostgreSQL: the SQLite test database lives in memory, where concurrent
writers from threads are refused. A transactional test flushes the
database after it, so it is marked ``own_database``: ``make test`` runs such
tests in a pytest session of their own, after the rest of the suite.
"""

import os
import threading

import pytest
from django.db import connection

from cong.syndication import services
from cong.syndication.models import Channel, ChannelPost, OutboxPost


@pytest.mark.own_database
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="concurrent writers need PostgreSQL (the SQLite test database is in memory)")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once(network, spread_item, facebook_channel, zalo_channel, graph, zalo, monkeypatch):
    # rows are written by the publishes; the workers below, not the publish's
    # own task, carry them out
    monkeypatch.setattr(services, "_enqueue_after_commit", lambda rows: None)
    items = [spread_item(facebook=True, zalo=True, title=f"Tin đồng thời {i}") for i in range(4)]
    ids = list(OutboxPost.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == 8
    graph.latency = zalo.latency = 0.03
    zalo.refresh_delay = 0.3
    zalo.access_tokens.clear()  # both workers meet an expired token
    errors = []

    def worker(name):
        try:
            for pk in ids + ids:  # every task delivered twice
                services.outbox_deliver(pk, worker=name)
            services.outbox_drain(worker=name, max_seconds=20)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    states = dict(OutboxPost.objects.values_list("pk", "state"))
    assert set(states.values()) == {"sent"}, states
    for item in items:
        assert len(graph.posts_linking(item.get_full_url())) == 1
        assert ChannelPost.objects.filter(item_id=item.pk).count() == 2
    assert graph.count("POST", "/feed") == 4
    assert len(zalo.articles) == 4  # every article ever created (refused creates made none)
    assert sorted(zalo.broadcasts) == sorted(a["id"] for a in zalo.live_articles())
    assert zalo.refresh_calls == 1
    channel = Channel.objects.get(pk=zalo_channel.pk)
    assert channel.access_token == "ZALO-AT-R1" and channel.refresh_token == "ZALO-RT-R1"
