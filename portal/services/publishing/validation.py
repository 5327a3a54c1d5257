"""Validation of a whole file in bounded memory: core validation over chunks of rows."""

from itertools import islice

from portal.core.directory import build_directories
from portal.core.errors import InvalidData
from portal.core.validation import validate_json, validate_rows
from portal.services import reference

CHUNK = 5000  # rows validated at a time, at most
CHUNK_CELLS = 100_000  # and cells: a wide file gets shorter chunks, so memory bounds by cells


def directories_for(fields):
    """Directory lookups of the directory fields."""
    codes = {f["directory"] for f in fields if f.get("type") == "directory" and f.get("directory")}
    return build_directories(list(reference.lookups(codes).values())) if codes else {}


class Checked:
    """Rows of a table, validated a chunk at a time; errors collected up to a cap."""

    def __init__(self, fields, mapping, header, rows, max_errors, progress=None, on_end=None):
        self.fields, self.mapping, self.header = fields, mapping, header
        self.source = iter(rows)
        self.max_errors = max_errors
        self.directories = directories_for(fields)
        self.errors, self.errors_total, self.read, self.valid = [], 0, 0, 0
        self.progress = progress
        self.on_end = on_end  # called with the count of valid rows once all are read and valid
        self.chunk = max(1, min(CHUNK, CHUNK_CELLS // max(len(header), 1)))

    def _validate(self, chunk):
        return validate_rows(
            self.fields,
            self.mapping,
            chunk,
            self.directories,
            max_errors=self.max_errors,
            header=self.header,
        )

    def rows(self, raise_at_end=False):
        """Yield clean rows while the file is valid; then keep counting errors to the end."""
        while True:
            chunk = list(islice(self.source, self.chunk))
            if not chunk:
                break
            clean, errors, stats = self._validate(chunk)
            self.read += stats["rows_read"]
            self.valid += len(clean)
            self.errors_total += stats["errors_total"]
            room = self.max_errors - len(self.errors)
            self.errors.extend(errors[: max(room, 0)])
            if self.progress:
                self.progress.validated(self.read, self.valid)
            if not self.errors_total:
                yield from clean
        if raise_at_end:
            self.raise_if_invalid()
            if self.on_end:
                self.on_end(self.valid)

    def raise_if_invalid(self):
        """InvalidData naming every collected error, when there is one."""
        if self.errors_total:
            more = self.errors_total - len(self.errors)
            message = f"{self.errors_total} cells do not match the structure"
            if more > 0:
                message += f" (the first {len(self.errors)} are listed)"
            raise InvalidData(message, self.errors)


def check_records(fields, records, max_errors):
    """Validate JSON records (the integration push): the clean rows, or InvalidData."""
    clean, errors, stats = validate_json(fields, records, directories_for(fields), max_errors)
    if errors:
        total = stats["errors_total"]
        raise InvalidData(f"{total} values do not match the structure", errors)
    return clean
