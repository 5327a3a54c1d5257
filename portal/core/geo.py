"""Location and polygon field types: WGS 84 latitude/longitude pairs."""

import math
import re
from collections.abc import Mapping

from .cells import FieldType, cell_text

_NUM = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_LOCATION = re.compile(rf"\[?\s*({_NUM})\s*(?:[,;]\s*|\s+)({_NUM})\s*\]?")
_PAIR = rf"\[\s*{_NUM}\s*,\s*{_NUM}\s*\]"
_POLYGON = re.compile(rf"{_PAIR}(?:\s*,?\s*{_PAIR})*")
_POINT = re.compile(rf"\[\s*({_NUM})\s*,\s*({_NUM})\s*\]")
LOCATION_PROBLEM = "not a location (lat lon): {!r}"
POLYGON_PROBLEM = "not a polygon ([lat, lon], [lat, lon], ...): {!r}"


def check_point(lat, lon):
    """Return None when lat/lon are in range, else a message naming the bad coordinate."""
    if not -90.0 <= lat <= 90.0:
        return f"latitude {lat!r} is out of range [-90, 90]"
    if not -180.0 <= lon <= 180.0:
        return f"longitude {lon!r} is out of range [-180, 180]"
    return None


def _coordinate(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _pair(value):
    """Return [lat, lon] floats from a two-item list (JSON form), or None."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        lat, lon = _coordinate(value[0]), _coordinate(value[1])
        if lat is not None and lon is not None:
            return [lat, lon]
    return None


def _format_number(value):
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class LocationType(FieldType):
    """A point; stored as [lat, lon] floats, written 'lat lon'."""

    name = "location"

    def parse(self, raw, field=None, directory=None):
        if raw is None:
            return None, None
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return None, None
            match = _LOCATION.fullmatch(text)
            if not match:
                return None, LOCATION_PROBLEM.format(text)
            point = [float(match.group(1)), float(match.group(2))]
        else:
            point = _pair(raw)
            if point is None:
                return None, LOCATION_PROBLEM.format(cell_text(raw))
        problem = check_point(*point)
        return (None, problem) if problem else (point, None)

    def format(self, value):
        if not value:
            return ""
        return f"{_format_number(value[0])} {_format_number(value[1])}"


class PolygonType(FieldType):
    """An area; stored as [[lat, lon], ...] with two points or more."""

    name = "polygon"

    def parse(self, raw, field=None, directory=None):
        if raw is None:
            return None, None
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return None, None
            inner = text[1:-1].strip() if text.startswith("[[") and text.endswith("]]") else text
            if not _POLYGON.fullmatch(inner):
                return None, POLYGON_PROBLEM.format(text)
            points = [[float(lat), float(lon)] for lat, lon in _POINT.findall(inner)]
        elif isinstance(raw, (list, tuple)) and not isinstance(raw, Mapping):
            points = [_pair(item) for item in raw]
            if any(point is None for point in points):
                return None, POLYGON_PROBLEM.format(cell_text(raw))
        else:
            return None, POLYGON_PROBLEM.format(cell_text(raw))
        if len(points) < 2:
            return None, "polygon needs at least two points"
        for number, point in enumerate(points, start=1):
            problem = check_point(*point)
            if problem:
                return None, f"point {number}: {problem}"
        return points, None

    def format(self, value):
        if not value:
            return ""
        return ", ".join(f"[{_format_number(lat)}, {_format_number(lon)}]" for lat, lon in value)
