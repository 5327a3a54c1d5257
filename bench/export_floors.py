"""Floors for bench/export.py: the fastest plain writer of each format, and rdflib as a peer.

Each floor writes the same rows with the usual library for the format and no more logic than
the format needs (no formula neutralizing, no XML character cleaning, no IRI checks), and
returns the number of bytes it wrote. Floors for ttl, rdf, jsonld and geojson are the nearest
writer of the same kind, named in WRITERS.
"""

import csv
import io
import tempfile
from datetime import date

import orjson
import xlsxwriter
from lxml import etree

LANGS = ("uzbText", "uzbKrText", "rusText", "engText")
TAGS = {"uzbText": "uz", "uzbKrText": "uz-Cyrl", "rusText": "ru", "engText": "en"}
SHORT = {"uzbText": "uz", "uzbKrText": "oz", "rusText": "ru", "engText": "en"}
CHUNK = 64 * 1024
PLAIN = ("number", "date", "string", "directory")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
BASE = "http://bench.example/datasets/x"
TTL_SEP = " ;\n    "

WRITERS = {
    "csv": "csv.writer, a batch of rows at a time",
    "json": "orjson.dumps of the stored rows, a batch at a time",
    "xml": "lxml etree.xmlfile, one element per row",
    "xlsx": "xlsxwriter constant_memory, typed write_* per cell",
    "rdf": "hand-written RDF/XML (f-strings, one node element per row)",
    "ttl": "hand-written Turtle (f-strings, one subject block per row)",
    "jsonld": "orjson.dumps of the row nodes, a batch at a time",
    "nt": "hand-written N-Triples (f-strings)",
    "geojson": "orjson.dumps of the Feature dicts, a batch at a time",
}


def flat_columns(fields):
    """(column name, field name, type, language key or None), text fields in four columns."""
    out = []
    for f in fields:
        if f["type"] == "text":
            out.extend((f"{f['name']}_{SHORT[k]}", f["name"], "text", k) for k in LANGS)
        else:
            out.append((f["name"], f["name"], f["type"], None))
    return out


def text(kind, key, v):
    """The plain text of a value (values.md), without the exporters' special cases."""
    if key is not None:
        return v.get(key) or ""
    if kind == "location":
        return f"{v[0]} {v[1]}"
    if kind == "polygon":
        return ", ".join([f"[{p[0]}, {p[1]}]" for p in v])
    return str(v)


