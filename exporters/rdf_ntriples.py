"""N-Triples, written by hand: one triple per line."""

from . import _rdf
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
    """Yield the N-Triples bytes of the dataset and its rows."""
    plan = _rdf.plan(meta, fields, lang)
    pieces = _rdf.row_compiler(plan.groups, _make)
    typed_as_row = f"<{_rdf.RDF_TYPE}> <{plan.row_class}>"

    def lines():
        yield "".join(f"<{s}> <{p}> {term(o)} .\n" for s, p, o in plan.header)
        base = plan.row_base
        for n, row in enumerate(rows, 1):
            subject = f"<{base}{n}> "
            sep = f" .\n{subject}"
            yield f"{subject}{sep.join([typed_as_row, *pieces(row)])} .\n"

    return encode_chunks(lines())
