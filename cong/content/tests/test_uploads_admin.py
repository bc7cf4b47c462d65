"""Uploads through Wagtail's image and document forms are checked by their bytes."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from cong.units.choices import BoardRole

from .conftest import png


def post_image(client, network, name, data, description="Ảnh toàn cảnh"):
    return client.post(reverse("wagtailimages:add"), {
        "title": "Ảnh", "description": description,
        "collection": network.portals["a"].collection.pk,
        "file": SimpleUploadedFile(name, data),
    })


def test_a_real_image_with_alt_text_is_accepted(client, network):
    client.force_login(network.user("a", BoardRole.EDITOR))
    response = post_image(client, network, "anh.png", png())
    assert response.status_code == 302
    assert Image.objects.filter(collection=network.portals["a"].collection).count() == 1


def test_alt_text_is_required(client, network):
    client.force_login(network.user("a", BoardRole.EDITOR))
    response = post_image(client, network, "anh.png", png(), description="")
    assert response.status_code == 200
    assert not Image.objects.exists()


def test_an_image_whose_bytes_are_not_an_image_is_refused(client, network):
    client.force_login(network.user("a", BoardRole.EDITOR))
    response = post_image(client, network, "anh.png", b"%PDF-1.4 not an image")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Image.objects.exists()


def test_a_decompression_bomb_is_refused(client, network):
    client.force_login(network.user("a", BoardRole.EDITOR))
    buf = io.BytesIO()
    PILImage.new("1", (9000, 9000)).save(buf, "PNG")
    response = post_image(client, network, "bom.png", buf.getvalue())
    assert response.status_code == 200
    assert not Image.objects.exists()


def test_a_document_must_be_what_its_name_says(client, network):
    client.force_login(network.user("a", BoardRole.EDITOR))
    url = reverse("wagtaildocs:add")
    bad = client.post(url, {"title": "Quyết định", "collection": network.portals["a"].collection.pk,
                            "file": SimpleUploadedFile("qd.pdf", b"MZ\x90\x00 this is an exe")})
    assert bad.status_code == 200
    assert "không phải PDF" in bad.content.decode()
    good = client.post(url, {"title": "Quyết định", "collection": network.portals["a"].collection.pk,
                             "file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")})
    assert good.status_code == 302
    assert Document.objects.count() == 1
