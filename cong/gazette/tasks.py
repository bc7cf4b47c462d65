"""Background work of the gazette (django_tasks)."""

from django_tasks import task


@task()
def register_facets_warm(*, portal_ids: list[int]) -> int:
    """Compute the register's landing counts and facets (the network's and
    the changed portals') into the shared cache after a change, so that the
    first visitor does not pay for them."""
    from .selectors import Filters, documents_count, documents_facets, documents_page_cached

    done = 0
    for portal_id in [None, *portal_ids]:
        filters = Filters(portal_id=portal_id)
        documents_count(filters)
        documents_facets(filters)
        documents_page_cached(filters)
        done += 1
    return done
