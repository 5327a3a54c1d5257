"""The table of a version: pages, filters, sorts and aggregations over its columnar file.

The query language (docs/table.md) is parsed against the version's visible fields: every key
must be a parameter of this module or `<field>` / `<field>.<op>` for a visible field, every
value is parsed by its field's type, and SQL is made of column names taken from the file's
structure and `?` placeholders only, so nothing a client sends becomes SQL text. A query that
runs past the time limit is interrupted and answers 422.
"""

from contextlib import contextmanager

import duckdb

from portal.core.errors import BadRequest, InvalidData, NotFound
from portal.core.fields import FIELD_TYPES
from portal.core.langs import LANG_KEYS
from portal.db import columnar_file
from portal.services.discovery import table_cache, table_files

PARAMS = ("page", "page_size", "sort", "lang", "group_by", "agg")
OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "contains", "in", "empty")
RANGE_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
LEGACY_OPS = {"__gte": "gte", "__lte": "lte"}  # `Soni__gte=`: the first syntax, still accepted
ORDERED = ("number", "date")
TEXTUAL = ("text", "string", "directory")
GROUPABLE = ("number", "date", "text", "string", "directory")
AGGREGATES = {"count": None, "sum": ("number",), "avg": ("number",),
              "min": ORDERED, "max": ORDERED}  # fmt: skip
MAX_VALUE = 500  # characters of one filter value
MAX_IN = 100
MAX_GROUP_BY = 3
MAX_AGGREGATES = 10
_settings = {"seconds": 5.0}
SEPARATOR = columnar_file.SEARCH_SEPARATOR


def configure(seconds=None):
    if seconds is not None:
        _settings["seconds"] = float(seconds)


