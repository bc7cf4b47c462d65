from django.db import migrations

from cong.core.migration_ops import vendor_sql

# Full text of the answer library over Question.search_folded (the topic, the
# published question and answer, folded to ASCII when the answer is published):
# - SQLite: an FTS5 table with the questions table as external content, kept
#   in step by triggers (bulk inserts and updates included), rowid = question id;
# - PostgreSQL: a GIN index over to_tsvector('simple', search_folded), partial
#   on published answers like the library's list index.
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE engagement_question_fts USING fts5(
        search_folded, content='engagement_question', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER engagement_question_fts_ai AFTER INSERT ON engagement_question BEGIN
        INSERT INTO engagement_question_fts(rowid, search_folded) VALUES (new.id, new.search_folded);
    END""",
    """CREATE TRIGGER engagement_question_fts_ad AFTER DELETE ON engagement_question BEGIN
        INSERT INTO engagement_question_fts(engagement_question_fts, rowid, search_folded)
        VALUES ('delete', old.id, old.search_folded);
    END""",
    """CREATE TRIGGER engagement_question_fts_au AFTER UPDATE OF search_folded ON engagement_question BEGIN
        INSERT INTO engagement_question_fts(engagement_question_fts, rowid, search_folded)
        VALUES ('delete', old.id, old.search_folded);
        INSERT INTO engagement_question_fts(rowid, search_folded) VALUES (new.id, new.search_folded);
    END""",
    "INSERT INTO engagement_question_fts(engagement_question_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS engagement_question_fts_au",
    "DROP TRIGGER IF EXISTS engagement_question_fts_ad",
    "DROP TRIGGER IF EXISTS engagement_question_fts_ai",
    "DROP TABLE IF EXISTS engagement_question_fts",
]
PG_FORWARD = [
    """CREATE INDEX engagement_question_library_tsv ON engagement_question
       USING gin (to_tsvector('simple'::regconfig, search_folded)) WHERE published_at IS NOT NULL""",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS engagement_question_library_tsv"]


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0001_initial"),
    ]

    operations = [vendor_sql(sqlite=(SQLITE_FORWARD, SQLITE_BACKWARD), postgresql=(PG_FORWARD, PG_BACKWARD))]
