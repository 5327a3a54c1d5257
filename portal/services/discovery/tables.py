"""A dataset's current rows as data.egov.uz's table reads give them: paged by offset, each
row with its id and the time of the version that brought it."""

from portal.core.errors import BadRequest
from portal.db import row_pages
from portal.services.discovery import browse, table_positions


def records(dataset, *, filters=None, skip=0, limit=200):
    """(visible fields, total, [{"_id", "f", "d"}], {version number: its time}) of a page."""
    from portal.services.publishing import versions

    fields = browse.public_fields(dataset)
    for key, value in (filters or {}).items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise BadRequest(f"fields.{key}: give a value to match (text or a number)")
    query = browse.row_query(fields, filters or {})  # refuses a bad filter in its own words
    record = versions.latest(dataset)
    if query and record is not None:
        # which rows match is read from the version's columnar file, then only the page's
        # row documents from the database
        positions, total = table_positions.matching(
            dataset, record, fields, filters, skip=skip, limit=limit
        )
        docs = row_pages.records_at(dataset.id, dataset.current_version, positions)
    else:
        docs, total = row_pages.page_records(
            dataset.id, dataset.current_version, rows=_rows(record), query=query, skip=skip,
            limit=limit,
        )  # fmt: skip
    times = {v.number: v.created_at for v in dataset.versions}
    return fields, total, docs, times


def flat(dataset, *, skip=0, limit=200):
    """(visible fields, total, stored rows of the page)."""
    from portal.services.publishing import versions

    fields = browse.public_fields(dataset)
    record = versions.latest(dataset)
    found, total = row_pages.page(
        dataset.id, dataset.current_version, rows=_rows(record), skip=skip, limit=limit
    )
    return fields, total, found


def _rows(record):
    """The row count a version record gives, None without a version."""
    return record.rows if record is not None else None
