import datetime
import math

import pytest

from portal.core.directory import Directory
from portal.core.fields import FIELD_TYPES, OUT_OF_RANGE, field_type

NUMBER = FIELD_TYPES["number"]
DATE = FIELD_TYPES["date"]
STRING = FIELD_TYPES["string"]
TEXT = FIELD_TYPES["text"]
DIRECTORY = FIELD_TYPES["directory"]
LOCATION = FIELD_TYPES["location"]
POLYGON = FIELD_TYPES["polygon"]


def test_registry():
    assert set(FIELD_TYPES) == {
        "date",
        "number",
        "string",
        "text",
        "directory",
        "location",
        "polygon",
    }
    assert all(t.name == name for name, t in FIELD_TYPES.items())
    assert field_type("number") is NUMBER
    with pytest.raises(ValueError, match="unknown field type 'money'"):
        field_type("money")


@pytest.mark.parametrize("kind", list(FIELD_TYPES))
@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
def test_blank_is_empty_for_every_type(kind, raw):
    assert FIELD_TYPES[kind].parse(raw, {"directory": "regions"}, Directory("r", [])) == (
        None,
        None,
    )


# --- number ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1234.5", 1234.5),
        ("1234,5", 1234.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1\u2009234\u202f567", 1234567),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234,567", 1234567),
        ("1.234.567", 1234567),
        ("1,234", 1.234),  # a single comma is the decimal separator
        ("-7", -7),
        ("+7", 7),
        ("\u22127", -7),
        (" 42 ", 42),
        ("0", 0),
        ("007", 7),
        ("1234.0", 1234),
        (".5", 0.5),
        ("5.", 5),
        ("1e3", 1000),
        ("2.5E-3", 0.0025),
        ("9223372036854775807", 2**63 - 1),
        ("-9223372036854775807", -(2**63 - 1)),
        (15230, 15230),
        (7561.2, 7561.2),
        (15927.0, 15927),
        (-0.5, -0.5),
    ],
)
def test_number_accepts(raw, value):
    parsed, problem = NUMBER.parse(raw)
    assert problem is None
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "not a number: 'abc'"),
        ("12abc", "not a number: '12abc'"),
        ("NaN", "not a number: 'NaN'"),
        ("nan", "not a number: 'nan'"),
        ("inf", "not a number: 'inf'"),
        ("-Infinity", "not a number: '-Infinity'"),
        ("1_000", "not a number: '1_000'"),
        ("12 34", "not a number: '12 34'"),
        ("1 2345", "not a number: '1 2345'"),
        ("1,2,3", "not a number: '1,2,3'"),
        ("1.23,4.5", "not a number: '1.23,4.5'"),
        ("12,34.5", "not a number: '12,34.5'"),
        ("--5", "not a number: '--5'"),
        ("5%", "not a number: '5%'"),
        ("١٢", "not a number: '١٢'"),
        ("1e999", "not a number: '1e999'"),
        (float("nan"), "not a number: nan"),
        (float("inf"), "not a number: inf"),
        (True, "not a number: 'True'"),
        (datetime.date(2020, 1, 2), "not a number: '2020-01-02'"),
        ("12345678901234567890", OUT_OF_RANGE),
        (2**63, OUT_OF_RANGE),
        ("9" * 5000, "not a number: 5,000 characters (at most 400)"),
    ],
)
def test_number_rejects(raw, message):
    assert NUMBER.parse(raw) == (None, message)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1234.5, "1234.5"), (7, "7"), (15927.0, "15927"), (0.1, "0.1"), (-3, "-3"), (None, "")],
)
def test_number_format(value, text):
    assert NUMBER.format(value) == text


# --- date --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12.03.2001", "2001-03-12"),
        ("1.9.1998", "1998-09-01"),
        ("01/09/1998", "1998-09-01"),
        ("25-05-2010", "2010-05-25"),
        ("2010-05-25", "2010-05-25"),
        ("2010-5-7", "2010-05-07"),
        ("2010-05-25 00:00:00", "2010-05-25"),
        ("2010-05-25T00:00", "2010-05-25"),
        ("29.02.2024", "2024-02-29"),
        (" 12.03.2001 ", "2001-03-12"),
        (datetime.date(2001, 3, 12), "2001-03-12"),
        (datetime.datetime(2001, 3, 12, 15, 30), "2001-03-12"),
    ],
)
def test_date_accepts(raw, value):
    assert DATE.parse(raw) == (value, None)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("31.02.2020", "'31.02.2020'"),
        ("29.02.2023", "'29.02.2023'"),
        ("2020-13-01", "'2020-13-01'"),
        ("12.03.01", "'12.03.01'"),
        ("12.03/2001", "'12.03/2001'"),
        ("03/12/2001 10:00", "'03/12/2001 10:00'"),
        ("yesterday", "'yesterday'"),
        ("00.01.2020", "'00.01.2020'"),
        (43831, "'43831'"),
        (43831.0, "'43831'"),
    ],
)
def test_date_rejects(raw, shown):
    assert DATE.parse(raw) == (None, f"not a date (dd.mm.yyyy or yyyy-mm-dd): {shown}")