class Sink:
    """A file-like object that counts what is written to it."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)

    def close(self):
        pass


def floor_csv(fields, rows):
    cols = flat_columns(fields)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c[0] for c in cols])
    size, batch = 0, []
    for row in rows:
        cells = []
        for _, name, kind, key in cols:
            v = row.get(name)
            cells.append(v if v is None or kind in PLAIN else text(kind, key, v))
        batch.append(cells)
        if len(batch) == 256:
            writer.writerows(batch)
            batch.clear()
            if buf.tell() >= CHUNK:
                size += len(buf.getvalue().encode())
                buf.seek(0)
                buf.truncate()
    writer.writerows(batch)
    return size + len(buf.getvalue().encode())


def _orjson_array(items):
    size, batch = 2, []
    for item in items:
        batch.append(item)
        if len(batch) == 256:
            size += len(orjson.dumps(batch))
            batch.clear()
    return size + len(orjson.dumps(batch))


def floor_json(fields, rows):
    return _orjson_array(rows)


def floor_geojson(fields, rows):
    geo = next(f["name"] for f in fields if f["type"] == "location")

    def features():
        for n, row in enumerate(rows, 1):
            v = row.get(geo)
            props = {k: x for k, x in row.items() if k != geo}
            shape = None if v is None else {"type": "Point", "coordinates": [v[1], v[0]]}
            yield {"type": "Feature", "id": n, "geometry": shape, "properties": props}

    return _orjson_array(features())


def floor_xml(fields, rows):
    cols = flat_columns(fields)
    tags = [("_" + c[0] if c[0][0].isdigit() else c[0], *c[1:]) for c in cols]
    sink = Sink()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("dataset", code="x", version="1"):
            for row in rows:
                el = etree.Element("row")
                for tag, name, kind, key in tags:
                    v = row.get(name)
                    if v is not None:
                        etree.SubElement(el, tag).text = text(kind, key, v)
                xf.write(el, "\n")
    return sink.size


def floor_xlsx(fields, rows):
    cols = flat_columns(fields)
    with tempfile.TemporaryFile() as tmp:
        wb = xlsxwriter.Workbook(tmp, {"constant_memory": True})
        date_format = wb.add_format({"num_format": "dd.mm.yyyy"})
        ws = wb.add_worksheet("data")
        for c, col in enumerate(cols):
            ws.write_string(0, c, col[0])
        epoch = date(1899, 12, 30).toordinal()
        for r, row in enumerate(rows, 1):
            for c, (_, name, kind, key) in enumerate(cols):
                v = row.get(name)
                if v is None:
                    continue
                if kind == "number":
                    ws.write_number(r, c, v)
                elif kind == "date":
                    ws.write_number(r, c, date.fromisoformat(v).toordinal() - epoch, date_format)
                else:
                    ws.write_string(r, c, text(kind, key, v))
        wb.close()
        return tmp.tell()


def _escape(s):
    if '"' in s or "\\" in s or "\n" in s or "\r" in s:
        return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return s


def _xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rdf_plan(fields, geo_terms):
    """(field name, local name, type, language key) per literal; locations give three."""
    out = []
    for f in fields:
        local = "_" + f["name"] if f["name"][0].isdigit() else f["name"]
        if f["type"] == "text":
            out.extend((f["name"], local, "text", k) for k in LANGS)
        else:
            out.append((f["name"], local, f["type"], None))
            if f["type"] == "location" and geo_terms:
                out.append((f["name"], "lat", "lat", None))
                out.append((f["name"], "long", "long", None))
    return out


def _literal(kind, key, v):
    """(lexical form, datatype IRI or None, language tag or None) of one literal."""
    if kind == "text":
        return v.get(key) or "", None, TAGS[key]
    if kind == "number":
        return str(v), XSD + "decimal", None
    if kind == "date":
        return v, XSD + "date", None
    if kind == "location":
        return f"{v[0]} {v[1]}", None, None
    if kind == "lat":
        return str(v[0]), XSD + "decimal", None
    if kind == "long":
        return str(v[1]), XSD + "decimal", None
    if kind == "polygon":
        ring = [f"{p[1]} {p[0]}" for p in v] + [f"{v[0][1]} {v[0][0]}"]
        return f"POLYGON(({', '.join(ring)}))", WKT, None
    return v, None, None


def _predicate(local, kind):
    return WGS84 + local if kind in ("lat", "long") else f"{BASE}/structure#{local}"


def floor_nt(fields, rows):
    plan = [(n, _predicate(lo, k), k, key) for n, lo, k, key in rdf_plan(fields, True)]
    cls = f"<{BASE}/structure#Row>"
    size, out = 0, []
    for i, row in enumerate(rows, 1):
        s = f"<{BASE}/rows/{i}>"
        out.append(f"{s} <{RDF_TYPE}> {cls} .\n")
        for name, pred, kind, key in plan:
            v = row.get(name)
            if v is None:
                continue
            lex, dt, tag = _literal(kind, key, v)
            if not lex:
                continue
            suffix = f"@{tag}" if tag else (f"^^<{dt}>" if dt else "")
            out.append(f'{s} <{pred}> "{_escape(lex)}"{suffix} .\n')
        if len(out) > 2000:
            size += len("".join(out).encode())
            out.clear()
    return size + len("".join(out).encode())


def floor_ttl(fields, rows):
    plan = [
        (n, f"wgs84:{lo}" if k in ("lat", "long") else f"s:{lo}", k, key)
        for n, lo, k, key in rdf_plan(fields, True)
    ]
    size, out = 0, []
    for i, row in enumerate(rows, 1):
        parts = ["a s:Row"]
        for name, pred, kind, key in plan:
            v = row.get(name)
            if v is None:
                continue
            lex, dt, tag = _literal(kind, key, v)
            if not lex:
                continue
            suffix = f"@{tag}" if tag else (f"^^<{dt}>" if dt else "")
            parts.append(f'{pred} "{_escape(lex)}"{suffix}')
        out.append(f"row:{i} {TTL_SEP.join(parts)} .\n")
        if len(out) > 256:
            size += len("".join(out).encode())
            out.clear()
    return size + len("".join(out).encode())


def floor_rdf(fields, rows):
    plan = [
        (n, f"wgs84:{lo}" if k in ("lat", "long") else f"s:{lo}", k, key)
        for n, lo, k, key in rdf_plan(fields, True)
    ]
    size, out = 0, []
    for i, row in enumerate(rows, 1):
        parts = [f'<s:Row rdf:about="{BASE}/rows/{i}">']
        for name, pred, kind, key in plan:
            v = row.get(name)
            if v is None:
                continue
            lex, dt, tag = _literal(kind, key, v)
            if not lex:
                continue
            attr = f' xml:lang="{tag}"' if tag else (f' rdf:datatype="{dt}"' if dt else "")
            parts.append(f"<{pred}{attr}>{_xml_escape(lex)}</{pred}>")
        parts.append("</s:Row>\n")
        out.append("".join(parts))
        if len(out) > 256:
            size += len("".join(out).encode())
            out.clear()
    return size + len("".join(out).encode())


def floor_jsonld(fields, rows):
    plan = rdf_plan(fields, True)

    def nodes():
        for i, row in enumerate(rows, 1):
            node = {"@id": f"{BASE}/rows/{i}", "@type": f"{BASE}/structure#Row"}
            for name, local, kind, key in plan:
                v = row.get(name)
                if v is None:
                    continue
                if kind == "text":
                    node.setdefault(local, {})[TAGS[key]] = v.get(key) or ""
                    continue
                lex, dt, _ = _literal(kind, key, v)
                node[local] = lex if dt is None else {"@value": lex, "@type": dt}
            yield node

    return _orjson_array(nodes())


FLOORS = {
    "csv": floor_csv,
    "json": floor_json,
    "xml": floor_xml,
    "xlsx": floor_xlsx,
    "rdf": floor_rdf,
    "ttl": floor_ttl,
    "jsonld": floor_jsonld,
    "nt": floor_nt,
    "geojson": floor_geojson,
}


def rdflib_graph(meta, fields, rows):
    """Build an rdflib Graph of the same triples the RDF exporters write, serialize RDF/XML."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF

    from exporters import _rdf

    plan = _rdf.plan(meta, fields, None)
    graph = Graph()
    row_class = URIRef(plan.row_class)
    atoms = [
        (name, URIRef(a.predicate), URIRef(a.datatype) if a.datatype else None, a.lang, a.lexical)
        for name, group in plan.groups
        for a in group
    ]
    for n, row in enumerate(rows, 1):
        subject = URIRef(f"{plan.row_base}{n}")
        graph.add((subject, RDF.type, row_class))
        for name, predicate, datatype, lang, lexical in atoms:
            v = row.get(name)
            if v is None:
                continue
            lex = lexical(v)
            if lex:
                graph.add((subject, predicate, Literal(lex, lang=lang, datatype=datatype)))
    return len(graph.serialize(format="xml", encoding="utf-8"))
