"""CSV upload -> raw rows: UTF-8 (BOM or not), comma, semicolon or tab, quoted newlines."""

import codecs
import csv
import io

from portal.core.errors import BadRequest

DELIMITERS = (",", ";", "\t")
_CHUNK = 1 << 20


def check_utf8(data):
    """Raise BadRequest naming the byte and line of the first invalid UTF-8 sequence."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), _CHUNK):
        held = len(decoder.getstate()[0])  # bytes of a sequence split across chunks
        try:
            decoder.decode(data[start : start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            offset = start - held + exc.start
            line = data.count(b"\n", 0, offset) + 1
            raise BadRequest(
                f"the file is not UTF-8 text: byte {offset:,} (line {line:,}) is "
                f"0x{data[offset]:02X}; save it as CSV UTF-8"
            ) from None


def sniff_delimiter(first_line):
    """The delimiter used most often outside quotes in the header line (comma on a tie)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals
    return best if counts[best] else ","


def _first_line(data):
    end = data.find(b"\n", 0, 1 << 16)
    head = data[: end if end >= 0 else 1 << 16]
    return head.decode("utf-8-sig", errors="replace")


def csv_rows(data):
    """Iterator of cell lists, one per record; empty fields are None."""
    check_utf8(data)
    delimiter = sniff_delimiter(_first_line(data))
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    # strict: a quote never closed is an error, not the rest of the file in one cell
    return _records(csv.reader(text, delimiter=delimiter, strict=True))


def _records(reader):
    start = 1  # the line the record being read starts on
    try:
        for cells in reader:
            yield [c or None for c in cells]
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise BadRequest(
                f"line {start:,}: a quoted cell is never closed (its opening quote runs to the "
                "end of the file); close the quote or double a quote inside the cell (\"\")"
            ) from None
        raise BadRequest(
            f"line {reader.line_num:,}: the CSV cannot be read: a quote must be followed by "
            f"the delimiter or the end of the line ({exc})"
        ) from None
