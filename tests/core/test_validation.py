
import pytest

from portal.core.columns import column_map, resolve_header, template_columns
from portal.core.validation import validate_json, validate_records, validate_rows, validate_table

from .test_columns import GUIDE_KEYS


def _canonical(dataset):
    """The demo rows as they must come out of validation."""
    expected = []
    for row in dataset["rows"]:
        clean = dict(row)
        if "Ochilgansana" in row:
            day, month, year = row["Ochilgansana"].split(".")
            clean["Ochilgansana"] = f"{year}-{month}-{day}"
            clean["Joylashuv"] = [float(x) for x in row["Joylashuv"].split()]
            pairs = row["Xizmathududi"].strip("[]").split("], [")
            clean["Xizmathududi"] = [[float(x) for x in pair.split(",")] for pair in pairs]
        expected.append(clean)
    return expected


def _as_file(dataset, number=lambda v: v):
    """The demo rows as a filled template: header and rows of cells."""
    columns = template_columns(dataset["fields"])
    rows = []
    for row in dataset["rows"]:
        cells = []
        for column in columns:
            value = row[column.field]
            if column.lang:
                value = value[column.lang]
            cells.append(number(value) if isinstance(value, (int, float)) else value)
        rows.append(cells)
    return [c.header for c in columns], rows


def _comma_decimal(value):
    # how a Russian-locale spreadsheet writes 12947.4: with a space and a decimal comma
    whole, _, fraction = f"{value}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return grouped + ("," + fraction if fraction and fraction != "0" else "")


@pytest.mark.parametrize("number", [lambda v: v, str, _comma_decimal])
def test_statistics_table_validates(stats_dataset, directories, number):
    header, rows = _as_file(stats_dataset, number)
    clean, errors, stats = validate_table(stats_dataset["fields"], header, rows, directories)
    assert errors == []
    assert clean == _canonical(stats_dataset)
    assert stats == {
        "rows_read": 15,
        "rows_skipped": 0,
        "rows_valid": 15,
        "rows_invalid": 0,
        "errors_total": 0,
        "truncated": False,
    }


def test_library_table_validates(library_dataset, directories):
    header, rows = _as_file(library_dataset)
    clean, errors, _ = validate_table(library_dataset["fields"], header, rows, directories)
    assert errors == []
    assert clean == _canonical(library_dataset)
    assert clean[0]["Ochilgansana"] == "2001-03-12"
    assert clean[0]["Joylashuv"] == [41.31108, 69.27974]


def test_region_names_resolve_to_codes(library_dataset, directories):
    header, rows = _as_file(library_dataset)
    rows[0][4] = "Тошкент шаҳри"
    rows[1][4] = "samarqand viloyati"
    clean, errors, _ = validate_table(library_dataset["fields"], header, rows, directories)
    assert errors == []
    assert [row["Hudud"] for row in clean] == ["1726", "1718", "1735"]


def test_errors_name_row_column_value(library_dataset, directories):
    header, rows = _as_file(library_dataset)
    header[7] = "kitoblar soni"  # retyped: errors show the header as the file has it
    rows[0][6] = "31.02.2020"
    rows[0][7] = "abc"
    rows[2][4] = "Atlantis"
    rows[2][8] = "95 69.2"
    clean, errors, stats = validate_table(library_dataset["fields"], header, rows, directories)
    assert errors == [
        {
            "row": 2,
            "column": "Ochilgan sana",
            "value": "31.02.2020",
            "message": "not a date (dd.mm.yyyy or yyyy-mm-dd): '31.02.2020'",
        },
        {"row": 2, "column": "kitoblar soni", "value": "abc", "message": "not a number: 'abc'"},
        {
            "row": 4,
            "column": "Hudud",
            "value": "Atlantis",
            "message": "unknown code or name in directory 'regions': 'Atlantis'",
        },
        {
            "row": 4,
            "column": "Joylashuv",
            "value": "95 69.2",
            "message": "latitude 95.0 is out of range [-90, 90]",
        },
    ]
    assert [row["Manzil"] for row in clean] == ["Samarqand sh., Registon ko'chasi, 5"]
    assert stats["rows_invalid"] == 2
    assert stats["errors_total"] == 4


