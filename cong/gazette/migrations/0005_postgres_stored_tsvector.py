from django.db import migrations

from cong.core.migration_ops import vendor_sql

# PostgreSQL: the register's text vector is kept in a stored generated column
# instead of being recomputed from search_text (seven articles of text) for
# every document a query tests. A walk of the list's (issued_on, id) index
# over a common word, and the recheck of every match a count reads, then test
# a stored vector; the column also gives the planner statistics of the words.
# The GIN index moves onto it. The model does not know the column: the
# database fills it; only raw SQL reads it (selectors._text_filter).
PG_FORWARD = [
    """ALTER TABLE gazette_legaldocument ADD COLUMN search_tsv tsvector
       GENERATED ALWAYS AS (to_tsvector('cong_vi'::regconfig, search_text)) STORED""",
    "DROP INDEX IF EXISTS gazette_legaldocument_tsv",
    "CREATE INDEX gazette_legaldocument_tsv ON gazette_legaldocument USING gin (search_tsv)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS gazette_legaldocument_tsv",
    "ALTER TABLE gazette_legaldocument DROP COLUMN IF EXISTS search_tsv",
    """CREATE INDEX gazette_legaldocument_tsv ON gazette_legaldocument
       USING gin (to_tsvector('cong_vi'::regconfig, search_text))""",
]


class Migration(migrations.Migration):
    dependencies = [
        ("gazette", "0004_qppl_lists"),
    ]

    operations = [vendor_sql(postgresql=(PG_FORWARD, PG_BACKWARD))]