def test_date_format():
    assert DATE.format("2001-03-12") == "2001-03-12"
    assert DATE.format(None) == ""


# --- string ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("  Amir Temur ko'chasi, 1 ", "Amir Temur ko'chasi, 1"),
        (1700, "1700"),
        (1700.0, "1700"),
        (12.5, "12.5"),
        (True, "TRUE"),
        (datetime.date(2020, 1, 2), "2020-01-02"),
        (datetime.datetime(2020, 1, 2), "2020-01-02"),
        (datetime.datetime(2020, 1, 2, 8, 30), "2020-01-02T08:30:00"),
    ],
)
def test_string_accepts(raw, value):
    assert STRING.parse(raw) == (value, None)


def test_string_rejects_structures():
    assert STRING.parse({"a": 1}) == (None, "not text: {'a': 1}")
    assert STRING.parse([1, 2]) == (None, "not text: [1, 2]")
    assert STRING.format("x") == "x"


# --- text --------------------------------------------------------------------------------


def test_text_fills_all_four_languages():
    value, problem = TEXT.parse({"uzbText": " Hudud ", "rusText": "Регион"})
    assert problem is None
    assert value == {"uzbText": "Hudud", "uzbKrText": "", "rusText": "Регион", "engText": ""}


def test_text_accepts_language_aliases_and_numbers():
    value, _ = TEXT.parse({"uz": "Hudud", "oz": "Худуд", 3: "Регион", "en": 2010})
    assert value == {
        "uzbText": "Hudud",
        "uzbKrText": "Худуд",
        "rusText": "Регион",
        "engText": "2010",
    }


def test_text_all_empty_is_none():
    assert TEXT.parse({"uzbText": "", "rusText": "  ", "engText": None}) == (None, None)
    assert TEXT.parse({}) == (None, None)


def test_text_single_value_is_uzbek_latin():
    assert TEXT.parse("Hudud") == (
        {"uzbText": "Hudud", "uzbKrText": "", "rusText": "", "engText": ""},
        None,
    )


def test_text_rejects():
    assert TEXT.parse({"deText": "x"}) == (
        None,
        "unknown language 'deText' (use uzbText, uzbKrText, rusText, engText)",
    )
    assert TEXT.parse({"rusText": [1]}) == (None, "rusText: not text: [1]")


def test_text_format():
    value = {"uzbText": "Hudud", "uzbKrText": "Худуд", "rusText": "Регион", "engText": ""}
    assert TEXT.format(value) == "Hudud"
    assert TEXT.format(value, "rusText") == "Регион"
    assert TEXT.format(value, "engText") == ""
    assert TEXT.format(None) == ""


# --- directory ---------------------------------------------------------------------------

FIELD = {"name": "Hudud", "type": "directory", "directory": "regions"}


@pytest.mark.parametrize(
    "raw",
    [
        "1726",
        1726,
        1726.0,
        " 1726 ",
        "Toshkent shahri",
        "toshkent  SHAHRI",
        "Тошкент шаҳри",
        "город Ташкент",
        "Tashkent city",
        "TOSHKENT SHAHRI",
    ],
)
def test_directory_resolves_codes_and_names(raw, directories):
    assert DIRECTORY.parse(raw, FIELD, directories["regions"]) == ("1726", None)


def test_directory_latin_and_cyrillic_names_meet(directories):
    # a Latin name typed for a Cyrillic one still folds to the same key
    assert DIRECTORY.parse("Qoraqalpog`iston Respublikasi", FIELD, directories["regions"]) == (
        "1735",
        None,
    )
    assert DIRECTORY.parse("Андижон вилояти", FIELD, directories["regions"]) == ("1703", None)


def test_directory_unknown(directories):
    assert DIRECTORY.parse("Atlantis", FIELD, directories["regions"]) == (
        None,
        "unknown code or name in directory 'regions': 'Atlantis'",
    )
    assert DIRECTORY.parse(9999, FIELD, directories["regions"]) == (
        None,
        "unknown code or name in directory 'regions': '9999'",
    )


def test_directory_missing_lookup():
    assert DIRECTORY.parse("1726", FIELD, None) == (None, "directory 'regions' is not available")


def test_directory_ambiguous_name():
    directory = Directory(
        {
            "code": "towns",
            "items": [
                {"code": "a", "name": {"uzbText": "Yangiobod", "rusText": "Янгиабад"}},
                {"code": "b", "name": {"uzbText": "Yangiobod", "rusText": "Янгиобод"}},
            ],
        }
    )
    assert directory.lookup("Yangiobod") == (
        None,
        "ambiguous name in directory 'towns': 'Yangiobod' matches a and b",
    )
    assert directory.resolve("Янгиабад") == "a"
    assert directory.resolve("a") == "a"


def test_directory_object(directories):
    regions = directories["regions"]
    assert "1726" in regions
    assert len(regions) == 15
    assert regions.codes()[0] == "1700"
    assert regions.name("1726", "rusText") == "город Ташкент"
    assert regions.name("nope") is None
    assert DIRECTORY.format("1726") == "1726"


