"""A dataset's current rows as data.egov.uz's table reads give them: paged by offset, each
row with its id and the time of the version that brought it."""

from portal.core.errors import BadRequest
from portal.db import rows as row_store
from portal.services.discovery import browse


def records(dataset, *, filters=None, skip=0, limit=200):
    """(visible fields, total, [{"_id", "f", "d"}], {version number: its time}) of a page."""
    fields = browse.public_fields(dataset)
    for key, value in (filters or {}).items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise BadRequest(f"fields.{key}: give a value to match (text or a number)")
    query = browse.row_query(fields, filters or {})
    docs, total = row_store.page_records(
        dataset.id, dataset.current_version, query=query, skip=skip, limit=limit
    )
    times = {v.number: v.created_at for v in dataset.versions}
    return fields, total, docs, times


def flat(dataset, *, skip=0, limit=200):
    """(visible fields, total, stored rows of the page)."""
    fields = browse.public_fields(dataset)
    found, total = row_store.page(dataset.id, dataset.current_version, skip=skip, limit=limit)
    return fields, total, found
