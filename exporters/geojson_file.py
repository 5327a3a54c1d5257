"""GeoJSON (RFC 7946): a FeatureCollection with one Feature per row."""

from ._common import GEOMETRY_TYPES, closed_ring
from .json_file import json_array, row_converter


def point(v):
    """[lat, lon] -> GeoJSON Point ([lon, lat])."""
    return {"type": "Point", "coordinates": [v[1], v[0]]}


def polygon(v):
    """[[lat, lon], ...] -> Polygon with a closed counter-clockwise ring; two points: LineString."""
    if len(v) >= 3:
        return {"type": "Polygon", "coordinates": [closed_ring(v)]}
    if len(v) == 2:
        return {"type": "LineString", "coordinates": [[p[1], p[0]] for p in v]}
    return point(v[0])


def render(meta, fields, rows, lang):
    """Yield the GeoJSON bytes: the first location or polygon field is each row's geometry."""
    geo = next(f for f in fields if f["type"] in GEOMETRY_TYPES)
    name = geo["name"]
    shape = point if geo["type"] == "location" else polygon
    properties = row_converter(fields, lang, skip=geo)

    def features():
        for n, row in enumerate(rows, 1):
            v = row.get(name)
            yield {
                "type": "Feature",
                "id": n,
                "geometry": None if v is None else shape(v),
                "properties": properties(row),
            }

    return json_array(features(), head=b'{"type":"FeatureCollection","features":[', tail=b"]}")
