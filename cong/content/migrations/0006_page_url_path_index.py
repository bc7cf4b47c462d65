from django.db import migrations

# content.routing finds every page of a public address at once by its
# url_path; Wagtail has no index on that column (its routing walks the tree
# by parent path and slug instead).
FORWARD = "CREATE INDEX IF NOT EXISTS cong_page_url_path ON wagtailcore_page (url_path)"
BACKWARD = "DROP INDEX IF EXISTS cong_page_url_path"


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_search_text_index"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
