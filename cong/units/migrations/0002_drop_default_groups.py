from django.db import migrations


def drop_default_groups(apps, schema_editor):
    """Wagtail creates "Editors" and "Moderators" with rights over the whole
    tree and every collection. On a network of portals that would undo the
    isolation between boards, so they go; board groups are made per portal."""
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(drop_default_groups, migrations.RunPython.noop)]
