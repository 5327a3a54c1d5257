"""JSON-LD, streamed: an @context for the fields, then an @graph of the dataset and its rows."""

import orjson

from . import _rdf
from .json_file import json_array

# Field terms are the predicates' local names ("2010Y" -> "_2010Y"); they never contain ':'
# and never start with '@', so they cannot be read as compact IRIs or keywords. Everything
# else is written with full IRIs, so that no field term can shadow a prefix.


def _context(plan, fields):
    ctx = {}
    for field in fields:
        local = plan.locals[field["name"]]
        term = {"@id": plan.struct_ns + local}
        kind = field["type"]
        if kind == "text":
            term["@container"] = "@language"
        elif kind == "number":
            term["@type"] = _rdf.DECIMAL
        elif kind == "date":
            term["@type"] = _rdf.XSD + "date"
        elif kind == "polygon":
            term["@type"] = _rdf.WKT
        ctx[local] = term
    return ctx


def _value(obj):
    if not isinstance(obj, _rdf.Lit):
        return {"@id": obj}
    if obj.lang:
        return {"@value": obj.lex, "@language": obj.lang}
    if obj.datatype:
        return {"@value": obj.lex, "@type": obj.datatype}
    return {"@value": obj.lex}


def _header_nodes(plan):
    nodes = []
    for subject, pairs in _rdf.by_subject(plan.header):
        node = {"@id": subject}
        for p, o in pairs:
            if p == _rdf.RDF_TYPE:
                node.setdefault("@type", []).append(o)
            else:
                node.setdefault(p, []).append(_value(o))
        nodes.append(node)
    return nodes


def _field_plan(plan, field, atoms):
    """(field name, term, value -> JSON value or '' to skip, [(IRI, datatype, lexical)])."""
    term = plan.locals[field["name"]]
    if atoms[0].lang:
        picks = [(a.lang, a.lexical) for a in atoms]

        def language_map(v):
            return {tag: s for tag, pick in picks if (s := pick(v))}

        return field["name"], term, language_map, []
    # the field's own literal, then (for the geometry location) wgs84:lat and wgs84:long
    extra = [(a.predicate, a.datatype, a.lexical) for a in atoms[1:]]
    return field["name"], term, atoms[0].lexical, extra


def render(meta, fields, rows, lang):
    """Yield the JSON-LD bytes of the dataset and its rows."""
    plan = _rdf.plan(meta, fields, lang)
    by_name = {f["name"]: f for f in fields}
    steps = [_field_plan(plan, by_name[name], atoms) for name, atoms in plan.groups]
    row_base, row_class = plan.row_base, plan.row_class

    def nodes():
        for n, row in enumerate(rows, 1):
            get = row.get
            node = {"@id": f"{row_base}{n}", "@type": row_class}
            for name, term, convert, extra in steps:
                v = get(name)
                if v is None:
                    continue
                value = convert(v)
                if value:
                    node[term] = value
                for predicate, datatype, lexical in extra:
                    node[predicate] = {"@value": lexical(v), "@type": datatype}
            yield node

    head = b"".join(
        (
            b'{"@context":',
            orjson.dumps(_context(plan, fields)),
            b',"@graph":[',
            orjson.dumps(_header_nodes(plan))[1:-1],
        )
    )
    return json_array(nodes(), head=head, tail=b"]}", sep=b",")
