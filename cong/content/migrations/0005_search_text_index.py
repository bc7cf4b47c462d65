from django.db import migrations

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


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_spread_to"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forward, backward)]
