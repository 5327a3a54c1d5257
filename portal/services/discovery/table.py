"""The table of a version: pages, filters, sorts and aggregations over its columnar file.

The query (table_query.Query) is parsed against the version's visible fields and gives SQL of
column names and `?` placeholders only. A query that runs past the time limit is interrupted
and answers 422.
"""

from contextlib import contextmanager

import duckdb

from portal.core.errors import InvalidData, NotFound
from portal.db import columnar_file, columnar_rows
from portal.services.discovery import table_cache, table_files
from portal.services.discovery.table_query import Empty, Query

_settings = {"seconds": 5.0}


def configure(seconds=None):
    if seconds is not None:
        _settings["seconds"] = float(seconds)


def run(table, fields, args, *, lang, page, page_size, total_rows, only=None):
    """`{items, total, page, page_size}`: rows (or groups) of the query, one page; `only`
    (field names) reads and shows those fields of each row alone."""
    query = Query(table, fields, args, lang)
    if only is not None:
        query.order = [name for name in query.order if name in only]
    offset = (page - 1) * page_size
    key = table_cache.key_of(
        table.paths, tuple(query.where), repr(query.params), tuple(query.sort),
        tuple(query.group_by), tuple(query.aggregates), tuple(query.order), lang, page,
        page_size, total_rows,
    )  # fmt: skip
    kept = table_cache.get(key)
    if kept is not None:
        return kept
    with limited() as con:
        if query.grouped:
            found = _groups(con, query, offset, page_size)
            columns = len(query.group_by) + len(query.aggregates)
        else:
            found = _rows(con, query, offset, page_size, total_rows)
            columns = len(query.order)
        found |= {"page": page, "page_size": page_size}
        return table_cache.put(key, found, columns)


@contextmanager
def limited():
    """A DuckDB connection whose queries are stopped at the time limit: one that runs past
    it, or past the database's memory, answers 422 with the advice to narrow the query."""
    with columnar_file.connect() as con, columnar_file.Deadline(con, _settings["seconds"]) as dl:
        try:
            yield con
        except duckdb.InterruptException:
            raise InvalidData(
                f"the query ran past the time limit of {_settings['seconds']:g} s: narrow it "
                "with a filter on a number or date range or an equality, or sort by fewer fields"
            ) from None
        except duckdb.OutOfMemoryException:
            raise InvalidData(
                "the query needs more memory than one request may use: narrow it with a filter "
                "on a number or date range or an equality, or sort or group by fewer fields"
            ) from None
        except duckdb.Error:
            if dl.expired:
                raise InvalidData("the query ran past the time limit: narrow it") from None
            raise


def _rows(con, query, offset, limit, total_rows):
    path = query.table.paths  # the version's segment files, in order
    picked, select = columnar_rows.select_values(query.table.schema, set(query.order))
    convert = columnar_rows.converter(picked)
    if not query.where and not query.sort:
        # a page by position: the file's row groups know their range of _p
        sql = f"SELECT {select} FROM read_parquet(?) WHERE _p > ? AND _p <= ? ORDER BY _p"  # noqa: S608 - columns from the structure, values bound
        found = con.execute(sql, [path, offset, offset + limit]).fetchall()
        total = total_rows
    else:
        places, total = matching(con, query, limit, offset, total_rows)
        found = _by_place(con, path, select, places)
    return {"items": [_shape(query, convert(v)) for v in found], "total": total}


def matching(con, query, limit, offset, total_rows=None):
    """(the positions of one page, the rows matching) of a filtered or sorted query.

    One scan: the rows matching are kept with their sort keys alone (a materialized CTE),
    then counted and sorted; the page's rows themselves are read after, by position."""
    path = query.table.paths
    keys = "".join(f", {query.column(n)} AS k{j}" for j, (n, _) in enumerate(query.sort))
    order = [f"k{j} {_direction(desc)}" for j, (_, desc) in enumerate(query.sort)]
    order = ", ".join([*order, "_p"])
    where = query.where_sql()
    if not where and total_rows is not None:
        sql = (
            f"SELECT _p FROM (SELECT _p{keys} FROM read_parquet(?)) "  # noqa: S608 - columns from the structure, values bound
            f"ORDER BY {order} LIMIT ? OFFSET ?"
        )
        found = con.execute(sql, [path, limit, offset]).fetchall()
        return [p for (p,) in found], total_rows
    sql = (
        f"WITH m AS MATERIALIZED (SELECT _p{keys} FROM read_parquet(?) {where}) "  # noqa: S608 - columns from the structure, values bound
        f"SELECT _p, (SELECT count(*) FROM m) FROM m ORDER BY {order} LIMIT ? OFFSET ?"
    )
    found = con.execute(sql, [path, *query.params, limit, offset]).fetchall()
    if found:
        return [p for p, _ in found], found[0][1]
    count_sql = f"SELECT count(*) FROM read_parquet(?) {where}"  # noqa: S608 - columns from the structure, values bound
    return [], con.execute(count_sql, [path, *query.params]).fetchone()[0]


