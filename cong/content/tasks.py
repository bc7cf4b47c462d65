"""Background work of the content app (django_tasks)."""

from django_tasks import task
from wagtail.models import Page, ReferenceIndex


@task()
def items_references_update(*, page_ids: list[int]) -> int:
    """Record what imported items refer to (categories, images) in Wagtail's
    reference index, after the import's transaction."""
    done = 0
    for page in Page.objects.filter(pk__in=page_ids).specific().iterator(chunk_size=500):
        ReferenceIndex.create_or_update_for_object(page)
        done += 1
    return done
