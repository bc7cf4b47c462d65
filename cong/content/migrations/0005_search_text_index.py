from django.db import migrations

from cong.core.migration_ops import vendor_sql

# Wagtail's PostgreSQL search filters on ``(title || body) @@ query``; with
# GIN indexes on the two columns only, PostgreSQL cannot use an index for it
# and, on a province's history, joined every item with every match (minutes
# per query at 100,000 items). An index on the expression itself turns the
# match into a bitmap index scan and gives the planner statistics for it.
FORWARD = (
    "CREATE INDEX IF NOT EXISTS cong_indexentry_text_gin "
    "ON wagtailsearch_indexentry USING gin ((title || body))"
)
BACKWARD = "DROP INDEX IF EXISTS cong_indexentry_text_gin"


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_spread_to"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [vendor_sql(postgresql=(FORWARD, BACKWARD))]
