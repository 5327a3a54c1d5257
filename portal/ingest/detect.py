"""Upload bytes: size cap, format by content (xlsx or csv), zip bomb guard."""

import io
import zipfile

from portal.core.errors import BadRequest, TooLarge

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_PART = "xl/workbook.xml"
MAX_ENTRIES = 1_000
MAX_UNPACKED = 1 << 30
UNPACK_RATIO = 20
SAVE_AS = "save it as an Excel workbook (.xlsx) or as CSV UTF-8"


def read_upload(stream, max_bytes):
    """All bytes of an upload (a binary file object or bytes), at most max_bytes of them."""
    if isinstance(stream, bytes | bytearray | memoryview):
        data = bytes(stream)
    else:
        chunks = []
        size = 0
        # a socket-backed stream may return short reads, so read until EOF or the cap
        while size <= max_bytes:
            chunk = stream.read(max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    if len(data) > max_bytes:
        raise TooLarge(f"the file is larger than {_mb(max_bytes)}")
    return data


def detect(data, filename=None):
    """'xlsx' or 'csv' from the bytes themselves; anything else raises BadRequest."""
    name = f"{filename}: " if filename else ""
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data, name)
    if data.startswith(OLE2_MAGIC):
        raise BadRequest(
            f"{name}an Excel 97-2003 (.xls) or password-protected workbook cannot be read; "
            f"{SAVE_AS} without a password"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadRequest(f"{name}the file is UTF-16 text; {SAVE_AS}")
    if not data.strip():
        raise BadRequest(f"{name}the file is empty")
    if b"\x00" in data[:8192]:
        raise BadRequest(f"{name}not a spreadsheet; {SAVE_AS}")
    return "csv"


def _zip_kind(data, name):
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise BadRequest(f"{name}a damaged zip or xlsx file ({exc})") from None
    if WORKBOOK_PART in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise BadRequest(f"{name}an Excel binary workbook (.xlsb) cannot be read; {SAVE_AS}")
    if "mimetype" in names or "content.xml" in names:
        raise BadRequest(f"{name}an OpenDocument (.ods) file cannot be read; {SAVE_AS}")
    raise BadRequest(f"{name}a zip archive, not an Excel workbook; {SAVE_AS}")


def unpacked_limit(max_bytes):
    """How much an xlsx of at most max_bytes may unpack to."""
    return min(UNPACK_RATIO * max_bytes, MAX_UNPACKED)


def check_zip(data, max_bytes):
    """Reject a workbook that unpacks too far or holds too many parts; its unpacked size."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise BadRequest(f"the workbook holds {len(entries):,} parts; at most {MAX_ENTRIES:,}")
    total = sum(e.file_size for e in entries)
    limit = unpacked_limit(max_bytes)
    if total > limit:
        raise TooLarge(f"the workbook unpacks to {_mb(total)}; at most {_mb(limit)} is allowed")
    return total


def _mb(n):
    return f"{n / (1 << 20):,.1f} MB"