class Query:
    """A parsed table query over one TableFile."""

    def __init__(self, table, fields, args, lang):
        self.table, self.lang = table, lang
        self.fields = {f["name"]: f for f in fields}
        self.order = [f["name"] for f in fields]
        self.where, self.params = [], []
        self.sort, self.group_by, self.aggregates = [], [], []
        for key, values in args.items():
            if key in PARAMS:
                continue
            name, op = self._split(key)
            if op != "in" and len(values) > 1:
                raise BadRequest(f"filter {key!r} is given {len(values)} times: give it once")
            self._filter(key, self.fields[name], op, values)
        self._group(args.get("group_by") or [], args.get("agg") or [])
        self._sort(",".join(args.get("sort") or []))

    # ------------------------------------------------------------ parsing

    def _split(self, key):
        if key in self.fields:
            return key, "eq"
        for suffix, op in LEGACY_OPS.items():
            if key.endswith(suffix) and key[: -len(suffix)] in self.fields:
                return key[: -len(suffix)], op
        name, dot, op = key.rpartition(".")
        if dot and name in self.fields:
            if op not in OPS:
                raise BadRequest(f"unknown operator {op!r} in {key!r}: use one of {', '.join(OPS)}")
            return name, op
        known = ", ".join(self.order)
        raise BadRequest(
            f"unknown parameter {key!r}: use {', '.join(PARAMS)}, or a field ({known}) "
            f"as <field>=value or <field>.<op>=value"
        )

    def column(self, name, for_text="one"):
        """The SQL of a field's column: a text field's one language (lang, else Uzbek)."""
        field = self.fields[name]
        i = self.table.index.get(name)
        if i is None:
            return "NULL"
        if field["type"] == "text" and for_text == "one":
            return f"c{i}.{self.lang or LANG_KEYS[0]}"
        return f"c{i}"

    def _texts(self, name):
        """The columns a text condition looks at: the chosen language, else all four."""
        i = self.table.index.get(name)
        if i is None:
            return ["NULL"]
        return [f"c{i}.{k}" for k in ((self.lang,) if self.lang else LANG_KEYS)]

    def _value(self, key, field, raw):
        raw = raw.strip()
        if len(raw) > MAX_VALUE:
            raise BadRequest(f"filter {key}: a value of at most {MAX_VALUE} characters")
        if not raw:
            raise BadRequest(f"filter {key}: empty value")
        if field["type"] in TEXTUAL:
            return raw  # compared as stored: the text, or the directory item's code
        value, problem = FIELD_TYPES[field["type"]].parse(raw, field)
        if problem or value is None:
            raise BadRequest(f"filter {key}: {problem or 'empty value'}")
        if field["type"] == "number":
            try:
                value = float(value)
            except OverflowError:
                raise BadRequest(f"filter {key}: the number {raw!r} is too large") from None
        return value

    def _filter(self, key, field, op, values):
        kind = field["type"]
        name = field["name"]
        if op == "empty":
            flag = values[0].strip().lower()
            if flag not in ("true", "false", "1", "0"):
                raise BadRequest(f"filter {key}: true or false, not {values[0]!r}")
            empty = flag in ("true", "1")
            col = self.column(name, for_text="whole")
            if kind == "text":
                parts = [f"coalesce({c}, '') = ''" for c in self._texts(name)]
                cond = "(" + " AND ".join(parts) + ")"
            elif kind in ("string", "directory"):
                cond = f"coalesce({col}, '') = ''"
            else:
                cond = f"{col} IS NULL"
            self.where.append(cond if empty else f"NOT {cond}")
            return
        if op in RANGE_OPS and kind not in ORDERED:
            raise BadRequest(f"filter {key}: {op} applies to number and date fields only")
        if op == "contains" and kind not in TEXTUAL:
            raise BadRequest(f"filter {key}: contains applies to text, string and directory fields")
        if kind in ("location", "polygon") and op not in ("eq", "ne"):
            raise BadRequest(f"filter {key}: {kind} fields take = and .ne only")
        if op == "in":
            raws = [v for raw in values for v in _split_list(raw)]
            if not raws or len(raws) > MAX_IN:
                raise BadRequest(f"filter {key}: 1 to {MAX_IN} values, separated by commas")
            parsed = [self._value(key, field, v) for v in raws]
        else:
            parsed = [self._value(key, field, values[0])]
        cast = "CAST(? AS DATE)" if kind == "date" else "?"
        if kind == "location":
            cast = "CAST(? AS DOUBLE[])"
        elif kind == "polygon":
            cast = "CAST(? AS DOUBLE[][])"
        if op == "contains":
            needle = parsed[0].lower()
            i = self.table.index.get(name)
            if not self.lang and i in self.table.searched and SEPARATOR not in needle:
                self.where.append(f"contains(s{i}, ?)")  # the four languages, lowercased
                self.params.append(needle)
                return
            cols = self._texts(name) if kind == "text" else [self.column(name)]
            cond = " OR ".join(f"contains(lower({c}), ?)" for c in cols)
            self.where.append(f"({cond})")
            self.params.extend([needle] * len(cols))
            return
        cols = self._texts(name) if kind == "text" else [self.column(name, for_text="whole")]
        if op == "in":
            marks = ", ".join([cast] * len(parsed))
            cond = " OR ".join(f"{c} IN ({marks})" for c in cols)
            self.params.extend(parsed * len(cols))
        else:
            sign = {"eq": "=", "ne": "<>"}.get(op) or RANGE_OPS[op]
            cond = " OR ".join(f"{c} {sign} {cast}" for c in cols)
            self.params.extend(parsed * len(cols))
        if op == "ne":
            cond = " AND ".join(f"{c} IS DISTINCT FROM {cast}" for c in cols)
        self.where.append(f"({cond})")

    def _group(self, group_by, aggs):
        names = [n.strip() for raw in group_by for n in raw.split(",") if n.strip()]
        if len(names) > MAX_GROUP_BY:
            raise BadRequest(f"group_by: at most {MAX_GROUP_BY} fields")
        for name in names:
            field = self.fields.get(name)
            if field is None:
                raise BadRequest(f"group_by: unknown field {name!r}")
            if field["type"] not in GROUPABLE:
                raise BadRequest(f"group_by: cannot group by the {field['type']} field {name!r}")
            col = self.column(name)
            if field["type"] == "date":
                col = f"CAST({col} AS VARCHAR)"
            self.group_by.append((name, col))
        specs = [s.strip() for raw in aggs for s in raw.split(",") if s.strip()]
        if names and not specs:
            specs = ["count"]
        if len(specs) > MAX_AGGREGATES:
            raise BadRequest(f"agg: at most {MAX_AGGREGATES} aggregations")
        for spec in specs:
            fn, _, name = spec.partition(":")
            if fn not in AGGREGATES:
                raise BadRequest(f"agg {spec!r}: use one of {', '.join(AGGREGATES)} (sum:<field>)")
            if fn == "count" and not name:
                self.aggregates.append(("count", "count(*)"))
                continue
            field = self.fields.get(name)
            if field is None:
                raise BadRequest(f"agg {spec!r}: unknown field {name!r}")
            allowed = AGGREGATES[fn]
            if allowed and field["type"] not in allowed:
                raise BadRequest(
                    f"agg {spec!r}: {fn} applies to {' and '.join(allowed)} fields; "
                    f"{name!r} is a {field['type']} field"
                )
            col = self.column(name)
            sql = f"{fn}({col})"
            if field["type"] == "date":
                sql = f"CAST({sql} AS VARCHAR)"
            self.aggregates.append((f"{fn}:{name}", sql))

    @property
    def grouped(self):
        return bool(self.group_by or self.aggregates)

    def _sort(self, raw):
        """(name, descending) pairs: fields, or for a grouped query its group fields and aggs."""
        keys = [k.strip() for k in raw.split(",") if k.strip()]
        if len(keys) > 5:
            raise BadRequest("sort: at most 5 keys")
        outputs = [name for name, _ in self.group_by] + [label for label, _ in self.aggregates]
        for key in keys:
            desc = key.startswith("-")
            name = key.lstrip("+-")
            if self.grouped:
                if name not in outputs:
                    raise BadRequest(
                        f"cannot sort by {name!r}: sort by a group_by field or an agg "
                        f"({', '.join(outputs)})"
                    )
            else:
                field = self.fields.get(name)
                if field is None:
                    raise BadRequest(f"cannot sort by {name!r}: sort by a field, '-' descending")
                if field["type"] not in GROUPABLE:
                    raise BadRequest(f"cannot sort by the {field['type']} field {name!r}")
            self.sort.append((name, desc))

    # ------------------------------------------------------------ running

    def where_sql(self):
        return ("WHERE " + " AND ".join(self.where)) if self.where else ""


