"""Property tests of every cell parser, the JSON body reader, row filters and push records.

The strategies include what schemathesis never sends: lone surrogates, deep nesting, long
whitespace runs and integers of thousands of digits (issue 7, item 23). A parser may refuse
anything, but never raises, never returns a value MongoDB or orjson cannot store, and its
message can always be encoded.
"""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.core.cells import MAX_INT
from portal.core.directory import Directory
from portal.core.errors import BadRequest, PortalError
from portal.core.fields import FIELD_TYPES
from portal.core.jsonbody import MAX_DEPTH, load_json
from portal.core.validation import validate_json, validate_rows

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
DIRECTORY = Directory("regions", [{"code": "1726", "name": {"uzbText": "Toshkent shahri"}}])

surrogates = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
spaces = st.integers(0, 60_000).map(lambda n: " " * n)
any_char = st.characters(exclude_categories=())  # includes lone surrogates
numberish = st.from_regex(r"[+-]?[0-9 ,.]{0,30}(e[+-]?[0-9]{1,4})?", fullmatch=True)
hostile_text = st.one_of(
    st.text(any_char, max_size=50),
    st.builds(lambda a, s, b: a + s + b, st.text(any_char, max_size=20), spaces, numberish),
    st.builds(lambda a, s: a + s, numberish, surrogates),
    st.builds(
        lambda n, s: "[1, 2]" + s * n + "x", st.integers(0, 5000), st.sampled_from([" ", ","])
    ),
    st.integers(0, 6000).map(lambda n: "9" * n),
    st.builds(lambda n: "[" * n + "]" * n, st.integers(0, 2000)),
)
huge_ints = st.one_of(
    st.integers(),
    st.integers(0, 5000).map(lambda d: 10**d),
    st.integers(0, 5000).map(lambda d: -(10**d) + 1),
)


def _nested(depth, leaf, as_dict):
    value = leaf
    for _ in range(depth):
        value = {"uzbText": value} if as_dict else [value]
    return value


deep = st.builds(_nested, st.integers(0, 1200), st.one_of(st.none(), hostile_text), st.booleans())
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), huge_ints, st.floats(), hostile_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4)
    ),
    max_leaves=20,
)
cells = st.one_of(hostile_text, huge_ints, st.floats(), deep, json_values)


def _storable(value, depth=0):
    assert depth < 8, "a stored value is shallow"
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, int):
        assert -MAX_INT <= value <= MAX_INT
    elif isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _storable(key, depth + 1)
            _storable(inner, depth + 1)
    elif isinstance(value, list):
        for inner in value:
            _storable(inner, depth + 1)
    else:
        raise AssertionError(f"unexpected stored type {type(value)}")


@pytest.mark.parametrize("kind", sorted(FIELD_TYPES))
@SETTINGS
@given(raw=cells)
def test_every_cell_parser_refuses_or_returns_a_storable_value(kind, raw):
    directory = DIRECTORY if kind == "directory" else None
    parse = FIELD_TYPES[kind].parser({"directory": "regions"}, directory)
    value, problem = parse(raw)
    if problem is not None:
        assert value is None
        problem.encode("utf-8")
        assert len(problem) < 500
    else:
        _storable(value)


@SETTINGS
@given(number=st.integers(-MAX_INT, MAX_INT))
def test_numbers_within_int64_round_trip(number):
    parse = FIELD_TYPES["number"].parse
    assert parse(str(number)) == (number, None)
    assert parse(number) == (number, None)


@SETTINGS
@given(lat=st.floats(-90, 90), lon=st.floats(-180, 180), gap=spaces)
def test_locations_round_trip_whatever_the_spaces(lat, lon, gap):
    location = FIELD_TYPES["location"]
    value, problem = location.parse(location.format([lat, lon]).replace(" ", " " + gap))
    if len(gap) < 90_000:
        assert problem is None and value == [float(repr(lat)), float(repr(lon))]


