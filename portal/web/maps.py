"""A map preview drawn offline: the country's outline (Natural Earth, public domain, shipped in
geo/) with a dataset's points and polygons over it, as SVG made on the server."""

import json
import math
from functools import lru_cache
from pathlib import Path

WIDTH = 640
PAD = 8
MAX_ROWS = 500


@lru_cache(maxsize=1)
def outline():
    data = json.loads((Path(__file__).parent / "geo" / "uzbekistan.json").read_text())
    return data["rings"]


class Projection:
    """Equirectangular, x stretched by cos(middle latitude), fitted to the outline."""

    def __init__(self, rings):
        lons = [p[0] for r in rings for p in r]
        lats = [p[1] for r in rings for p in r]
        self.west, self.east = min(lons), max(lons)
        self.south, self.north = min(lats), max(lats)
        self.k = math.cos(math.radians((self.south + self.north) / 2))
        span_x = (self.east - self.west) * self.k
        self.scale = (WIDTH - 2 * PAD) / span_x
        self.height = round((self.north - self.south) * self.scale + 2 * PAD)

    def __call__(self, lat, lon):
        x = PAD + (lon - self.west) * self.k * self.scale
        y = PAD + (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)


def _path(points, proj):
    return "M" + "L".join(f"{x},{y}" for x, y in (proj(lat, lon) for lat, lon in points)) + "Z"


@lru_cache(maxsize=1)
def country():
    """The projection fitted to the outline, and the outline's SVG path (the same for every
    map: made once per process)."""
    proj = Projection(outline())
    return proj, " ".join(_path([(lat, lon) for lon, lat in ring], proj) for ring in outline())


def build(fields, rows, label_field=None):
    """What the map template draws: the outline, points and shapes with their labels."""
    proj, outline_path = country()
    points, shapes = [], []
    for index, row in enumerate(rows, start=1):
        label = _label(row, label_field) or str(index)
        for field in fields:
            value = row.get(field["name"])
            if not value:
                continue
            if field["type"] == "location":
                x, y = proj(value[0], value[1])
                points.append({"x": x, "y": y, "label": label, "row": index})
            elif field["type"] == "polygon":
                shapes.append({"d": _path(value, proj), "label": label, "row": index})
    return {
        "width": WIDTH,
        "height": proj.height,
        "country": outline_path,
        "points": points,
        "shapes": shapes,
    }


def _label(row, field):
    if field is None:
        return ""
    value = row.get(field["name"])
    return value if isinstance(value, str) else ""


def has_geometry(fields):
    return any(f["type"] in ("location", "polygon") for f in fields)
