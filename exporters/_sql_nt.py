"""N-Triples' lexical forms as DuckDB SQL over a version's columnar file (see _sql): every
lexical form made in SQL as _rdf and rdf_ntriples make it in Python, one column per triple."""

from ._sql import location_text, number

# the characters XML 1.0 forbids (_common.XML_FORBIDDEN; no surrogates reach a file), in RE2
_FORBIDDEN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"
_TOUCHED = _FORBIDDEN[:-1] + r'\\"\n\r]'  # and what N-Triples escapes
_ODD_DECIMAL = "(abs({c}) >= 1e16 OR ({c} <> 0 AND abs({c}) < 1e-4))"  # repr in exponent form


def decimal(col):
    """_common.decimal_text of a file's number (as the file reads back: an int when integral
    below 2**53) where repr has no exponent: an integral one below 1e16 without its '.0'."""
    return number(col, below="1e16")


def decimal_float(col):
    """_common.decimal_text of a double kept as a float (a location's part): repr without a
    trailing '.0' (where repr has no exponent), so -0.0 is '-0'."""
    text = f"CAST({col} AS VARCHAR)"
    return (
        f"CASE WHEN suffix({text}, '.0') THEN substr({text}, 1, length({text}) - 2) ELSE {text} END"
    )


def free_text(expr):
    """A free-text literal's body: XML-forbidden characters dropped, then escaped as the
    N-Triples grammar says (rdf_ntriples.escape_literal); NULL when nothing is left. Only
    a value that has something to drop or escape goes through the replacements."""
    clean = f"regexp_replace({expr}, '{_FORBIDDEN}', '', 'g')"
    escaped = clean
    for char, escape in (
        ("'\\'", "'\\\\'"),
        ("'\"'", "'\\\"'"),
        ("chr(10)", "'\\n'"),
        ("chr(13)", "'\\r'"),
    ):
        escaped = f"replace({escaped}, {char}, {escape})"
    return (
        f"CASE WHEN regexp_matches({expr}, '{_TOUCHED}') THEN nullif({escaped}, '') "
        f"ELSE nullif({expr}, '') END"
    )


def wkt(i):
    """_rdf.wkt of polygon field i, from `w<i>` (its 'lon lat' pairs, made beside it)."""
    w = f"w{i}"
    ring = f"CASE WHEN {w}[1] <> {w}[-1] THEN list_append({w}, {w}[1]) ELSE {w} END"
    return (
        f"CASE WHEN len({w}) >= 3 THEN 'POLYGON((' || array_to_string({ring}, ', ') || '))' "
        f"WHEN len({w}) = 2 THEN 'LINESTRING(' || array_to_string({w}, ', ') || ')' "
        f"ELSE 'POINT(' || {w}[1] || ')' END"
    )


def _nt_lexicals(field, i, atoms):
    """SQL of the lexical form of each of field i's atoms (NULL: no triple for it)."""
    from portal.core.langs import LANG_TAGS

    kind, c = field["type"], f"c{i}"
    if kind == "number":
        return [decimal(c)]
    if kind == "date":
        return [f"CAST({c} AS VARCHAR)"]
    if kind == "text":
        key_of = {tag: key for key, tag in LANG_TAGS.items()}
        return [free_text(f"{c}.{key_of[atom.lang]}") for atom in atoms]
    if kind == "location":
        return [location_text(c), decimal_float(f"{c}[1]"), decimal_float(f"{c}[2]")][: len(atoms)]
    if kind == "polygon":
        return [wkt(i)]
    return [free_text(c)]  # string, directory


def nt_lexicals(plan, table, fields):
    """(SQL selecting each row's position and the lexical form of each of its triples from
    `read_parquet(?)`, NULL for a triple the row has not; the text before and after each
    lexical form). Python puts the lines together (rdf_ntriples): made in SQL, the lines of
    the 2,048 rows DuckDB works on at a time held some 30 MB more than these forms."""
    inner, cols, around = ["_p"], [], []
    by_name = {f["name"]: f for f in fields}
    for name, atoms in plan.groups:
        i = table.index.get(name)
        if i is None:
            continue
        field = by_name[name]
        if field["type"] == "polygon":
            pairs = "lambda p: CAST(p[2] AS VARCHAR) || ' ' || CAST(p[1] AS VARCHAR)"
            inner.append(f"list_transform(c{i}, {pairs}) AS w{i}")
        for atom, lex in zip(atoms, _nt_lexicals(field, i, atoms), strict=True):
            cols.append(lex)
            tag = f"@{atom.lang}" if atom.lang else ""
            suffix = f"^^<{atom.datatype}>" if atom.datatype else tag
            around.append((f'<{atom.predicate}> "', f'"{suffix}'))
    inner.append("*")
    select = ", ".join(["_p", *cols])
    sql = f"SELECT {select} FROM (SELECT {', '.join(inner)} FROM read_parquet(?))"  # noqa: S608 - columns by index
    return sql, around


def nt_plain(con, table, fields, plan):
    """Whether every value shown has the same text from SQL as from Python: no value its
    column type cannot carry (_sql.exotic), no number in exponent form where a decimal is
    written, no empty polygon. One scan of the file."""
    by_name = {f["name"]: f for f in fields}
    odd = []
    for name, atoms in plan.groups:
        i = table.index.get(name)
        if i is None:
            continue
        odd.append(f"x{i} IS NOT NULL")
        kind = by_name[name]["type"]
        if kind == "number":
            odd.append(_ODD_DECIMAL.format(c=f"c{i}"))
        elif kind == "location" and len(atoms) == 3:
            odd.extend(_ODD_DECIMAL.format(c=f"c{i}[{k}]") for k in (1, 2))
        elif kind == "polygon":
            odd.append(f"len(c{i}) = 0")
    if not odd:
        return True
    sql = f"SELECT 1 FROM read_parquet(?) WHERE {' OR '.join(odd)} LIMIT 1"  # noqa: S608 - columns by index
    return con.execute(sql, [table.paths]).fetchone() is None
