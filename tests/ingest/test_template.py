"""The Excel template: built per structure, read back by portal.ingest, filled and re-read."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from exporters.template import build_template
from portal.core.columns import template_columns
from portal.core.directory import build_directories
from portal.core.fields import FIELD_TYPES
from portal.core.validation import validate_table

from .builders import READERS, read_all

DATASETS = [0, 1]  # the statistics table (text and numbers), the libraries (every other type)


@pytest.fixture(params=list(READERS))
def reader(request):
    return READERS[request.param]


def canonical_rows(dataset):
    """The dataset's demo rows in the canonical form of values.md."""
    out = []
    for row in dataset["rows"]:
        clean = {}
        for field in dataset["fields"]:
            value = row.get(field["name"])
            if field["type"] != "directory":
                value, problem = FIELD_TYPES[field["type"]].parse(value)
                assert problem is None
            clean[field["name"]] = value
        out.append(clean)
    return out


def text_form(value):
    """A cell read back, as the text form of values.md."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return FIELD_TYPES["number"].format(value)
    return value


def sheet_validations(data):
    """{column letter: data validation} of the Data sheet, read by openpyxl."""
    sheet = load_workbook(io.BytesIO(data))["Data"]
    out = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in rule.sqref.ranges:
            out[get_column_letter(cell_range.min_col)] = (rule, cell_range)
    return out


@pytest.mark.parametrize("which", DATASETS)
def test_template_reads_back(demo, which, reader):
    fields = demo["datasets"][which]["fields"]
    columns = template_columns(fields)
    data = build_template(fields, demo["directories"], title="Namuna")
    table, rows = read_all(data, reader, filename="template.xlsx")
    assert table.header == [c.header for c in columns]
    assert table.column_map == [(c.field, c.lang) for c in columns]
    assert rows == []


def test_text_fields_get_a_column_per_language(demo):
    data = build_template(demo["datasets"][0]["fields"], demo["directories"])
    table, _ = read_all(data)
    assert table.header[:4] == ["Hudud (uz)", "Худуд (oz)", "Регион (ru)", "Region (en)"]
    assert table.column_map[:4] == [
        ("Hudud", "uzbText"),
        ("Hudud", "uzbKrText"),
        ("Hudud", "rusText"),
        ("Hudud", "engText"),
    ]


def test_sheets_header_and_layout(demo):
    data = build_template(demo["datasets"][1]["fields"], demo["directories"], title="Namuna")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Data", "_columns", "_lists"]
    assert book["Data"].sheet_state == "visible"
    assert book["_columns"].sheet_state == "veryHidden"
    assert book["_lists"].sheet_state == "hidden"
    assert book.properties.title == "Namuna"
    sheet = book["Data"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, 11)]
    assert all(8 <= w <= 61 for w in widths)
    map_rows = list(book["_columns"].iter_rows(values_only=True))
    assert map_rows[0][:2] == ("ochiq_columns", 1)
    assert map_rows[5] == (5, "Hudud", "Hudud", None)  # after the four Nomi columns


def test_data_validations(demo):
    fields = demo["datasets"][1]["fields"]
    data = build_template(fields, demo["directories"])
    rules = sheet_validations(data)
    # A-D: Nomi (text), E: Hudud (directory), F: Manzil (string), G: Ochilgansana (date),
    # H: Kitoblarsoni (number), I: Joylashuv (location), J: Xizmathududi (polygon)
    assert set(rules) == {"E", "G", "H", "I", "J"}
    for rule, cells in rules.values():
        assert (cells.min_row, cells.max_row) == (2, 1001)
        assert rule.showInputMessage
    directory = rules["E"][0]
    assert directory.type == "list"
    assert directory.formula1 == "'_lists'!$A$2:$A$31"
    assert rules["G"][0].type == "date"
    assert "dd.mm.yyyy" in rules["G"][0].prompt
    assert rules["H"][0].type == "decimal"
    assert "41.31108 69.27974" in rules["I"][0].prompt
    assert "[41.30, 69.26], [41.32, 69.26], ..." in rules["J"][0].prompt

    lists = load_workbook(io.BytesIO(data))["_lists"]
    choices = [lists.cell(row=r, column=1).value for r in range(2, 32)]
    regions = demo["directories"]["regions"]
    assert choices == [r["name"]["uzbText"] for r in regions] + [r["code"] for r in regions]


def test_validation_range_grows_with_the_rows(demo):
    dataset = demo["datasets"][0]
    data = build_template(dataset["fields"], demo["directories"], canonical_rows(dataset))
    rule, cells = sheet_validations(data)["I"]
    assert rule.type == "decimal"
    assert (cells.min_row, cells.max_row) == (2, len(dataset["rows"]) + 1001)


@pytest.mark.parametrize("which", DATASETS)
def test_filled_template_round_trip(demo, which, reader):
    dataset = demo["datasets"][which]
    fields = dataset["fields"]
    rows = canonical_rows(dataset)
    data = build_template(fields, demo["directories"], rows)
    table, read = read_all(data, reader)
    columns = template_columns(fields)
    by_name = {f["name"]: f for f in fields}
    assert [n for n, _ in read] == list(range(2, len(rows) + 2))
    for row, (_, cells) in zip(rows, read, strict=True):
        expected = []
        for column in columns:
            value = row[column.field]
            if column.lang:
                expected.append(value[column.lang])
            else:
                expected.append(FIELD_TYPES[by_name[column.field]["type"]].format(value))
        assert [text_form(c) for c in cells] == expected

    clean, errors, _ = validate_table(
        fields, table.header, iter(read), build_directories(demo["directories"]), table.column_map
    )
    assert errors == []
    assert clean == rows


def test_cells_keep_their_types(demo):
    dataset = demo["datasets"][1]
    data = build_template(dataset["fields"], demo["directories"], canonical_rows(dataset))
    sheet = load_workbook(io.BytesIO(data))["Data"]
    opened = sheet["G2"]
    assert opened.value == dt.datetime(2001, 3, 12)
    assert opened.number_format == "dd.mm.yyyy"
    assert sheet["H2"].value == 15230
    assert sheet["E2"].value == "1726"
    assert sheet["E2"].data_type == "s"


def test_strings_never_become_formulas():
    fields = [
        {"name": "Izoh", "type": "string", "caption": {"uzbText": "Izoh"}},
        {"name": "Nomi", "type": "text", "caption": {"uzbText": "Nomi"}},
    ]
    rows = [
        {"Izoh": '=HYPERLINK("http://x")', "Nomi": {"uzbText": "+998 71", "rusText": "-1"}},
        {"Izoh": "@SUM(A1)", "Nomi": "faqat o'zbekcha"},
    ]
    data = build_template(fields, {}, rows)
    sheet = load_workbook(io.BytesIO(data))["Data"]
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert all(
        cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value
    )
    _, read = read_all(data)
    assert read == [
        (2, ['=HYPERLINK("http://x")', "+998 71", None, "-1", None]),
        (3, ["@SUM(A1)", "faqat o'zbekcha", None, None, None]),
    ]


def test_old_dates_stay_text_and_blanks_stay_blank():
    fields = [
        {"name": "Sana", "type": "date", "caption": {"uzbText": "Sana"}},
        {"name": "Soni", "type": "number", "caption": {"uzbText": "Soni"}},
    ]
    rows = [{"Sana": "1850-06-01", "Soni": None}, {"Sana": None, "Soni": 0}]
    _, read = read_all(build_template(fields, {}, rows))
    assert read == [(2, ["1850-06-01", None]), (3, [None, 0])]


def test_written_to_a_file_object(demo):
    out = io.BytesIO()
    assert build_template(demo["datasets"][0]["fields"], demo["directories"], out=out) is None
    table, _ = read_all(out.getvalue())
    assert table.header[0] == "Hudud (uz)"


def test_a_directory_without_items_gets_no_list():
    fields = [{"name": "Hudud", "type": "directory", "directory": "regions", "caption": {}}]
    assert sheet_validations(build_template(fields, {})) == {}


def test_directories_as_lookups_and_rows_as_a_generator(demo):
    """The shapes the service passes: [{"code", "items"}] and rows streamed from the store."""
    dataset = demo["datasets"][1]
    lookups = [{"code": code, "items": items} for code, items in demo["directories"].items()]
    rows = canonical_rows(dataset) * 100
    data = build_template(dataset["fields"], lookups, (row for row in rows))
    rule, cells = sheet_validations(data)["E"]
    assert rule.formula1 == "'_lists'!$A$2:$A$31"
    assert cells.max_row == len(rows) + 1001
    _, read = read_all(data)
    assert len(read) == len(rows)
    assert read[-1][1][4] == rows[-1]["Hudud"]


def _edited(data, edit):
    book = load_workbook(io.BytesIO(data))
    edit(book)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_column_map_follows_column_numbers(demo, reader):
    dataset = demo["datasets"][1]
    rows = canonical_rows(dataset)
    data = build_template(dataset["fields"], demo["directories"], rows)

    def retype_and_add(book):
        sheet = book["Data"]
        sheet["E1"] = "Regionz"  # a retyped caption: the map still says which field it is
        sheet["K1"] = "Izoh"  # a column the map does not know

    table, read = read_all(_edited(data, retype_and_add), reader)
    expected = [(c.field, c.lang) for c in template_columns(dataset["fields"])]
    assert table.column_map == [*expected, ("", None)]
    _, errors, _ = validate_table(
        dataset["fields"],
        table.header[:10],
        iter(read),
        build_directories(demo["directories"]),
        table.column_map[:10],
    )
    assert errors == []


@pytest.mark.parametrize(
    "edit",
    [
        lambda book: book["_columns"].cell(row=1, column=2, value=2),
        lambda book: book["_columns"].cell(row=1, column=1, value="something else"),
        lambda book: book.remove(book["_columns"]),
    ],
    ids=["version", "mark", "removed"],
)
def test_unknown_map_is_ignored(demo, edit, reader):
    data = build_template(demo["datasets"][0]["fields"], demo["directories"])
    table, _ = read_all(_edited(data, edit), reader)
    assert table.column_map is None