FIELDS = [
    {"name": "name", "type": "text", "caption": {"uzbText": "Nomi"}},
    {"name": "count", "type": "number", "caption": {"uzbText": "Soni"}},
    {"name": "day", "type": "date", "caption": {"uzbText": "Sana"}},
    {"name": "point", "type": "location", "caption": {"uzbText": "Joy"}},
    {"name": "area", "type": "polygon", "caption": {"uzbText": "Hudud"}},
    {"name": "region", "type": "directory", "caption": {"uzbText": "Hudud"}, "directory": "r"},
]


@SETTINGS
@given(
    records=st.lists(
        st.dictionaries(
            st.one_of(st.sampled_from(["Nomi", "Soni", "count", "Joy", "area"]), hostile_text),
            cells,
            max_size=4,
        ),
        max_size=4,
    )
)
def test_push_records_are_validated_without_raising(records):
    clean, errors, stats = validate_json(FIELDS, records, {"r": DIRECTORY})
    json.dumps(errors, ensure_ascii=False, default=str).encode("utf-8")
    for row in clean:
        _storable(row)
    assert stats["rows_read"] == len(records)


@SETTINGS
@given(
    rows=st.lists(st.lists(st.one_of(hostile_text, huge_ints, st.floats()), max_size=6), max_size=4)
)
def test_spreadsheet_rows_are_validated_without_raising(rows):
    mapping = [("name", "uzbText"), ("count", None), ("day", None), ("point", None), ("area", None)]
    clean, errors, _ = validate_rows(FIELDS, mapping, rows, {"r": DIRECTORY})
    json.dumps(errors, ensure_ascii=False, default=str).encode("utf-8")
    for row in clean:
        _storable(row)


def _depth(value):
    depth, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            depth = max(depth, level)
            stack.extend(
                (inner, level + 1) for inner in (item.values() if isinstance(item, dict) else item)
            )
    return depth


@SETTINGS
@given(value=st.one_of(json_values, deep))
def test_json_body_reader_refuses_or_returns_safe_values(value):
    try:
        text = json.dumps(value)  # escapes surrogates as \\udxxx, as a client would send them
    except (RecursionError, ValueError):
        return
    for data in (text, text.encode("utf-8")):
        try:
            parsed = load_json(data)
        except BadRequest as exc:
            exc.message.encode("utf-8")
            continue
        assert _depth(parsed) <= MAX_DEPTH
        json.dumps(parsed, ensure_ascii=False, allow_nan=False).encode("utf-8")


@SETTINGS
@given(data=st.one_of(st.binary(max_size=200), st.text(any_char, max_size=200)))
def test_json_body_reader_never_raises_anything_but_bad_request(data):
    try:
        value = load_json(data)
    except BadRequest as exc:
        exc.message.encode("utf-8")
    else:
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


@SETTINGS
@given(
    filters=st.dictionaries(
        st.one_of(
            st.sampled_from(["count", "count__gte", "day__lte", "point", "name", "region"]),
            hostile_text,
        ),
        hostile_text,
        max_size=3,
    )
)
def test_row_filters_refuse_or_build_a_query(filters):
    from portal.services.discovery.browse import row_query

    try:
        query = row_query(FIELDS, filters)
    except PortalError as exc:
        exc.message.encode("utf-8", "backslashreplace")
        return
    _storable(json.loads(json.dumps(query, default=str)))


_polygon_token = st.sampled_from(
    ["[", "]", ",", " ", "\t", "\u00a0", "1", "-1.5", ".5", "1e3", "1.", "+2", "--1", "e",
     "41.3", "69.2", "1E-2", ".", "x", "1_0", "nan", "[[", "]]", ";"]
)  # fmt: skip


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_polygon_token, max_size=24).map("".join))
def test_the_fast_polygon_reader_agrees_with_the_scanner(text):
    """Polygon cells are first read with str methods; whatever that accepts is exactly what
    the character scanner reads from it, and anything else goes to the scanner."""
    from portal.core import geo

    fast = geo._split_polygon(text)
    scanned = geo._scan_polygon(text)
    if fast is not None:
        assert fast == scanned
    assert geo.scan_polygon(text) == scanned
