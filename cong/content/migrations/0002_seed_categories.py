from django.db import migrations

# The default taxonomy of docs/import-format.md; the province may add more.
CATEGORIES = [
    ("chi-dao-dieu-hanh", "Thông tin chỉ đạo, điều hành"),
    ("pho-bien-phap-luat", "Phổ biến chế độ, chính sách, pháp luật"),
    ("chuyen-doi-so", "Chuyển đổi số, Đề án 06"),
    ("chien-luoc-quy-hoach", "Chiến lược, dự án, quy hoạch"),
    ("tham-van-chinh-sach", "Tham vấn chính sách, góp ý dự thảo, dịch vụ công, cải cách hành chính"),
    ("phong-chong-dich-benh", "Phòng chống dịch bệnh"),
    ("tin-tuc-su-kien", "Tin tức, sự kiện"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("content", "Category")
    for order, (slug, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


def drop_placeholder(apps, schema_editor):
    """Remove Wagtail's "Welcome to your new Wagtail site!" page and its site:
    every portal gets its own home page from units.services.portal_create."""
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if page_type is None:
        return
    for page in Page.objects.filter(depth=2, content_type=page_type):
        Site.objects.filter(root_page=page).delete()
        # treebeard bookkeeping: the root's child count drops with the page.
        root = Page.objects.get(depth=1)
        page.delete()
        root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(drop_placeholder, migrations.RunPython.noop),
    ]
