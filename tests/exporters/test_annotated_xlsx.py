"""The uploaded workbook with its bad cells filled and commented."""

import io

from openpyxl import load_workbook

from exporters.annotated_xlsx import annotated
from tests.helpers import csv_bytes, xlsx_bytes

ERRORS = [
    {"row": 3, "column": "2010Y", "value": "abc", "message": "not a number: 'abc'"},
    {"row": 4, "column": "Hudud", "value": "", "message": "a value is required"},
    {"row": 3, "column": "2010Y", "value": "abc", "message": "second problem"},
]


def _sheet(data):
    return load_workbook(io.BytesIO(data)).active


def test_each_bad_cell_is_filled_and_carries_its_message():
    upload = xlsx_bytes(["Hudud", "2010Y"], [["Toshkent", 1], ["Samarqand", "abc"], ["", 5]])
    sheet = _sheet(annotated(upload, "data.xlsx", ERRORS))
    bad = sheet["B3"]
    assert bad.value == "abc"
    assert bad.fill.fill_type == "solid" and bad.fill.start_color.rgb == "FFF4B6B6"
    assert bad.comment.text == "not a number: 'abc'\nsecond problem"
    assert sheet["A4"].comment.text == "a value is required"
    good = sheet["A2"]
    assert good.value == "Toshkent" and good.comment is None and good.fill.fill_type is None
    assert [c.value for c in sheet[1]] == ["Hudud", "2010Y"]


def test_a_csv_upload_becomes_a_marked_workbook():
    upload = csv_bytes(["Hudud", "2010Y"], [["Toshkent", "1"], ["Samarqand", "abc"]], sep=";")
    sheet = _sheet(annotated(upload, "data.csv", ERRORS[:1]))
    assert sheet["A3"].value == "Samarqand" and sheet["B3"].comment.text.startswith("not a number")


def test_a_header_problem_is_marked_on_the_header_row():
    upload = xlsx_bytes(["Hudud", "Extra"], [["Toshkent", 1]])
    error = {"row": None, "column": "Extra", "message": "unknown column 'Extra'"}
    sheet = _sheet(annotated(upload, "data.xlsx", [error]))
    assert sheet["B1"].comment.text == "unknown column 'Extra'"
    whole = {"row": 1, "column": None, "message": "the header does not match"}
    sheet = _sheet(annotated(upload, "data.xlsx", [whole]))
    assert sheet["A1"].comment.text == "the header does not match"