# --- location ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("41.31108 69.27974", [41.31108, 69.27974]),
        ("41.3, 69.2", [41.3, 69.2]),
        ("41.3,69.2", [41.3, 69.2]),
        ("  41.3   69.2 ", [41.3, 69.2]),
        ("[41.3, 69.2]", [41.3, 69.2]),
        ("-33.9 -70", [-33.9, -70.0]),
        ("90 180", [90.0, 180.0]),
        ([41.3, 69], [41.3, 69.0]),
        (("41.3", "69.2"), [41.3, 69.2]),
    ],
)
def test_location_accepts(raw, value):
    parsed, problem = LOCATION.parse(raw)
    assert problem is None
    assert parsed == value
    assert all(isinstance(x, float) for x in parsed)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("95 69.2", "latitude 95.0 is out of range [-90, 90]"),
        ("-90.5 0", "latitude -90.5 is out of range [-90, 90]"),
        ("41.3 181", "longitude 181.0 is out of range [-180, 180]"),
        ("41.3", "not a location (lat lon): '41.3'"),
        ("41,3 69,2", "not a location (lat lon): '41,3 69,2'"),
        ("Toshkent", "not a location (lat lon): 'Toshkent'"),
        ("41.3 69.2 10", "not a location (lat lon): '41.3 69.2 10'"),
        ([41.3], "not a location (lat lon): '[41.3]'"),
        ([True, 1], "not a location (lat lon): '[True, 1]'"),
        (41.3, "not a location (lat lon): '41.3'"),
    ],
)
def test_location_rejects(raw, message):
    assert LOCATION.parse(raw) == (None, message)


def test_location_format_round_trips():
    value, _ = LOCATION.parse("39.65417 66.97500")
    assert LOCATION.format(value) == "39.65417 66.975"
    assert LOCATION.parse(LOCATION.format(value)) == (value, None)
    assert LOCATION.format(None) == ""


# --- polygon -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (
            "[41.30, 69.26], [41.32, 69.26], [41.32, 69.29]",
            [[41.3, 69.26], [41.32, 69.26], [41.32, 69.29]],
        ),
        ("[41.3,69.2],[41.4,69.3]", [[41.3, 69.2], [41.4, 69.3]]),
        ("[[41.3, 69.2], [41.4, 69.3]]", [[41.3, 69.2], [41.4, 69.3]]),
        ([[41.3, 69.2], [41.4, 69.3]], [[41.3, 69.2], [41.4, 69.3]]),
    ],
)
def test_polygon_accepts(raw, value):
    assert POLYGON.parse(raw) == (value, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[41.3, 69.2]", "polygon needs at least two points"),
        ([[41.3, 69.2]], "polygon needs at least two points"),
        ("[41.3, 69.2], [95, 69.3]", "point 2: latitude 95.0 is out of range [-90, 90]"),
        ("[41.3, 69.2], [41, -200]", "point 2: longitude -200.0 is out of range [-180, 180]"),
        (
            "41.3 69.2, 41.4 69.3",
            "not a polygon ([lat, lon], [lat, lon], ...): '41.3 69.2, 41.4 69.3'",
        ),
        (
            "[41.3, 69.2], [x, 1]",
            "not a polygon ([lat, lon], [lat, lon], ...): '[41.3, 69.2], [x, 1]'",
        ),
        (
            [[41.3, 69.2], "a"],
            "not a polygon ([lat, lon], [lat, lon], ...): \"[[41.3, 69.2], 'a']\"",
        ),
        (5, "not a polygon ([lat, lon], [lat, lon], ...): '5'"),
    ],
)
def test_polygon_rejects(raw, message):
    assert POLYGON.parse(raw) == (None, message)


def test_polygon_format_round_trips():
    text = "[41.3, 69.26], [41.32, 69.26], [41.32, 69.29], [41.3, 69.29]"
    value, _ = POLYGON.parse("[41.30, 69.26], [41.32, 69.26], [41.32, 69.29], [41.30, 69.29]")
    assert POLYGON.format(value) == text
    assert POLYGON.parse(text) == (value, None)
    assert POLYGON.format(None) == ""


def test_parsers_are_bound_once():
    regions = Directory("regions", [{"code": "1726", "name": {"uzbText": "Toshkent shahri"}}])
    parse = DIRECTORY.parser(FIELD, regions)
    assert parse("toshkent shahri") == ("1726", None)
    assert NUMBER.parser()("1 234,5") == (1234.5, None)
    assert math.isclose(NUMBER.parse("0,1")[0], 0.1)


def test_number_refuses_integers_beyond_int64_even_of_thousands_of_digits():
    assert NUMBER.parse(-(10**5000)) == (None, OUT_OF_RANGE)
    assert STRING.parse(10**5000) == (None, OUT_OF_RANGE)
    assert NUMBER.parse("1" + "0" * 399) == (None, OUT_OF_RANGE)
