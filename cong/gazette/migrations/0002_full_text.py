from django.db import migrations

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


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)
    elif vendor == "postgresql":
        _run(schema_editor, PG_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)
    elif vendor == "postgresql":
        _run(schema_editor, PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("gazette", "0001_initial"),
        ("content", "0003_postgres_vietnamese_search"),
    ]

    operations = [migrations.RunPython(forward, backward)]
