"""Reading xlsx uploads, through calamine (child process) and openpyxl (streaming) alike."""

import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter

from portal.core.errors import BadRequest, TooLarge
from portal.ingest import read_table

from .builders import READERS, read_all, xlsx_bytes, zip_bytes


@pytest.fixture(params=list(READERS))
def reader(request):
    return READERS[request.param]


def test_header_and_row_numbers(reader):
    data = xlsx_bytes(
        [
            ["Hudud", "2010Y", None, None],
            ["Toshkent", 12.5],
            [],
            [None, None],
            ["Samarqand", 7],
            [],
        ]
    )
    table, rows = read_all(data, reader)
    assert table.format == "xlsx"
    assert table.header == ["Hudud", "2010Y"]
    assert table.column_map is None
    # blank rows inside the data stay (as all None) so that row numbers stay true
    assert rows == [
        (2, ["Toshkent", 12.5]),
        (3, [None, None]),
        (4, [None, None]),
        (5, ["Samarqand", 7]),
    ]


def test_cell_types(reader):
    data = xlsx_bytes(
        [
            ["date", "stamp", "int", "integral float", "float", "text", "flag"],
            [dt.datetime(2001, 3, 12), dt.datetime(2001, 3, 12, 10, 5), 15230, 15230.0, 2.5],
            [None, None, -7, 1e20, 0.1, "  spaced ", True],
        ],
        formats={(2, 1): "DD.MM.YYYY", (2, 2): "yyyy-mm-dd hh:mm"},
    )
    _, rows = read_all(data, reader)
    first, second = rows[0][1], rows[1][1]
    assert first[:2] == [dt.date(2001, 3, 12), dt.datetime(2001, 3, 12, 10, 5)]
    assert type(first[0]) is dt.date
    assert first[2:5] == [15230, 15230, 2.5]
    assert [type(v) for v in first[2:5]] == [int, int, float]
    assert first[5:] == [None, None]
    assert second == [None, None, -7, 1e20, 0.1, "  spaced ", True]


def test_first_visible_sheet_is_read(reader):
    data = xlsx_bytes([["a"], [1]], before=["notes"])
    table, rows = read_all(data, reader)
    assert table.header == ["a"]
    assert rows == [(2, [1])]


def test_columns_keep_their_place_when_column_a_is_empty(reader):
    data = xlsx_bytes([[None, None, "Hudud"], [None, None, "x"]])
    table, rows = read_all(data, reader)
    assert table.header == ["", "", "Hudud"]
    assert rows == [(2, [None, None, "x"])]


def test_values_past_the_last_header_are_kept(reader):
    data = xlsx_bytes([["a", "b", None], [1, 2, 3], [1, None, None, None]])
    table, rows = read_all(data, reader)
    assert table.header == ["a", "b"]
    assert rows == [(2, [1, 2, 3]), (3, [1, None])]


def test_header_cells_become_text(reader):
    data = xlsx_bytes([[" Hudud ", 2010, 2011.0, dt.datetime(2020, 1, 1)], [1]])
    table, _ = read_all(data, reader)
    assert table.header == ["Hudud", "2010", "2011", "2020-01-01"]


def test_too_many_rows(reader):
    data = xlsx_bytes([["a"]] + [[i] for i in range(6)])
    with pytest.raises(TooLarge, match="more than 5 data rows"):
        read_all(data, reader, max_rows=5)
    _, rows = read_all(data, reader, max_rows=6)
    assert rows[-1] == (7, [5])


def test_blank_rows_after_the_limit_are_fine(reader):
    data = xlsx_bytes([["a"], [1], [2]] + [[None]] * 5, formats={(9, 1): "0.00"})
    _, rows = read_all(data, reader, max_rows=2)
    assert [n for n, _ in rows] == [2, 3]


def test_too_many_columns(reader):
    with pytest.raises(TooLarge, match="at most 3"):
        read_all(xlsx_bytes([["a", "b", "c", "d"]]), reader, max_cols=3)
    with pytest.raises(TooLarge, match="row 3"):
        read_all(xlsx_bytes([["a"], [1], [1, 2, 3, 4]]), reader, max_cols=3)


def test_empty_sheet(reader):
    with pytest.raises(BadRequest, match="no data"):
        read_all(xlsx_bytes([]), reader)


def test_format_comes_from_content_not_name():
    table, _ = read_all(xlsx_bytes([["a"], [1]]), filename="data.csv")
    assert table.format == "xlsx"


def test_a_far_away_cell_cannot_exhaust_memory():
    # 5 KB of xlsx that asks calamine for a 1,048,576 x 16,384 grid of cells
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write(0, 0, "a")
    sheet.write(1_048_575, 16_383, "z")
    book.close()
    with pytest.raises(TooLarge, match="memory"):
        read_table(io.BytesIO(buf.getvalue()), "bomb.xlsx", max_bytes=1 << 20, max_rows=10**6)


def test_zip_bomb_is_rejected_before_parsing(reader):
    bomb = zip_bytes(
        {
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b" " * (30 << 20),  # deflates to about 30 KB
        }
    )
    assert len(bomb) < 100_000
    with pytest.raises(TooLarge, match="unpacks to 30.0 MB"):
        read_all(bomb, reader, max_bytes=1 << 20)


def test_too_many_zip_entries(reader):
    entries = {f"xl/media/{i}.bin": b"" for i in range(1001)}
    data = zip_bytes({"xl/workbook.xml": b"<workbook/>", **entries})
    with pytest.raises(BadRequest, match="parts"):
        read_all(data, reader)


def test_xml_entities_are_not_expanded(reader):
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["a"], ["x"]])))
    laughs = '<!DOCTYPE worksheet [<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    sheet_name = "xl/worksheets/sheet1.xml"
    sheet = source.read(sheet_name).decode().replace("<t>x</t>", "<t>&l9;</t>")
    entries = {n: source.read(n) for n in source.namelist()}
    entries[sheet_name] = (laughs + "]>" + sheet).encode()
    with pytest.raises(BadRequest, match="cannot be read"):
        read_all(zip_bytes(entries), reader)


def test_damaged_workbook(reader):
    data = zip_bytes({"xl/workbook.xml": b"<workbook", "[Content_Types].xml": b"<"})
    with pytest.raises(BadRequest, match="cannot be read") as refused:
        read_all(data, reader)
    # The answer says what to do; the reader's internals (paths, parser words) stay in the log.
    assert "save it again" in str(refused.value)
    assert "xml" not in str(refused.value).lower().replace(".xlsx", "")


def test_too_large_upload():
    data = xlsx_bytes([["a"], [1]])
    with pytest.raises(TooLarge, match="larger than"):
        read_all(data, max_bytes=len(data) - 1)
    table, _ = read_all(data, max_bytes=len(data))
    assert table.header == ["a"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, r"\.xls"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "not a spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
        (b"PK\x03\x04 not really a zip", "damaged"),
        (b"", "empty"),
        (b" \r\n", "empty"),
        ("a,b\r\n1,2\r\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_not_a_spreadsheet(data, message):
    with pytest.raises(BadRequest, match=message):
        read_all(data, filename="upload.xlsx")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "OpenDocument"),
        ({"xl/workbook.bin": b"\0"}, "xlsb"),
        ({"word/document.xml": b"<w/>"}, "zip archive"),
    ],
)
def test_other_zip_files(entries, message):
    with pytest.raises(BadRequest, match=message):
        read_all(zip_bytes(entries))