def test_header_error_stops_validation(stats_dataset, directories):
    clean, errors, stats = validate_table(
        stats_dataset["fields"], ["Hudud", "Foo"], [["x", "y"]], directories
    )
    assert clean == []
    assert len(errors) == 1
    assert errors[0]["row"] == 1
    assert errors[0]["message"].startswith("header does not match the structure: missing columns")
    assert stats["errors_total"] == 1


def test_empty_rows_are_skipped_and_numbers_kept(stats_dataset, directories):
    fields = stats_dataset["fields"]
    header, rows = _as_file(stats_dataset)
    blank = [None, "", "  "] + [None] * (len(header) - 3)
    bad = list(rows[1])
    bad[8] = "x"
    data = [rows[0], blank, [], bad]
    clean, errors, stats = validate_table(fields, header, data, directories)
    assert [e["row"] for e in errors] == [5]
    assert len(clean) == 1
    assert stats["rows_read"] == 4
    assert stats["rows_skipped"] == 2


def test_numbered_rows_and_partial_text(stats_dataset, directories):
    fields = stats_dataset["fields"]
    header = ["Hudud (uz)", "Region (en)", "Unit (en)", *[f"{y}Y" for y in range(2010, 2024)]]
    mapping, error = resolve_header(fields, header)
    assert error is None
    rows = [(7, ["Toshkent", None, "", "1"]), (12, [None, None, None, "abc"])]
    clean, errors, _ = validate_rows(fields, mapping, rows, directories)
    assert clean == [
        {
            "Hudud": {"uzbText": "Toshkent", "uzbKrText": "", "rusText": "", "engText": ""},
            "Olchovbirligi": None,
            "2010Y": 1,
            **{f"{y}Y": None for y in range(2011, 2024)},
        }
    ]
    assert errors == [
        {"row": 12, "column": "2010Y", "value": "abc", "message": "not a number: 'abc'"}
    ]


def test_plain_rows_are_numbered_from_first_row(stats_dataset, directories):
    fields = stats_dataset["fields"]
    mapping, _ = resolve_header(fields, [c.header for c in template_columns(fields)])
    rows = [["a"] + [None] * 7 + ["bad"]] * 3
    _, errors, _ = validate_rows(fields, mapping, rows, directories, first_row=5)
    assert [e["row"] for e in errors] == [5, 6, 7]
    assert errors[0]["column"] == "2010Y"


def test_error_cap_counts_everything(stats_dataset, directories):
    fields = stats_dataset["fields"]
    header = [c.header for c in template_columns(fields)]
    rows = [["Toshkent"] + [None] * 7 + ["x"] * 14 for _ in range(100)]
    clean, errors, stats = validate_table(fields, header, rows, directories, max_errors=25)
    assert clean == []
    assert len(errors) == 25
    assert errors[-1]["row"] == 3
    assert stats["errors_total"] == 1400
    assert stats["truncated"] is True
    assert stats["rows_invalid"] == 100


def test_excel_cells(library_dataset, directories):
    import datetime

    header, rows = _as_file(library_dataset)
    rows[0][4] = 1726.0
    rows[0][5] = 12.0  # a number typed in a string column
    rows[0][6] = datetime.datetime(2001, 3, 12)
    rows[0][7] = 15230.0
    clean, errors, _ = validate_table(library_dataset["fields"], header, rows, directories)
    assert errors == []
    assert clean[0]["Hudud"] == "1726"
    assert clean[0]["Manzil"] == "12"
    assert clean[0]["Ochilgansana"] == "2001-03-12"
    assert clean[0]["Kitoblarsoni"] == 15230
    assert type(clean[0]["Kitoblarsoni"]) is int


def test_column_map_survives_a_retyped_header(stats_dataset, directories):
    fields = stats_dataset["fields"]
    header, rows = _as_file(stats_dataset)
    header[8] = "Yil 2010"
    clean, errors, _ = validate_table(
        fields, header, rows, directories, column_map=column_map(template_columns(fields))
    )
    assert errors == []
    assert clean[0]["2010Y"] == 7561.2


# --- JSON records -------------------------------------------------------------------------


