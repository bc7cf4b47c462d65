from django.db import migrations

from cong.core.migration_ops import vendor_sql

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


class Migration(migrations.Migration):
    dependencies = [("content", "0002_seed_categories")]

    operations = [vendor_sql(postgresql=(FORWARD, BACKWARD))]
