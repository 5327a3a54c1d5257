"""Cells an attacker or a broken export sends: long, deep, huge, invalid text (issue 7)."""

import time

import pytest

from portal.core.cells import MAX_CELL_CHARS
from portal.core.fields import FIELD_TYPES
from portal.core.validation import validate_json

LOCATION = FIELD_TYPES["location"]
POLYGON = FIELD_TYPES["polygon"]
# seconds: the cells take milliseconds; this bound only catches exponential blowup (9 pairs took
# 21.6 s with the old pattern, 10,000 would never end), with room for a loaded CI machine
BOUND = 5.0


def _timed(parse, raw):
    start = time.perf_counter()
    result = parse(raw)
    return result, time.perf_counter() - start


def test_polygon_of_pairs_ending_in_garbage_fails_fast():
    # 9 pairs and 8 spaces took 21.6 s with the backtracking pattern
    (value, problem), took = _timed(POLYGON.parse, " ".join(["[41.3, 69.2]"] * 9) + "x")
    assert value is None and problem.startswith("not a polygon")
    (value, problem), took = _timed(POLYGON.parse, "[1, 2] " * 10_000 + "x")
    assert value is None and problem.startswith("not a polygon")
    assert took < BOUND


def test_polygon_of_ten_thousand_pairs_parses():
    value, problem = POLYGON.parse("[41,69], " * 9_999 + "[41.5,69]")
    assert problem is None and len(value) == 10_000 and value[-1] == [41.5, 69.0]


@pytest.mark.parametrize("spaces", [30_000, 50_000])
def test_location_with_long_runs_of_spaces_is_linear(spaces):
    (value, problem), took = _timed(LOCATION.parse, "41.3" + " " * spaces + "x")
    assert value is None and problem.startswith("not a location")
    assert took < BOUND
    (value, problem), took = _timed(LOCATION.parse, "[" + " " * spaces + "41.3" + " " * spaces)
    assert value is None and problem
    assert took < BOUND
    assert LOCATION.parse("41.3" + " " * spaces + "69.2") == ([41.3, 69.2], None)


@pytest.mark.parametrize("kind", sorted(FIELD_TYPES))
def test_a_cell_longer_than_the_cap_is_refused_by_every_type(kind):
    raw = "7" * (MAX_CELL_CHARS + 1)
    value, problem = FIELD_TYPES[kind].parser({"directory": "d"}, None)(raw)
    assert value is None
    assert problem


def test_a_17_mb_cell_is_refused_without_echoing_it():
    fields = [{"name": "note", "type": "string", "caption": {"uzbText": "Izoh"}}]
    clean, errors, _ = validate_json(fields, [{"note": "x" * 17_000_000}], {})
    assert clean == []
    assert errors[0]["message"] == (
        f"the cell has 17,000,000 characters; at most {MAX_CELL_CHARS:,} are allowed"
    )
    assert len(errors[0]["value"]) < 300


def test_lone_surrogate_is_refused_and_the_error_can_be_encoded():
    fields = [{"name": "note", "type": "text", "caption": {"uzbText": "Izoh"}}]
    clean, errors, _ = validate_json(fields, [{"note": "ab\ud800"}, {"x\udfff": "1"}], {})
    assert clean == []
    assert "lone surrogate" in errors[0]["message"]
    for error in errors:
        for value in error.values():
            if isinstance(value, str):
                value.encode("utf-8")  # the answer must be encodable


def test_coordinates_beyond_float_range_are_refused():
    assert LOCATION.parse([10**400, 1])[0] is None
    assert POLYGON.parse([[10**400, 1], [1, 2]])[0] is None
    assert LOCATION.parse("1" * 400 + " 1")[0] is None


def test_object_whose_keys_are_not_languages_is_refused_not_blank():
    fields = [
        {"name": "note", "type": "text", "caption": {"uzbText": "Izoh"}},
        {"name": "count", "type": "number", "caption": {"uzbText": "Soni"}},
    ]
    clean, errors, _ = validate_json(fields, [{"note": {"foo": ""}}, {"count": {"bar": None}}], {})
    assert clean == []
    assert [e["row"] for e in errors] == [1, 2]
    assert "unknown language 'foo'" in errors[0]["message"]


def test_a_cell_nested_900_levels_is_refused():
    deep = []
    for _ in range(900):
        deep = [deep]
    fields = [
        {"name": "note", "type": "text", "caption": {"uzbText": "Izoh"}},
        {"name": "area", "type": "polygon", "caption": {"uzbText": "Hudud"}},
    ]
    deep_map = {}
    for _ in range(900):
        deep_map = {"uzbText": deep_map}
    clean, errors, _ = validate_json(fields, [{"note": deep_map}, {"area": deep}], {})
    assert clean == []
    assert [e["row"] for e in errors] == [1, 2]
