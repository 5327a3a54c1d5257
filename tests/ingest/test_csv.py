"""Reading CSV uploads: encodings, delimiters, quoting, row numbers, limits."""

import pytest

from portal.core.errors import BadRequest, TooLarge
from portal.ingest import csv_reader

from .builders import read_all

BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("bom", [b"", BOM], ids=["plain", "bom"])
def test_utf8_with_or_without_bom(bom):
    data = bom + "Hudud,2010Y\r\nToshkent,12.5\r\nСамарқанд,\r\n".encode()
    table, rows = read_all(data, filename="data.csv")
    assert table.format == "csv"
    assert table.header == ["Hudud", "2010Y"]
    assert table.column_map is None
    assert rows == [(2, ["Toshkent", "12.5"]), (3, ["Самарқанд", None])]


@pytest.mark.parametrize(
    ("text", "header", "row"),
    [
        ("Hudud;Qiymat\nToshkent;1,5\n", ["Hudud", "Qiymat"], ["Toshkent", "1,5"]),
        ("Hudud\tQiymat\nToshkent\t1,5\n", ["Hudud", "Qiymat"], ["Toshkent", "1,5"]),
        ('"Hudud, nomi";Qiymat\n"a;b";2\n', ["Hudud, nomi", "Qiymat"], ["a;b", "2"]),
        ("Hudud,Qiymat\n1;2,3\n", ["Hudud", "Qiymat"], ["1;2", "3"]),
        ("Hudud\nToshkent\n", ["Hudud"], ["Toshkent"]),
    ],
)
def test_delimiter_is_sniffed_from_the_header(text, header, row):
    table, rows = read_all(text.encode())
    assert table.header == header
    assert rows == [(2, row)]


def test_quoted_newlines_count_as_one_row():
    data = b'Nomi,Manzil\r\n"Kutubxona","Amir Temur ko\'chasi,\r\n1-uy"\r\nIkkinchi,"x ""y"""\r\n'
    _, rows = read_all(data)
    assert rows == [
        (2, ["Kutubxona", "Amir Temur ko'chasi,\r\n1-uy"]),
        (3, ["Ikkinchi", 'x "y"']),
    ]


def test_blank_lines_keep_the_numbering_and_trailing_ones_go():
    data = b"a,b\n1,2\n\n,\n3,4\n\n\n,,\n"
    _, rows = read_all(data)
    assert rows == [(2, ["1", "2"]), (3, [None, None]), (4, [None, None]), (5, ["3", "4"])]


def test_header_with_empty_cells_after_the_last_name():
    table, rows = read_all(b"a,b,,\n1,2,,\n1,2,3\n")
    assert table.header == ["a", "b"]
    assert rows == [(2, ["1", "2"]), (3, ["1", "2", "3"])]


def test_lines_before_the_header_are_counted():
    table, rows = read_all(b"\n\na,b\n1,2\n")
    assert table.header == ["a", "b"]
    assert rows == [(4, ["1", "2"])]


def test_not_utf8_names_the_byte_and_line():
    data = b"Hudud,Qiymat\nToshkent,1\n" + "Самарканд,2\n".encode("cp1251")
    with pytest.raises(BadRequest) as caught:
        read_all(data)
    offset = data.index("Самарканд".encode("cp1251"))
    assert caught.value.message == (
        f"the file is not UTF-8 text: byte {offset} (line 3) is 0xD1; save it as CSV UTF-8"
    )


def test_bad_byte_right_after_a_chunk_boundary(monkeypatch):
    monkeypatch.setattr(csv_reader, "_CHUNK", 4)
    data = "abқ".encode() + b"\nx\xff\n"  # 'қ' is 2 bytes and straddles a chunk boundary
    with pytest.raises(BadRequest, match=r"byte 6 \(line 2\) is 0xFF"):
        csv_reader.check_utf8(data)
    csv_reader.check_utf8("abқдеж\nё".encode())


def test_too_many_rows():
    data = b"a\n" + b"1\n" * 6
    with pytest.raises(TooLarge, match="more than 5 data rows"):
        read_all(data, max_rows=5)
    _, rows = read_all(data + b"\n\n", max_rows=6)
    assert len(rows) == 6


def test_too_many_columns():
    with pytest.raises(TooLarge, match="at most 2"):
        read_all(b"a,b,c\n", max_cols=2)


def test_a_csv_with_an_xlsx_name_is_read_as_csv():
    table, _ = read_all(b"a\n1\n", filename="data.xlsx")
    assert table.format == "csv"


def test_only_a_header():
    table, rows = read_all(b"a,b\r\n")
    assert table.header == ["a", "b"]
    assert rows == []
