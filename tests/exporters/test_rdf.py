"""The four RDF syntaxes parse with rdflib to the same graph."""

import pytest
import rdflib
from rdflib import RDF, Literal, URIRef

import exporters

from .sample import BASE, FIELDS, META, ROWS, render

SYNTAXES = {"nt": "nt", "ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
S = BASE + "/structure#"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
WKT = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")


def graph(fmt, lang=None, rows=None):
    g = rdflib.Graph()
    g.parse(data=render(fmt, lang=lang, rows=rows), format=SYNTAXES[fmt])
    return g


def row(n):
    return URIRef(f"{BASE}/rows/{n}")


@pytest.mark.parametrize("lang", [None, "uzbKrText"])
def test_all_syntaxes_give_the_same_triples(lang):
    graphs = {fmt: graph(fmt, lang) for fmt in SYNTAXES}
    counts = {fmt: len(g) for fmt, g in graphs.items()}
    assert len(set(counts.values())) == 1, counts
    reference = set(graphs["nt"])
    for fmt, g in graphs.items():
        assert set(g) == reference, fmt
    rows = set(graphs["nt"].subjects(RDF.type, URIRef(S + "Row")))
    assert rows == {row(n) for n in range(1, len(ROWS) + 1)}


def test_row_values():
    g = graph("nt")
    first = row(1)
    assert g.value(first, URIRef(S + "_2010Y")) == Literal("-7", datatype=DECIMAL)
    assert g.value(row(2), URIRef(S + "_2010Y")) == Literal("1234.5", datatype=DECIMAL)
    assert g.value(first, URIRef(S + "Sana")) == Literal("2001-03-12", datatype=DATE)
    assert g.value(first, URIRef(S + "Manzil")) == Literal(ROWS[0]["Manzil"])
    names = set(g.objects(first, URIRef(S + "Hudud")))
    assert {(str(o), o.language) for o in names} == {
        ("Toshkent", "uz"),
        ("Тошкент", "uz-Cyrl"),
        ("Ташкент", "ru"),
        ("Tashkent", "en"),
    }
    assert len(set(g.objects(row(2), URIRef(S + "Hudud")))) == 3  # the empty language is left out
    assert g.value(first, URIRef(S + "Joylashuv")) == Literal("41.31108 69.27974")
    assert g.value(first, URIRef(WGS84 + "lat")) == Literal("41.31108", datatype=DECIMAL)
    assert g.value(first, URIRef(WGS84 + "long")) == Literal("69.27974", datatype=DECIMAL)
    area = g.value(first, URIRef(S + "Hudud_chegarasi"))
    assert area.datatype == WKT
    assert str(area) == "POLYGON((69.26 41.3, 69.26 41.32, 69.29 41.32, 69.29 41.3, 69.26 41.3))"
    assert str(g.value(row(2), URIRef(S + "Hudud_chegarasi"))).startswith("LINESTRING(66.95 39.64")
    assert g.value(row(3), URIRef(S + "Hudud")) is None
    assert str(g.value(row(4), URIRef(S + "Manzil"))) == "Qatorlar\r\nikki"
    assert str(g.value(row(4), URIRef(S + "Hudud"), any=True))  # parses despite \x01


def test_dataset_triples():
    g = graph("ttl")
    ds = URIRef(BASE)
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    assert (ds, RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")) in g
    assert g.value(ds, dct.identifier) == Literal(META["code"])
    assert len(set(g.objects(ds, dct.title))) == 4
    assert g.value(ds, dct.license) == URIRef(META["license"])
    assert g.value(ds, URIRef("http://www.w3.org/ns/dcat#version")) == Literal("3")
    labels = {o.language for o in g.objects(URIRef(S + "_2010Y"), rdflib.RDFS.label)}
    assert labels == {"uz", "uz-Cyrl", "ru", "en"}


def test_one_language_keeps_only_it():
    g = graph("jsonld", lang="ru")
    tagged = {o.language for o in g.objects() if isinstance(o, Literal) and o.language}
    assert tagged == {"ru"}
    assert str(g.value(row(1), URIRef(S + "Hudud"))) == "Ташкент"


def test_no_rows_still_describes_the_dataset():
    for fmt in SYNTAXES:
        g = graph(fmt, rows=[])
        assert (URIRef(BASE), RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")) in g


def test_odd_base_and_field_names():
    number, string = FIELDS[4], FIELDS[1]
    fields = [dict(number, name="12.5"), dict(string, name="Row"), dict(string, name="a b")]
    meta = dict(META, code="2-001 x&y", base_url="http://example.org/a&b/")
    rows = [{"12.5": 3, "Row": 'x"<y>', "a b": "z"}]
    counts = set()
    for fmt, syntax in SYNTAXES.items():
        data = b"".join(exporters.render(fmt, meta, fields, iter(rows)))
        g = rdflib.Graph().parse(data=data, format=syntax)
        counts.add(len(g))
        subject = URIRef("http://example.org/a&b/datasets/2-001%20x%26y/rows/1")
        assert (subject, None, Literal('x"<y>')) in g, fmt
    assert len(counts) == 1
