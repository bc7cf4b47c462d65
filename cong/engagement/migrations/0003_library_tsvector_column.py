from django.db import migrations

from cong.core.migration_ops import vendor_sql

# PostgreSQL: the answer library's text vector is kept in a stored generated
# column instead of being recomputed from search_folded for every row a query
# tests (about 0.1 ms a row: a walk of the library index over a common word
# cost seconds). The column gives the planner statistics of the words (how
# common each is), and the partial GIN index moves onto it. The model does
# not know the column: the database fills it; only raw SQL reads it.
PG_FORWARD = [
    """ALTER TABLE engagement_question ADD COLUMN library_tsv tsvector
       GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_folded)) STORED""",
    "DROP INDEX IF EXISTS engagement_question_library_tsv",
    """CREATE INDEX engagement_question_library_tsv ON engagement_question
       USING gin (library_tsv) WHERE published_at IS NOT NULL""",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS engagement_question_library_tsv",
    "ALTER TABLE engagement_question DROP COLUMN IF EXISTS library_tsv",
    """CREATE INDEX engagement_question_library_tsv ON engagement_question
       USING gin (to_tsvector('simple'::regconfig, search_folded)) WHERE published_at IS NOT NULL""",
]


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0002_library_full_text"),
    ]

    operations = [vendor_sql(postgresql=(PG_FORWARD, PG_BACKWARD))]
