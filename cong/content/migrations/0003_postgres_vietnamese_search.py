from django.db import migrations

# PostgreSQL ships no Vietnamese text search configuration. "cong_vi" is the
# "simple" one with unaccent in front, so that indexed text and queries both
# lose their diacritics (đ -> d). The extension needs a role allowed to create
# it (see docs/deployment.md); SQLite needs nothing (content.search folds text).
FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'cong_vi') THEN
        CREATE TEXT SEARCH CONFIGURATION cong_vi (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION cong_vi
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END
$$;
"""
BACKWARD = "DROP TEXT SEARCH CONFIGURATION IF EXISTS cong_vi;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("content", "0002_seed_categories")]

    operations = [migrations.RunPython(forward, backward)]
