"""Portals created before this app: their leaders and secretary get the
channel rights new portals get from the ``cong_after_portal_create`` hook."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("truong_ban", "pho_truong_ban", "thu_ky")
CODENAMES = ("add_channel", "change_channel", "view_channel")


def grant(apps, schema_editor):
    config = apps.get_app_config("syndication")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    PortalGroup = apps.get_model("units", "PortalGroup")
    perms = list(Permission.objects.filter(content_type__app_label="syndication", codename__in=CODENAMES))
    for pg in PortalGroup.objects.filter(role__in=ROLES).select_related("group"):
        pg.group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("syndication", "0001_initial"),
        ("units", "0002_drop_default_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
