"""The table's query language (docs/table.md), parsed against a version's visible fields.

Every key must be a parameter of the table or `<field>` / `<field>.<op>` for a visible field,
every value is parsed by its field's type, and SQL is made of column names taken from the
file's structure and `?` placeholders only, so nothing a client sends becomes SQL text.
"""

from portal.core.errors import BadRequest
from portal.core.fields import FIELD_TYPES
from portal.core.langs import LANG_KEYS
from portal.db import columnar_file

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
SEPARATOR = columnar_file.SEARCH_SEPARATOR


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


class Empty:
    """No file: a query over a dataset without data is still parsed (bad input is 400)."""

    index = {}
    searched = frozenset()
