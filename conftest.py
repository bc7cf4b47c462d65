"""Shared test fixtures.

A small network is built once per test database (session scope) and every
test runs inside a transaction on top of it: a province portal and two
department portals, each with one user per board role, so that leaks between
portals show up.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from cong.units.choices import BoardRole

NETWORK_SPEC = [
    # key, code, name, type, parent key, hostname
    ("province", "tinh", "Tỉnh Bình An", "province", None, "binhan.test"),
    ("a", "so-a", "Sở Thông tin và Truyền thông", "department", "province", "stttt.binhan.test"),
    ("b", "so-b", "Sở Y tế", "department", "province", "syt.binhan.test"),
]


def _build_network():
    from cong.accounts.models import User
    from cong.units import services

    units = {}
    for key, code, name, unit_type, parent, host in NETWORK_SPEC:
        units[key] = services.unit_create(
            name=name, unit_type=unit_type, code=code,
            parent=units.get(parent), hostname=host,
        )
    for key, unit in units.items():
        for role in BoardRole.values:
            user = User.objects.create_user(
                username=f"{key}_{role}", password="matkhau-thu-nghiem",
                first_name=role, last_name=key,
            )
            services.board_member_appoint(
                portal=unit.portal, user=user, role=role,
                decision_number=f"1/QĐ-BBT-{key}", decision_date=dt.date(2024, 1, 2),
            )
    User.objects.create_superuser("quantri", "quantri@binhan.test", "matkhau-thu-nghiem")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _build_network()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def network(db):
    from cong.accounts.models import User
    from cong.units.models import Unit

    units = {key: Unit.objects.select_related("portal__site").get(code=code)
             for key, code, *_ in NETWORK_SPEC}
    users = {u.username: u for u in User.objects.all()}

    def user(key, role):
        return users[f"{key}_{role}"]

    return SimpleNamespace(
        units=units,
        portals={k: u.portal for k, u in units.items()},
        user=user,
        superuser=users["quantri"],
    )


@pytest.fixture
def image_factory(network):
    """A real PNG image in a portal's collection."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    def make(portal, title="Ảnh hội nghị", alt="Toàn cảnh hội nghị"):
        buf = io.BytesIO()
        PILImage.new("RGB", (60, 40), (10, 120, 200)).save(buf, "PNG")
        return Image.objects.create(
            title=title, description=alt, file=ContentFile(buf.getvalue(), name="anh.png"),
            collection=portal.collection,
        )

    return make


@pytest.fixture
def publish_item(network):
    """Create and publish an item through a revision, as the admin does."""
    from cong.content.models import ArticlePage, Category

    counter = {"n": 0}

    def make(portal, model=ArticlePage, section="tin-tuc-su-kien", when=None,
             category="tin-tuc-su-kien", user=None, **fields):
        counter["n"] += 1
        parent = portal.site.root_page.get_children().get(slug=section).specific
        fields.setdefault("title", "Tin thử nghiệm")
        fields.setdefault("slug", f"tin-thu-nghiem-{counter['n']}")
        page = parent.add_child(instance=model(
            category=Category.objects.get(slug=category), live=False, **fields,
        ))
        page.save_revision(user=user).publish(user=user)
        page.refresh_from_db()
        if when is not None:
            type(page).objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
            page.refresh_from_db()
        return page

    return make


@pytest.fixture
def host_client(client):
    """A test client bound to a host name: host_client('stttt.binhan.test')."""

    def make(host):
        from django.test import Client

        return Client(HTTP_HOST=host)

    return make