def _guide_record(row):
    values = [
        *(row["Hudud"][lang] for lang in ("uzbText", "uzbKrText", "rusText", "engText")),
        *(row["Olchovbirligi"][lang] for lang in ("uzbText", "uzbKrText", "rusText", "engText")),
        *(row[f"{y}Y"] for y in range(2010, 2024)),
    ]
    return dict(zip(GUIDE_KEYS, values, strict=True))


def test_guide_payload_validates(stats_dataset, directories):
    records = [_guide_record(row) for row in stats_dataset["rows"]]
    clean, errors, stats = validate_json(stats_dataset["fields"], records, directories)
    assert errors == []
    assert clean == _canonical(stats_dataset)
    assert stats["rows_valid"] == 15


def test_guide_template_payload_is_one_empty_record(stats_dataset, directories):
    record = dict.fromkeys(GUIDE_KEYS, "")
    clean, errors, stats = validate_json(stats_dataset["fields"], [record], directories)
    assert (clean, errors) == ([], [])
    assert stats["rows_skipped"] == 1


@pytest.mark.parametrize("index", [0, 1])
def test_demo_rows_validate_as_records(demo, directories, index):
    dataset = demo["datasets"][index]
    clean, errors, _ = validate_json(dataset["fields"], dataset["rows"], directories)
    assert errors == []
    assert clean == _canonical(dataset)


def test_record_errors(library_dataset, directories):
    fields = library_dataset["fields"]
    records = [
        {"Nomi": {"uzbText": "A"}, "Kitoblar soni": "1 200", "Manzil": "x"},
        {"Nomi": "B", "Kitoblarsoni": "many"},
        "not an object",
        {"Nomi": "C", "Izoh": "?"},
        {"Nomi": {"uzbText": "D"}, "Nomi (uz)": "D2"},
    ]
    clean, errors, stats = validate_json(fields, records, directories)
    assert clean[0]["Kitoblarsoni"] == 1200
    assert clean[0]["Nomi"] == {"uzbText": "A", "uzbKrText": "", "rusText": "", "engText": ""}
    assert errors == [
        {"row": 2, "column": "Kitoblarsoni", "value": "many", "message": "not a number: 'many'"},
        {
            "row": 3,
            "column": None,
            "value": "not an object",
            "message": "a record must be an object of key: value",
        },
        {"row": 4, "column": "Izoh", "value": "?", "message": "unknown key 'Izoh'"},
        {
            "row": 5,
            "column": "Nomi (uz)",
            "value": "D2",
            "message": "duplicate key 'Nomi (uz)': same column as 'Nomi'",
        },
    ]
    assert stats["rows_valid"] == 1
    assert stats["rows_invalid"] == 4


def test_ambiguous_key_fails_its_rows():
    caption = lambda text: dict.fromkeys(["uzbText", "uzbKrText", "rusText", "engText"], text)  # noqa: E731
    fields = [
        {"name": "a", "type": "number", "caption": caption("Soni")},
        {"name": "b", "type": "number", "caption": caption("Сони")},
    ]
    _, errors, _ = validate_json(fields, [{"sоni": 1}], {})
    assert errors[0]["message"] == "ambiguous key 'sоni': matches Soni and Сони"


def test_validate_records_with_a_given_mapping(stats_dataset, directories):
    mapping = {"Region": ("Hudud", "engText"), "2010Y": ("2010Y", None)}
    clean, errors, _ = validate_records(
        stats_dataset["fields"], mapping, [{"Region": "Tashkent", "2010Y": "1,5"}], directories
    )
    assert errors == []
    assert clean[0]["Hudud"]["engText"] == "Tashkent"
    assert clean[0]["2010Y"] == 1.5


def test_validation_of_many_rows(stats_dataset, directories):
    # Speed is measured by bench/ingest.py, not here: this checks a large table comes out whole.
    fields = stats_dataset["fields"]
    header, rows = _as_file(stats_dataset, _comma_decimal)
    many = [rows[i % len(rows)] for i in range(20_000)]
    clean, errors, stats = validate_table(fields, header, many, directories)
    assert len(clean) == 20_000 and not errors
    assert stats["rows_read"] == 20_000
    assert clean[len(rows)] == clean[0]
