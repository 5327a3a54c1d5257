"""What the RDF exporters say, independent of syntax: IRIs, dataset triples, row atoms."""

from datetime import datetime
from typing import NamedTuple
from urllib.parse import quote

from portal.core.langs import LANG_KEYS, LANG_TAGS

from ._common import (
    clean_text,
    decimal_text,
    local_names,
    location_text,
    text_getter,
)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEO = "http://www.opengis.net/ont/geosparql#"
PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "dct": DCT,
    "dcat": DCAT,
    "foaf": FOAF,
    "wgs84": WGS84,
    "geo": GEO,
}
RDF_TYPE = RDF + "type"
DECIMAL = XSD + "decimal"
WKT = GEO + "wktLiteral"


class Lit(NamedTuple):
    """A literal object; an object that is a plain str is an IRI."""

    lex: str
    datatype: str | None = None
    lang: str | None = None


class Atom(NamedTuple):
    """One triple per row value: predicate, literal kind and value -> lexical form ('' skips)."""

    predicate: str
    datatype: str | None
    lang: str | None
    lexical: object
    free_text: bool  # may hold any character, so needs escaping in every syntax


class Plan(NamedTuple):
    dataset: str
    row_base: str  # row n is row_base + str(n)
    struct_ns: str  # predicates are struct_ns + local name; the row class is struct_ns + "Row"
    row_class: str
    locals: dict  # field name -> local name of its predicate
    header: list  # [(subject, predicate, object)] dataset-level triples
    groups: list  # [(field name, [Atom, ...])] in field order


def iri_part(s):
    """Percent-encode a path segment for an IRI."""
    return quote(str(s), safe="-._~") if s else "_"


def _langs(values, lang):
    """(tag, text) for each non-empty language of a {"uzbText": ...} object."""
    values = values or {}
    keys = LANG_KEYS if lang is None else (lang,)
    return [(LANG_TAGS[k], clean_text(values[k])) for k in keys if values.get(k)]


def wkt(points):
    """[[lat, lon], ...] -> WKT (lon lat order): POLYGON, or LINESTRING for two points."""
    pairs = [f"{p[1]!r} {p[0]!r}" for p in points]
    if len(pairs) < 3:
        return f"LINESTRING({', '.join(pairs)})" if len(pairs) == 2 else f"POINT({pairs[0]})"
    if pairs[0] != pairs[-1]:
        pairs.append(pairs[0])
    return f"POLYGON(({', '.join(pairs)}))"


def _clean_lang(key):
    pick = text_getter(key)

    def lexical(v):
        return clean_text(pick(v))

    return lexical


def _clean(v):
    return clean_text(v) if v.__class__ is str else clean_text(str(v))


def _atoms(field, predicate, lang, geometry):
    kind = field["type"]
    if kind == "number":
        return [Atom(predicate, DECIMAL, None, decimal_text, False)]
    if kind == "date":
        return [Atom(predicate, XSD + "date", None, str, False)]
    if kind == "text":
        keys = LANG_KEYS if lang is None else (lang,)
        return [Atom(predicate, None, LANG_TAGS[k], _clean_lang(k), True) for k in keys]
    if kind == "location":
        atoms = [Atom(predicate, None, None, location_text, False)]
        if geometry:
            atoms.append(Atom(WGS84 + "lat", DECIMAL, None, lambda v: decimal_text(v[0]), False))
            atoms.append(Atom(WGS84 + "long", DECIMAL, None, lambda v: decimal_text(v[1]), False))
        return atoms
    if kind == "polygon":
        return [Atom(predicate, WKT, None, wkt, False)]
    return [Atom(predicate, None, None, _clean, True)]  # string, directory


def _header(meta, fields, lang, dataset, struct_ns, locals_):
    code = str(meta.get("code", ""))
    triples = [(dataset, RDF_TYPE, DCAT + "Dataset"), (dataset, DCT + "identifier", Lit(code))]
    for tag, text in _langs(meta.get("title"), lang):
        triples.append((dataset, DCT + "title", Lit(text, lang=tag)))
    for tag, text in _langs(meta.get("description"), lang):
        triples.append((dataset, DCT + "description", Lit(text, lang=tag)))
    for word in meta.get("keywords") or ():
        if word:
            triples.append((dataset, DCAT + "keyword", Lit(clean_text(str(word)))))
    if meta.get("version") is not None:
        triples.append((dataset, DCAT + "version", Lit(str(meta["version"]))))
    updated = meta.get("updated_at")
    if isinstance(updated, datetime):
        triples.append((dataset, DCT + "modified", Lit(updated.isoformat(), XSD + "dateTime")))
    license_ = meta.get("license")
    if license_:
        license_ = str(license_)
        is_iri = license_.startswith(("http://", "https://")) and " " not in license_
        triples.append((dataset, DCT + "license", license_ if is_iri else Lit(license_)))
    org = meta.get("organization") or {}
    base = str(meta.get("base_url", "")).rstrip("/")
    if org.get("code"):
        org_iri = f"{base}/organizations/{iri_part(org['code'])}"
        triples.append((dataset, DCT + "publisher", org_iri))
        triples.append((org_iri, RDF_TYPE, FOAF + "Organization"))
        for tag, text in _langs(org.get("name"), lang):
            triples.append((org_iri, FOAF + "name", Lit(text, lang=tag)))
    triples.append((struct_ns + "Row", RDF_TYPE, RDFS + "Class"))
    for field in fields:
        predicate = struct_ns + locals_[field["name"]]
        triples.append((predicate, RDF_TYPE, RDF + "Property"))
        for tag, text in _langs(field.get("caption"), lang):
            triples.append((predicate, RDFS + "label", Lit(text, lang=tag)))
    return triples


def plan(meta, fields, lang):
    """Everything the RDF serializers need to write a dataset."""
    base = str(meta.get("base_url", "")).rstrip("/")
    dataset = f"{base}/datasets/{iri_part(meta.get('code', ''))}"
    struct_ns = f"{dataset}/structure#"
    # predicate local names follow the XML element-name rule ("2010Y" -> "_2010Y") so that
    # RDF/XML can write every predicate as a QName in the structure namespace
    names = [f["name"] for f in fields]
    locals_ = dict(zip(names, local_names(names), strict=True))
    groups = []
    geometry_done = False
    for field in fields:
        geometry = field["type"] == "location" and not geometry_done
        geometry_done = geometry_done or geometry
        predicate = struct_ns + locals_[field["name"]]
        groups.append((field["name"], _atoms(field, predicate, lang, geometry)))
    return Plan(
        dataset=dataset,
        row_base=f"{dataset}/rows/",
        struct_ns=struct_ns,
        row_class=struct_ns + "Row",
        locals=locals_,
        header=_header(meta, fields, lang, dataset, struct_ns, locals_),
        groups=groups,
    )


def row_compiler(groups, make):
    """row dict -> [piece, ...] with make(atom) giving value -> piece ('' to skip) per atom."""
    flat = [(name, make(atom)) for name, atoms in groups for atom in atoms]

    def pieces(row):
        get = row.get
        return [p for name, fn in flat if (v := get(name)) is not None and (p := fn(v))]

    return pieces


def by_subject(triples):
    """[(s, p, o)] -> [(s, [(p, o), ...])], subjects in first-seen order."""
    grouped = {}
    for s, p, o in triples:
        grouped.setdefault(s, []).append((p, o))
    return list(grouped.items())
