"""A dataset's current rows as data.egov.uz's table reads give them: paged by offset, each
row with its id and the time of the version that brought it."""

from portal.core.errors import BadRequest
from portal.db import row_pages
from portal.services.discovery import browse, table_positions


def records(dataset, *, filters=None, skip=0, limit=200):
    """(visible fields, total, [{"_id", "f", "d"}], {version number: its time}) of a page."""
    fields = browse.public_fields(dataset)
    for key, value in (filters or {}).items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise BadRequest(f"fields.{key}: give a value to match (text or a number)")
    query = browse.row_query(fields, filters or {})  # refuses a bad filter in its own words
    if query and dataset.current_version:
        # which rows match is read from the version's columnar file, then only the page's
        # row documents from the database
        from portal.services.publishing import versions

        record = versions.get(dataset, dataset.current_version)
        positions, total = table_positions.matching(
            dataset, record, fields, filters, skip=skip, limit=limit
        )
        docs = row_pages.records_at(dataset.id, dataset.current_version, positions)
    else:
        docs, total = row_pages.page_records(
            dataset.id,
            dataset.current_version,
            rows=_rows_of(dataset),
            skip=skip,
            limit=limit,
        )
    times = {v.number: v.created_at for v in dataset.versions}
    return fields, total, docs, times


def flat(dataset, *, skip=0, limit=200):
    """(visible fields, total, stored rows of the page)."""
    fields = browse.public_fields(dataset)
    found, total = row_pages.page(
        dataset.id, dataset.current_version, rows=_rows_of(dataset), skip=skip, limit=limit
    )
    return fields, total, found


def _rows_of(dataset):
    """The current version's row count from its record, None when the record is not kept."""
    for version in dataset.versions:
        if version.number == dataset.current_version:
            return version.rows
    return None
