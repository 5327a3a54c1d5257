"""The DCAT record of each dataset, checked against DCAT-AP shapes with pySHACL.

Building and checking 13,000 records one by one takes minutes. The shipped shapes constrain
only counts, node kinds, datatypes and classes, so two records that have the same properties
with the same kinds of values validate the same way: datasets are grouped by what their record
will hold (which languages a title has, whether there is a description, a contact, keywords,
a date, a frequency, which distributions), one record per group is built with the catalog's own
builder, and all of them are validated in one pySHACL call. Shapes that look at values
(patterns, lists, lengths) make every dataset its own group.
"""

from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCAT, RDF, SH

import exporters
from portal.db.models import Dataset, Organization
from portal.services.discovery import catalog

SHAPES_FILE = Path(__file__).with_name("dcat-ap-shapes.ttl")
_VALUE_CONSTRAINTS = (SH.pattern, SH["in"], SH.hasValue, SH.minLength, SH.maxLength,
                      SH.languageIn, SH.uniqueLang, SH.minInclusive, SH.maxInclusive,
                      SH.sparql, SH.equals, SH.disjoint, SH.lessThan)  # fmt: skip
_shapes = None
_value_sensitive = None


def shapes():
    global _shapes
    if _shapes is None:
        _shapes = Graph().parse(SHAPES_FILE, format="turtle")
    return _shapes


def value_sensitive():
    """True when the shapes look at values, not only at what a record holds."""
    global _value_sensitive
    if _value_sensitive is None:
        graph = shapes()
        _value_sensitive = any(next(graph.triples((None, p, None)), None)
                               for p in _VALUE_CONSTRAINTS)  # fmt: skip
    return _value_sensitive


def organizations():
    return {o.code: o for o in Organization.objects()}


def _langs(value):
    return tuple(sorted(k for k, v in (value or {}).items() if v))


def group_key(doc, names):
    """What validation can see of a dataset's record (see the module's docstring); `names` is
    `{organization: languages of its name}`."""
    if value_sensitive():
        return (doc["_id"], doc.get("updated_at"))
    visible = [f for f in doc.get("fields") or () if f.get("visible", True)]
    return (
        _langs(doc.get("title")),
        _langs(doc.get("description")),
        bool(doc.get("keywords")),
        bool(doc.get("data_updated_at") or doc.get("updated_at")),
        doc.get("update_frequency") in catalog.FREQUENCIES,
        bool(doc.get("email")),
        bool(doc.get("phone")),
        names.get(doc.get("organization"), ()),
        tuple(fmt for fmt in catalog.DISTRIBUTIONS if exporters.supports(fmt, visible)),
    )


def record(doc, orgs, root):
    """(graph, dataset IRI) of a dataset's DCAT record, as the catalog writes it."""
    graph = Graph()
    node = catalog._dataset(graph, Dataset._from_son(doc), root, orgs)
    return graph, node


def check(docs, orgs, root):
    """`{dataset id: [messages]}`: each dataset's DCAT record validated (an empty list: valid)."""
    groups = {}
    names = {code: _langs(org.name.to_dict()) for code, org in orgs.items()}
    for doc in docs:
        groups.setdefault(group_key(doc, names), []).append(doc)
    records = {key: record(members[0], orgs, root) for key, members in groups.items()}
    messages = validate(list(records.values()))
    out = {}
    for key, members in groups.items():
        found = messages.get(records[key][1], [])
        for doc in members:
            out[doc["_id"]] = found
    return out


def validate(records):
    """`{dataset IRI: [messages]}` of records `[(graph, dataset IRI)]`, in one validation."""
    if not records:
        return {}
    from pyshacl import validate as shacl

    data = Graph()
    for graph, _ in records:
        data += graph
    owners = _owners(data)
    _, report, _ = shacl(data, shacl_graph=shapes(), inference="none", allow_warnings=True)
    found = {node: [] for _, node in records}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = str(report.value(result, SH.resultMessage) or "does not conform")
        for node in owners.get(focus, ()):
            if node in found and message not in found[node]:
                found[node].append(message)
    return found


def _owners(data):
    """For every node of the records, the datasets whose record holds it."""
    owners = {}
    for ds in set(data.subjects(RDF.type, DCAT.Dataset)):
        owners.setdefault(ds, set()).add(ds)
        for obj in data.objects(ds, None):
            if isinstance(obj, (URIRef, BNode)):
                owners.setdefault(obj, set()).add(ds)
    return owners