def _split_list(raw):
    """Values separated by commas; `\\,` is a comma inside a value."""
    out, current, escaped = [], [], False
    for ch in raw:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [v for v in out if v.strip()]


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
    it answers 422 with the advice to narrow the query."""
    with columnar_file.connect() as con, columnar_file.Deadline(con, _settings["seconds"]) as dl:
        try:
            yield con
        except duckdb.InterruptException:
            raise InvalidData(
                f"the query ran past the time limit of {_settings['seconds']:g} s: narrow it "
                "with a filter on a number or date range or an equality, or sort by fewer fields"
            ) from None
        except duckdb.Error:
            if dl.expired:
                raise InvalidData("the query ran past the time limit: narrow it") from None
            raise


def _rows(con, query, offset, limit, total_rows):
    path = query.table.paths  # the version's segment files, in order
    picked, select = columnar_file.select_values(query.table.schema, set(query.order))
    convert = columnar_file.converter(picked)
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
        Query(_Empty(), browse.public_fields(dataset), args, lang)  # bad input is still 400
        return {"items": [], "total": 0, "page": page, "page_size": page_size}
    record = versions.get(dataset, number)
    fields = browse.public_fields(dataset, number)
    table = table_files.open_version(dataset, record)
    rows_count = record["rows"] if isinstance(record, dict) else record.rows
    size = {"page": page, "page_size": page_size}
    return run(table, fields, args, lang=lang, total_rows=rows_count, only=only, **size)


class _Empty:
    index = {}
    searched = frozenset()
