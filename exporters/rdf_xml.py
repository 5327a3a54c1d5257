"""RDF/XML, written by hand: one typed node element per row."""

from . import _rdf
from ._common import encode_chunks
from .xml_file import attr_escape, xml_escape

# Predicates are written as QNames: every predicate lives in a declared namespace and its local
# name is an NCName (field names go through _common.local_name, e.g. "2010Y" -> s:_2010Y).


def _namespaces(plan):
    return {**_rdf.PREFIXES, "s": plan.struct_ns}


def qname(iri, namespaces):
    """prefix:local for an IRI in one of the namespaces (longest namespace first)."""
    for prefix, ns in sorted(namespaces.items(), key=lambda item: -len(item[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    raise ValueError(f"no namespace for predicate {iri}")


def _property(name, obj):
    if not isinstance(obj, _rdf.Lit):
        return f'<{name} rdf:resource="{attr_escape(obj)}"/>'
    if obj.lang:
        attr = f' xml:lang="{obj.lang}"'
    elif obj.datatype:
        attr = f' rdf:datatype="{attr_escape(obj.datatype)}"'
    else:
        attr = ""
    return f"<{name}{attr}>{xml_escape(obj.lex)}</{name}>"


def _header(plan, namespaces):
    xmlns = "".join(f'\n  xmlns:{p}="{attr_escape(ns)}"' for p, ns in namespaces.items())
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF{xmlns}>\n']
    for subject, pairs in _rdf.by_subject(plan.header):
        props = "".join(f"\n  {_property(qname(p, namespaces), o)}" for p, o in pairs)
        parts.append(f'<rdf:Description rdf:about="{attr_escape(subject)}">{props}\n')
        parts.append("</rdf:Description>\n")
    return "".join(parts)


def _maker(namespaces):
    def make(atom):
        name = qname(atom.predicate, namespaces)
        lexical = atom.lexical
        if atom.lang:
            head = f'<{name} xml:lang="{atom.lang}">'
        elif atom.datatype:
            head = f'<{name} rdf:datatype="{atom.datatype}">'
        else:
            head = f"<{name}>"
        tail = f"</{name}>"
        if not atom.free_text:

            def typed(v):
                return f"{head}{lexical(v)}{tail}"

            return typed

        def text(v):
            s = lexical(v)
            return f"{head}{xml_escape(s)}{tail}" if s else ""

        return text

    return make


def render(meta, fields, rows, lang):
    """Yield the RDF/XML bytes of the dataset and its rows."""
    plan = _rdf.plan(meta, fields, lang)
    namespaces = _namespaces(plan)
    pieces = _rdf.row_compiler(plan.groups, _maker(namespaces))
    row_tag = qname(plan.row_class, namespaces)
    base = attr_escape(plan.row_base)

    def parts():
        yield _header(plan, namespaces)
        for n, row in enumerate(rows, 1):
            yield f'<{row_tag} rdf:about="{base}{n}">{"".join(pieces(row))}</{row_tag}>\n'
        yield "</rdf:RDF>\n"

    return encode_chunks(parts())
