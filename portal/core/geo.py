"""Location and polygon field types: WGS 84 latitude/longitude pairs.

Cells are read by a small scanner that looks at each character once (no regular expression:
a backtracking pattern on user input is a denial of service waiting to happen).
"""

import math
from collections.abc import Mapping

from .cells import FieldType, cell_text, shown, text_problem

MAX_POINTS = 20_000  # of one polygon
LOCATION_PROBLEM = "not a location (lat lon): {}"
POLYGON_PROBLEM = "not a polygon ([lat, lon], [lat, lon], ...): {}"
_DIGITS = frozenset("0123456789")


class _Scanner:
    """A cursor over text; every method moves forward only, so a scan is linear."""

    __slots__ = ("text", "pos", "end")

    def __init__(self, text):
        self.text, self.pos, self.end = text, 0, len(text)

    def spaces(self):
        text, pos, end = self.text, self.pos, self.end
        while pos < end and text[pos].isspace():
            pos += 1
        moved = pos > self.pos
        self.pos = pos
        return moved

    def take(self, chars):
        if self.pos < self.end and self.text[self.pos] in chars:
            self.pos += 1
            return True
        return False

    def digits(self):
        text, pos, end = self.text, self.pos, self.end
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        count = pos - self.pos
        self.pos = pos
        return count

    def number(self):
        """[+-]?(digits[.digits?] | .digits)([eE][+-]?digits)? as a float, or None.

        The exponent is there because the text form of a stored float (repr) may use one.
        """
        start = self.pos
        self.take("+-")
        whole = self.digits()
        fraction = self.digits() if self.take(".") else 0
        if not whole and not fraction:
            return None
        if self.take("eE"):
            self.take("+-")
            if not self.digits():
                return None
        return float(self.text[start : self.pos])

    def done(self):
        return self.pos >= self.end


def scan_location(text):
    """'lat lon', 'lat, lon', 'lat; lon', optionally in brackets -> [lat, lon] or None."""
    s = _Scanner(text)
    s.take("[")
    s.spaces()
    lat = s.number()
    if lat is None:
        return None
    spaced = s.spaces()
    if s.take(",;"):
        s.spaces()
    elif not spaced:
        return None
    lon = s.number()
    if lon is None:
        return None
    s.spaces()
    s.take("]")
    return [lat, lon] if s.done() else None


def _scan_pair(s):
    if not s.take("["):
        return None
    s.spaces()
    lat = s.number()
    if lat is None:
        return None
    s.spaces()
    if not s.take(","):
        return None
    s.spaces()
    lon = s.number()
    if lon is None:
        return None
    s.spaces()
    return [lat, lon] if s.take("]") else None


_NUMBER_CHARS = frozenset("0123456789.+-eE")


def _plain_number(text):
    """A coordinate of a pair, spaces around it allowed, as the scanner reads it; or None.

    Made of digits, a point, signs and an exponent only, `float` accepts exactly the
    scanner's grammar (it refuses `--1`, `1.2.3`, `e5`, `.`, `1e`)."""
    text = text.strip()
    if not text or not _NUMBER_CHARS.issuperset(text):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _split_polygon(text):
    """The common shape of a polygon cell read with str methods (C speed): a list of points,
    or None when the text is anything else, for the scanner to decide."""
    chunks = text.split("]")
    if len(chunks) < 2 or chunks[-1].strip() or len(chunks) - 1 > MAX_POINTS:
        return None
    points = []
    for n, chunk in enumerate(chunks[:-1]):
        if n:
            chunk = chunk.lstrip()
            if chunk.startswith(","):
                chunk = chunk[1:].lstrip()
        if not chunk.startswith("["):
            return None
        parts = chunk[1:].split(",")
        if len(parts) != 2:
            return None
        lat, lon = _plain_number(parts[0]), _plain_number(parts[1])
        if lat is None or lon is None:
            return None
        points.append([lat, lon])
    return points


def scan_polygon(text):
    """'[lat, lon], [lat, lon] ...' (commas between pairs optional) -> points or None."""
    points = _split_polygon(text)
    if points is not None:
        return points
    return _scan_polygon(text)


def _scan_polygon(text):
    """scan_polygon by the character scanner: linear in the text, whatever it holds."""
    s = _Scanner(text)
    points = []
    while True:
        point = _scan_pair(s)
        if point is None or len(points) >= MAX_POINTS:
            return None
        points.append(point)
        s.spaces()
        if s.done():
            return points
        s.take(",")
        s.spaces()


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
    if isinstance(value, str):
        if len(value) > 100:
            return None
        number = scan_location_number(value)
    else:
        try:
            number = float(value)
        except (OverflowError, ValueError):
            return None
    return number if number is not None and math.isfinite(number) else None


def scan_location_number(text):
    """One coordinate written as text (surrounding spaces allowed), or None."""
    s = _Scanner(text)
    s.spaces()
    number = s.number()
    s.spaces()
    return number if s.done() else None


def _pair(value):
    """Return [lat, lon] floats from a two-item list (JSON form), or None."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        lat, lon = _coordinate(value[0]), _coordinate(value[1])
        if lat is not None and lon is not None:
            return [lat, lon]
    return None


def _format_number(value):
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _finite(point):
    return point is not None and math.isfinite(point[0]) and math.isfinite(point[1])


class LocationType(FieldType):
    """A point; stored as [lat, lon] floats, written 'lat lon'."""

    name = "location"

    def parse(self, raw, field=None, directory=None):
        if raw is None:
            return None, None
        if isinstance(raw, str):
            problem = text_problem(raw)
            if problem:
                return None, problem
            text = raw.strip()
            if not text:
                return None, None
            point = scan_location(text)
            if not _finite(point):
                return None, LOCATION_PROBLEM.format(shown(text))
        else:
            point = _pair(raw)
            if point is None:
                return None, LOCATION_PROBLEM.format(shown(cell_text(raw)))
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
            problem = text_problem(raw)
            if problem:
                return None, problem
            text = raw.strip()
            if not text:
                return None, None
            inner = text[1:-1].strip() if text.startswith("[[") and text.endswith("]]") else text
            points = scan_polygon(inner)
            if points is None or not all(_finite(p) for p in points):
                return None, POLYGON_PROBLEM.format(shown(text))
        elif isinstance(raw, (list, tuple)) and not isinstance(raw, Mapping):
            if len(raw) > MAX_POINTS:
                return None, f"a polygon has at most {MAX_POINTS:,} points; this one {len(raw):,}"
            points = [_pair(item) for item in raw]
            if any(point is None for point in points):
                return None, POLYGON_PROBLEM.format(shown(cell_text(raw)))
        else:
            return None, POLYGON_PROBLEM.format(shown(cell_text(raw)))
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
