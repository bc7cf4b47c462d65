from django.db import migrations

from cong.core.migration_ops import vendor_sql

# PostgreSQL: the register's text vectors move out of the documents table into
# a narrow table of their own, gazette_legaldocument_vector (document id, the
# vector without positions), kept in step by triggers, the way SQLite keeps
# its FTS5 table (migration 0002).
#
# Why: PostgreSQL 15 reads the heap page of every match of a GIN bitmap, even
# for a count. A common word matches half of the register; in the documents
# table (a row of about 1.9 KB, half of it the vector) that was 45,000 pages
# for one count. The narrow table holds about 15 vectors a page, and the
# documents table, without its vector, about twice as many rows a page for the
# facets and the list walks. Positions are dropped (strip): the register asks
# for all of the words (plainto_tsquery), never their order or distance.
#
# Existing rows keep the dropped column's bytes until the table is rewritten
# (VACUUM FULL gazette_legaldocument, at a quiet hour); new rows are narrow.
FACET_COLUMNS = ("doc_type, issuer_key, field_key, issued_year, signer_key, normative, "
                 "in_force_from, in_force_until, partial_from")
PG_FORWARD = [
    """CREATE TABLE gazette_legaldocument_vector (
           doc_id bigint PRIMARY KEY,
           tsv tsvector NOT NULL)""",
    """CREATE FUNCTION gazette_legaldocument_vector_sync() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
           IF TG_OP = 'DELETE' THEN
               DELETE FROM gazette_legaldocument_vector WHERE doc_id = OLD.id;
           ELSE
               INSERT INTO gazette_legaldocument_vector (doc_id, tsv)
               VALUES (NEW.id, strip(to_tsvector('cong_vi'::regconfig, NEW.search_text)))
               ON CONFLICT (doc_id) DO UPDATE SET tsv = EXCLUDED.tsv;
           END IF;
           RETURN NULL;
       END $$""",
    """CREATE FUNCTION gazette_legaldocument_vector_truncate() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
           TRUNCATE gazette_legaldocument_vector;
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER gazette_legaldocument_vector_sync
       AFTER INSERT OR UPDATE OF search_text OR DELETE ON gazette_legaldocument
       FOR EACH ROW EXECUTE FUNCTION gazette_legaldocument_vector_sync()""",
    """CREATE TRIGGER gazette_legaldocument_vector_truncate
       AFTER TRUNCATE ON gazette_legaldocument
       FOR EACH STATEMENT EXECUTE FUNCTION gazette_legaldocument_vector_truncate()""",
    """INSERT INTO gazette_legaldocument_vector (doc_id, tsv)
       SELECT id, strip(to_tsvector('cong_vi'::regconfig, search_text)) FROM gazette_legaldocument""",
    "CREATE INDEX gazette_legaldocument_vector_tsv ON gazette_legaldocument_vector USING gin (tsv)",
    "DROP INDEX IF EXISTS gazette_legaldocument_tsv",
    "ALTER TABLE gazette_legaldocument DROP COLUMN IF EXISTS search_tsv",
    # The list's order, per portal and network-wide, carrying every column
    # the facets count: the newest matches of a text query and the facets of
    # a large selection are read from the index alone (index-only scans),
    # not from a row per document.
    f"CREATE INDEX gazette_issued_facets ON gazette_legaldocument (issued_on DESC, id DESC) INCLUDE ({FACET_COLUMNS})",
    f"""CREATE INDEX gazette_portal_issued_facets ON gazette_legaldocument (portal_id, issued_on DESC, id DESC)
        INCLUDE ({FACET_COLUMNS})""",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS gazette_portal_issued_facets",
    "DROP INDEX IF EXISTS gazette_issued_facets",
    "DROP TRIGGER IF EXISTS gazette_legaldocument_vector_truncate ON gazette_legaldocument",
    "DROP TRIGGER IF EXISTS gazette_legaldocument_vector_sync ON gazette_legaldocument",
    "DROP FUNCTION IF EXISTS gazette_legaldocument_vector_truncate()",
    "DROP FUNCTION IF EXISTS gazette_legaldocument_vector_sync()",
    "DROP TABLE IF EXISTS gazette_legaldocument_vector",
    """ALTER TABLE gazette_legaldocument ADD COLUMN search_tsv tsvector
       GENERATED ALWAYS AS (to_tsvector('cong_vi'::regconfig, search_text)) STORED""",
    "CREATE INDEX gazette_legaldocument_tsv ON gazette_legaldocument USING gin (search_tsv)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("gazette", "0005_postgres_stored_tsvector"),
    ]

    operations = [vendor_sql(postgresql=(PG_FORWARD, PG_BACKWARD))]
