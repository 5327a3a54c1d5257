"""CSV, JSON and XML exports parse back with standard parsers."""

import csv
import io

import orjson
import pytest
from lxml import etree

import exporters
from exporters._common import local_name, local_names
from portal.core.fields import FIELD_TYPES

from .sample import FIELDS, META, ROWS, render

ALL_LANG_COLUMNS = [
    "Hudud_uz",
    "Hudud_oz",
    "Hudud_ru",
    "Hudud_en",
    "Manzil",
    "Viloyat",
    "Sana",
    "2010Y",
    "Joylashuv",
    "Hudud chegarasi",
]


def read_csv(data):
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_all_languages():
    data = render("csv")
    table = read_csv(data)
    assert table[0] == ALL_LANG_COLUMNS
    assert len(table) == 1 + len(ROWS)
    assert data.count(b"\r\n") >= len(ROWS) + 1
    first = dict(zip(table[0], table[1], strict=True))
    assert first["Hudud_oz"] == "Тошкент"
    assert first["Manzil"] == "'" + ROWS[0]["Manzil"]
    assert first["2010Y"] == "-7"  # a real number is not neutralized
    assert first["Sana"] == "2001-03-12"
    assert first["Joylashuv"] == "41.31108 69.27974"
    square = "[41.3, 69.26], [41.32, 69.26], [41.32, 69.29], [41.3, 69.29]"
    assert first["Hudud chegarasi"] == square


def test_csv_cells_and_neutralizing():
    table = read_csv(render("csv"))
    rows = [dict(zip(table[0], r, strict=True)) for r in table[1:]]
    assert rows[1]["Manzil"] == 'Registon "ko\'chasi" <5> & 6'
    assert rows[1]["Viloyat"] == rows[1]["Sana"] == rows[1]["Joylashuv"] == ""
    assert rows[1]["Hudud_ru"] == ""
    assert rows[1]["2010Y"] == "1234.5"
    assert rows[2]["Hudud_uz"] == "" and rows[2]["2010Y"] == ""
    assert rows[2]["Manzil"] == "'+998 71 203-80-29"
    assert rows[2]["Viloyat"] == "'@1703"
    assert rows[2]["Joylashuv"] == "'-33.9249 18.4241"
    assert rows[3]["Hudud_uz"] == "'-minus"
    assert rows[3]["Hudud_oz"] == "'\tтаб"
    assert rows[3]["Hudud_ru"] == "строка\nвторая"
    assert rows[3]["Manzil"] == "Qatorlar\r\nikki"
    assert rows[3]["2010Y"] == "0"
    assert "hidden" not in table[0]


def test_csv_one_language():
    table = read_csv(render("csv", lang="rusText"))
    assert table[0][0] == "Hudud" and "Hudud_ru" not in table[0]
    assert [r[0] for r in table[1:]] == ["Ташкент", "", "", "строка\nвторая"]
    assert read_csv(render("csv", lang="ru")) == table  # short names and numbers work too
    assert read_csv(render("csv", lang=3)) == table


def test_json_all_languages():
    data = orjson.loads(render("json"))
    assert len(data) == len(ROWS)
    first = data[0]
    assert list(first) == [f["name"] for f in FIELDS]
    assert first["Hudud"] == ROWS[0]["Hudud"]
    assert first["2010Y"] == -7 and data[1]["2010Y"] == 1234.5
    assert first["Manzil"] == ROWS[0]["Manzil"]  # JSON is data, not a spreadsheet
    assert first["Sana"] == "2001-03-12"
    assert first["Joylashuv"] == "41.31108 69.27974"
    assert data[3]["Joylashuv"] == "40 71.5"
    assert data[1]["Hudud chegarasi"] == "[39.64, 66.95], [39.67, 66.99]"
    assert data[1]["Joylashuv"] is None and data[2]["Hudud"] is None
    assert "hidden" not in data[3]


def test_json_one_language():
    data = orjson.loads(render("json", lang="uzbKrText"))
    assert [r["Hudud"] for r in data] == ["Тошкент", "Самарқанд", None, "\tтаб"]


def test_json_empty_and_many_batches():
    assert orjson.loads(render("json", rows=[])) == []
    rows = [dict(ROWS[0], **{"2010Y": i}) for i in range(3000)]
    data = orjson.loads(render("json", rows=rows))
    assert [r["2010Y"] for r in data] == list(range(3000))


def test_text_forms_match_core_formatters():
    table = read_csv(render("csv"))
    for row, line in zip(ROWS, table[1:], strict=True):
        cells = dict(zip(table[0], line, strict=True))
        for kind, name in (("location", "Joylashuv"), ("polygon", "Hudud chegarasi")):
            expected = FIELD_TYPES[kind].format(row[name])
            assert cells[name].lstrip("'") == expected


def test_xml_well_formed_all_languages():
    data = render("xml")
    root = etree.fromstring(data)
    assert root.tag == "dataset"
    assert root.get("code") == META["code"] and root.get("version") == "3"
    rows = root.findall("row")
    assert len(rows) == len(ROWS)
    first = rows[0]
    assert first.findtext("Hudud_oz") == "Тошкент"
    assert first.findtext("_2010Y") == "-7"
    assert first.findtext("Hudud_chegarasi").startswith("[41.3, 69.26]")
    assert rows[1].findtext("Manzil") == 'Registon "ko\'chasi" <5> & 6'
    assert rows[1].find("Viloyat") is None  # an empty cell writes no element
    assert rows[3].findtext("Hudud_en") == "ctlchar"  # XML 1.0 cannot carry \x01
    assert rows[3].findtext("Hudud_ru") == "строка\nвторая"
    assert rows[3].findtext("Manzil") == "Qatorlar\r\nikki"


def test_xml_one_language():
    root = etree.fromstring(render("xml", lang="en"))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert [r.findtext("Hudud") for r in root.findall("row")] == [
        "Tashkent",
        "Samarkand",
        None,
        "ctlchar",
    ]


def test_xml_many_rows_streams_in_chunks():
    rows = [dict(ROWS[0], **{"2010Y": i}) for i in range(2000)]
    chunks = list(exporters.render("xml", META, FIELDS, iter(rows)))
    assert len(chunks) > 1
    root = etree.fromstring(b"".join(chunks))
    assert len(root) == 2000


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hudud", "Hudud"),
        ("2010Y", "_2010Y"),
        ("Hudud chegarasi", "Hudud_chegarasi"),
        ("xmlData", "_xmlData"),
        ("Row", "_Row"),
        ("a.b:c", "a_b_c"),
        ("Ҳудуд", "Ҳудуд"),
        ("-x", "_-x"),
        ("", "_"),
    ],
)
def test_local_name_rule(name, expected):
    assert local_name(name) == expected
    etree.fromstring(f"<{expected}/>")  # a valid XML element name


def test_local_names_are_unique():
    assert local_names(["a b", "a_b", "a b"]) == ["a_b", "a_b_2", "a_b_3"]
