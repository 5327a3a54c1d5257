"""Which rows of a published version match filters, by position: read from the version's
columnar file, so that a filtered page of data.egov.uz's row reads (GetMainData) costs a
scan of the file's columns rather than of every row document of the version."""

from portal.services.discovery import table, table_files, table_query


def matching(dataset, record, fields, filters, *, skip, limit):
    """([positions of the page, ascending], total matching) of `filters` (`{key: value}` as
    data.egov.uz's clients send them: `field`, `field__gte`, `field__lte`) over the version
    of `record`, its rows in position order."""
    files = table_files.open_version(dataset, record)
    args = {key: [str(value)] for key, value in filters.items()}
    query = table_query.Query(files, fields, args, None)
    with table.limited() as con:
        return table.matching(con, query, limit, skip)
