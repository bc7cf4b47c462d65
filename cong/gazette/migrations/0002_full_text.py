from django.db import migrations

from cong.core.migration_ops import vendor_sql

# Full text over LegalDocument.search_text (already folded to ASCII):
# - SQLite: an FTS5 table with the documents table as external content,
#   kept in step by triggers (bulk inserts and updates included);
# - PostgreSQL: a GIN index over to_tsvector('cong_vi', search_text), the
#   unaccented configuration made by content's migration 0003.
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE gazette_legaldocument_fts USING fts5(
        search_text, content='gazette_legaldocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER gazette_legaldocument_fts_ai AFTER INSERT ON gazette_legaldocument BEGIN
        INSERT INTO gazette_legaldocument_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER gazette_legaldocument_fts_ad AFTER DELETE ON gazette_legaldocument BEGIN
        INSERT INTO gazette_legaldocument_fts(gazette_legaldocument_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER gazette_legaldocument_fts_au AFTER UPDATE OF search_text ON gazette_legaldocument BEGIN
        INSERT INTO gazette_legaldocument_fts(gazette_legaldocument_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO gazette_legaldocument_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS gazette_legaldocument_fts_au",
    "DROP TRIGGER IF EXISTS gazette_legaldocument_fts_ad",
    "DROP TRIGGER IF EXISTS gazette_legaldocument_fts_ai",
    "DROP TABLE IF EXISTS gazette_legaldocument_fts",
]
PG_FORWARD = [
    """CREATE INDEX gazette_legaldocument_tsv ON gazette_legaldocument
       USING gin (to_tsvector('cong_vi'::regconfig, search_text))""",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS gazette_legaldocument_tsv"]


class Migration(migrations.Migration):
    dependencies = [
        ("gazette", "0001_initial"),
        ("content", "0003_postgres_vietnamese_search"),
    ]

    operations = [vendor_sql(sqlite=(SQLITE_FORWARD, SQLITE_BACKWARD), postgresql=(PG_FORWARD, PG_BACKWARD))]
