"""N-Triples, written by hand: one triple per line.

From a version's file (meta["table"]) DuckDB makes every lexical form (in SQL) and Python
puts each row's line together; a file with a value SQL does not give the same text for (a
number in exponent form, an empty polygon, a value its column type cannot carry) takes the
row path, the same bytes.
"""

from . import _rdf, _sql, _sql_nt
from ._common import encode_chunks

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def escape_literal(s):
    """Escape a string for a double-quoted N-Triples or Turtle literal."""
    if '"' in s or "\\" in s or "\n" in s or "\r" in s:
        return s.translate(_ESCAPES)
    return s


def literal(lex, datatype=None, lang=None):
    """A literal term, escaped per the N-Triples grammar (also valid Turtle)."""
    lex = escape_literal(lex)
    if lang:
        return f'"{lex}"@{lang}'
    if datatype:
        return f'"{lex}"^^<{datatype}>'
    return f'"{lex}"'


def term(obj):
    """An IRI (plain str) or a Lit as an N-Triples term."""
    if isinstance(obj, _rdf.Lit):
        return literal(*obj)
    return f"<{obj}>"


def statement_maker(name):
    """A maker of 'predicate "lexical"...' writers per atom, naming IRIs with `name`."""

    def make(atom):
        head = f"{name(atom.predicate)} "
        lexical = atom.lexical
        if not atom.free_text:
            suffix = f"^^{name(atom.datatype)}" if atom.datatype else ""

            def typed(v):
                return f'{head}"{lexical(v)}"{suffix}'

            return typed
        suffix = f"@{atom.lang}" if atom.lang else ""

        def text(v):
            s = lexical(v)
            return f'{head}"{escape_literal(s)}"{suffix}' if s else ""

        return text

    return make


_make = statement_maker(lambda iri: f"<{iri}>")


def render(meta, fields, rows, lang):
    """Yield the N-Triples bytes of the dataset and its rows (from the version's file when
    meta has it)."""
    table = meta.get("table")
    if table is None or not fields or not _sql.usable(table, fields):
        return render_rows(meta, fields, rows, lang)
    return _render_file(meta, table, fields, rows, lang)


def _header(plan):
    return "".join(f"<{s}> <{p}> {term(o)} .\n" for s, p, o in plan.header).encode()


def _render_file(meta, table, fields, rows, lang):
    plan = _rdf.plan(meta, fields, lang)
    select, around = _sql_nt.nt_lexicals(plan, table, fields)
    with _sql.connect(table) as con:
        if not _sql_nt.nt_plain(con, table, fields, plan):
            yield from render_rows(meta, fields, rows, lang)
            return
        cur = con.execute(select, [table.paths])
        yield _header(plan)
        typed = f"<{_rdf.RDF_TYPE}> <{plan.row_class}>"
        base = plan.row_base
        while batch := cur.fetchmany(FETCH):
            lines = []
            for position, *lexicals in batch:
                subject = f"<{base}{position}> "
                sep = f" .\n{subject}"
                triples = [
                    a + x + b for (a, b), x in zip(around, lexicals, strict=True) if x is not None
                ]
                lines.append(f"{subject}{sep.join([typed, *triples])} .\n")
            yield "".join(lines).encode()


FETCH = 50  # rows a batch: at 500 the rows' lexical forms in Python held 10 MB more


def render_rows(meta, fields, rows, lang):
    """The N-Triples bytes of rows given as stored row dicts, written in Python."""
    plan = _rdf.plan(meta, fields, lang)
    pieces = _rdf.row_compiler(plan.groups, _make)
    typed_as_row = f"<{_rdf.RDF_TYPE}> <{plan.row_class}>"

    def lines():
        yield _header(plan).decode()
        base = plan.row_base
        for n, row in enumerate(rows, 1):
            subject = f"<{base}{n}> "
            sep = f" .\n{subject}"
            yield f"{subject}{sep.join([typed_as_row, *pieces(row)])} .\n"

    return encode_chunks(lines())
