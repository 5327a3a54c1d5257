"""Turtle, written by hand: prefixes, the dataset block, then one subject block per row."""

import re

from . import _rdf
from ._common import encode_chunks
from .rdf_ntriples import literal, statement_maker

# Local names that every Turtle parser reads as a prefixed name (no escapes, no final dot).
_SIMPLE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def _prefixes(plan):
    return {**_rdf.PREFIXES, "s": plan.struct_ns, "row": plan.row_base}


def compact(iri, prefixes):
    """An IRI as prefix:local when that is plainly valid, else <iri>."""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and _SIMPLE_LOCAL.match(iri, len(ns)):
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def _object(obj, prefixes):
    if not isinstance(obj, _rdf.Lit):
        return compact(obj, prefixes)
    if obj.datatype and not obj.lang:
        return f"{literal(obj.lex)}^^{compact(obj.datatype, prefixes)}"
    return literal(obj.lex, lang=obj.lang)


def _header(plan, prefixes):
    lines = [f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()]
    for subject, pairs in _rdf.by_subject(plan.header):
        body = " ;\n    ".join(
            f"{'a' if p == _rdf.RDF_TYPE else compact(p, prefixes)} {_object(o, prefixes)}"
            for p, o in pairs
        )
        lines.append(f"\n{compact(subject, prefixes)}\n    {body} .\n")
    lines.append("\n")
    return "".join(lines)


def _maker(prefixes):
    return statement_maker(lambda iri: compact(iri, prefixes))


def render(meta, fields, rows, lang):
    """Yield the Turtle bytes of the dataset and its rows."""
    plan = _rdf.plan(meta, fields, lang)
    prefixes = _prefixes(plan)
    pieces = _rdf.row_compiler(plan.groups, _maker(prefixes))
    typed_as_row = f"a {compact(plan.row_class, prefixes)}"

    sep = " ;\n    "

    def blocks():
        yield _header(plan, prefixes)
        for n, row in enumerate(rows, 1):
            yield f"row:{n} {sep.join([typed_as_row, *pieces(row)])} .\n"

    return encode_chunks(blocks())
