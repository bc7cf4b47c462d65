import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from cong.content.models import ArticlePage, Category

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def png(size=(60, 40), colour=(10, 120, 200)):
    buf = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def image_factory(network):
    def make(portal, title="Ảnh hội nghị", alt="Toàn cảnh hội nghị"):
        return Image.objects.create(
            title=title, description=alt, file=ContentFile(png(), name="anh.png"),
            collection=portal.collection,
        )

    return make


@pytest.fixture
def publish_item(network):
    """Create and publish an item (through a revision, as the admin does)."""

    def make(portal, model=ArticlePage, section="tin-tuc-su-kien", when=None, category="tin-tuc-su-kien",
             user=None, **fields):
        home = portal.site.root_page
        parent = home.get_children().get(slug=section).specific
        fields.setdefault("title", "Tin thử nghiệm")
        fields.setdefault("slug", f"tin-{ArticlePage.objects.count() + 1}-{fields['title'][:10]}".lower().replace(" ", "-"))
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


def local(y, m, d, h=9, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ)
