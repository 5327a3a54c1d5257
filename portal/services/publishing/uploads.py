"""Step 4: a filled template (xlsx or csv) becomes the next version, or nothing changes."""

import os

from portal.core import collector
from portal.core.columns import resolve_header
from portal.core.errors import Conflict, InvalidData
from portal.ingest import read_table
from portal.services.publishing import datasets, validation, versions


class Limits:
    """Upload limits, from the app's settings."""

    def __init__(self, config):
        self.max_bytes = config["MAX_CONTENT_LENGTH"]
        self.max_rows = config["UPLOAD_MAX_ROWS"]
        self.max_errors = config["MAX_ROW_ERRORS"]
        self.job_threshold = config["UPLOAD_JOB_THRESHOLD"]
        self.readers = config["READER_CHILDREN"]


def structure_of(dataset):
    """The dataset's fields as dicts; 409 while it has none."""
    fields = [f.to_dict() for f in datasets.ordered_fields(dataset)]
    if not fields:
        raise Conflict(f"dataset {dataset.code} has no structure yet: add its fields first")
    return fields


REMOVAL_SHARE = 0.5  # an upload keeping fewer than half of the current rows must be confirmed
CONFIRM_FLAG = "confirm_removal"


def current_rows(dataset):
    """The row count of the published version (0 before the first one)."""
    for record in dataset.versions:
        if record.number == dataset.current_version:
            return record.rows
    return 0


def removal_check(dataset, confirmed):
    """A check of the new row count: an upload removing all or most rows needs the flag."""
    before = current_rows(dataset)

    def check(after):
        if confirmed:
            return
        if after == 0:
            what = f"removing all {before:,} rows" if before else "with no rows"
            raise Conflict(
                f"the file has no data rows: it would publish a version of dataset "
                f"{dataset.code} {what}; send it again with ?{CONFIRM_FLAG}=1 to do that"
            )
        if before and after < before * REMOVAL_SHARE:
            raise Conflict(
                f"the file has {after:,} rows: it would remove {before - after:,} of the "
                f"{before:,} rows of dataset {dataset.code}; send it again with "
                f"?{CONFIRM_FLAG}=1 to do that"
            )

    return check


def read_checked(fields, stream, filename, limits, progress=None, on_end=None):
    """The upload read and its header mapped: rows to validate as they are iterated."""
    table = read_table(
        stream,
        filename,
        max_bytes=limits.max_bytes,
        max_rows=limits.max_rows,
        readers=limits.readers,
    )
    mapping, header_error = resolve_header(fields, table.header, table.column_map)
    if header_error:
        raise InvalidData(header_error["message"], [header_error])
    return validation.Checked(
        fields, mapping, table.header, table.rows, limits.max_errors, progress=progress,
        on_end=on_end,
    )  # fmt: skip


def ingest(
    user, ref, stream, filename, limits, *, dry_run=False, progress=None, confirm_removal=False
):
    """Read, validate every cell, and (unless dry_run) publish version n+1 atomically.

    An upload that would leave no rows, or fewer than half of the current ones, is refused
    (409) unless confirm_removal is set: a header-only file never wipes a dataset by accident.
    """
    dataset = datasets.for_author(user, ref)
    fields = structure_of(dataset)
    checked = read_checked(
        fields, stream, filename, limits, progress, removal_check(dataset, confirm_removal)
    )
    if dry_run:
        with collector.paused():  # as while a version is written (versions.publish)
            for _ in checked.rows():
                pass
        checked.raise_if_invalid()
        return {"version": None, "rows": checked.valid, "dry_run": True}
    record = versions.publish(
        dataset,
        checked.rows(raise_at_end=True),
        source="upload",
        by=str(user.id),
        fields=fields,
        on_progress=progress.written if progress else None,
    )
    return {
        "version": record["number"],
        "rows": record["rows"],
        "added": record["added"],
        "removed": record["removed"],
        "dry_run": False,
    }


def file_size(storage):
    """The size of an uploaded file without reading it into memory."""
    stream = storage.stream
    here = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(here)
    return size
