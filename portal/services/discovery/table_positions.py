"""Which rows of a published version match filters, by position: read from the version's
columnar file, so that a filtered page of data.egov.uz's row reads (GetMainData) costs a
scan of the file's columns rather than of every row document of the version."""

from portal.services.discovery import table, table_files


def matching(dataset, record, fields, filters, *, skip, limit):
    """([positions of the page, ascending], total matching) of `filters` (`{key: value}` as
    data.egov.uz's clients send them: `field`, `field__gte`, `field__lte`) over the version
    of `record`, its rows in position order."""
    files = table_files.open_version(dataset, record)
    args = {key: [str(value)] for key, value in filters.items()}
    query = table.Query(files, fields, args, None)
    where = query.where_sql()
    page_sql = f"SELECT _p FROM read_parquet(?) {where} ORDER BY _p LIMIT ? OFFSET ?"  # noqa: S608 - columns from the structure, values bound
    count_sql = f"SELECT count(*) FROM read_parquet(?) {where}"  # noqa: S608 - columns from the structure, values bound
    with table.limited() as con:
        found = con.execute(page_sql, [files.paths, *query.params, limit, skip]).fetchall()
        total = con.execute(count_sql, [files.paths, *query.params]).fetchone()[0]
    return [p for (p,) in found], total