def _by_place(con, path, select, places):
    """The rows at `places` (positions), in that order."""
    if not places:
        return []
    sql = (
        f"SELECT _p, {select} FROM read_parquet(?) "  # noqa: S608 - columns from the structure, values bound
        "WHERE _p BETWEEN ? AND ? AND list_contains(?, _p)"
    )
    found = con.execute(sql, [path, min(places), max(places), places]).fetchall()
    at = {values[0]: values[1:] for values in found}
    return [at[p] for p in places]


def _shape(query, row):
    out = {}
    for name in query.order:
        value = row.get(name)
        if query.lang and query.fields[name]["type"] == "text" and value is not None:
            value = value.get(query.lang) or ""
        out[name] = value
    return out


def _groups(con, query, offset, limit):
    path = query.table.paths  # the version's segment files, in order
    outs = [f'{col} AS "g{i}"' for i, (_, col) in enumerate(query.group_by)]
    outs += [f'{sql} AS "a{i}"' for i, (_, sql) in enumerate(query.aggregates)]
    labels = [name for name, _ in query.group_by] + [label for label, _ in query.aggregates]
    group = ", ".join(str(i + 1) for i in range(len(query.group_by)))
    where = query.where_sql()
    inner = f"SELECT {', '.join(outs)} FROM read_parquet(?) {where}"  # noqa: S608 - columns from the structure, values bound
    if group:
        inner += f" GROUP BY {group}"
    alias = {label: f"g{i}" for i, label in enumerate(labels[: len(query.group_by)])}
    alias.update({label: f"a{i}" for i, (label, _) in enumerate(query.aggregates)})
    order = [f"{alias[name]} {_direction(desc)}" for name, desc in query.sort]
    order += [f"g{i} ASC NULLS LAST" for i in range(len(query.group_by))]
    sql = f"SELECT * FROM ({inner}) ORDER BY {', '.join(order) or '1'} LIMIT ? OFFSET ?"  # noqa: S608 - columns from the structure, values bound
    found = con.execute(sql, [path, *query.params, limit, offset]).fetchall()
    total = 1
    if group:
        count_sql = f"SELECT count(*) FROM ({inner})"  # noqa: S608 - columns from the structure, values bound
        total = con.execute(count_sql, [path, *query.params]).fetchone()[0]
    items = [dict(zip(labels, map(_plain_number, values), strict=True)) for values in found]
    return {"items": items, "total": total}


def _direction(desc):
    return "DESC NULLS LAST" if desc else "ASC NULLS LAST"


def _plain_number(v):
    if isinstance(v, float) and v.is_integer() and abs(v) < columnar_file.EXACT:
        return int(v)
    return v


def rows(dataset, args, *, number=None, lang=None, page=1, page_size=20, only=None):
    """One page of a version's table (the current one by default): rows, or groups with
    `group_by` / `agg`; `args` maps each query key to its list of values; `only` (field
    names) reads just those fields of each row."""
    from portal.services.discovery import browse
    from portal.services.publishing import versions

    if number is not None and number < 1:
        raise NotFound(f"dataset {dataset.code} has no version {number}")
    number = number or dataset.current_version
    if not number:
        Query(Empty(), browse.public_fields(dataset), args, lang)  # bad input is still 400
        return {"items": [], "total": 0, "page": page, "page_size": page_size}
    record = versions.get(dataset, number)
    fields = browse.public_fields(dataset, number)
    table = table_files.open_version(dataset, record)
    rows_count = record["rows"] if isinstance(record, dict) else record.rows
    size = {"page": page, "page_size": page_size}
    return run(table, fields, args, lang=lang, total_rows=rows_count, only=only, **size)
