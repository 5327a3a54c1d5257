"""An upload looked at before it is published: kept server-side, validated, compared.

The console's step 3 stages the author's file (GridFS, the upload jobs' file store), shows
the first rows and what would change against the current version, and publishes the same
stored file when the author confirms; the browser never sends the file twice.
"""

from portal.core.errors import InvalidData, NotFound
from portal.db import jobs as job_store
from portal.db import rows as row_store
from portal.services.publishing import datasets, uploads

FIRST_ROWS = 10


def stage(user, ref, storage):
    """Keep an upload for its preview and confirmation; (dataset, stored file id)."""
    dataset = datasets.for_author(user, ref)
    uploads.structure_of(dataset)
    return dataset, str(job_store.store_file(storage.stream, storage.filename))


def open_staged(file_id):
    """The staged upload as a readable file, or NotFound once it is gone."""
    from bson import ObjectId
    from gridfs.errors import NoFile

    if not ObjectId.is_valid(str(file_id)):
        raise NotFound("no such upload: upload the file again")
    try:
        return job_store.open_file(ObjectId(str(file_id)))
    except NoFile:
        raise NotFound("the uploaded file is gone: upload it again") from None


def read_staged(file_id):
    """The staged upload's bytes (for the copy with its bad cells marked)."""
    with open_staged(file_id) as handle:
        return handle.read()


def drop(file_id):
    """Forget a staged upload."""
    from bson import ObjectId

    if ObjectId.is_valid(str(file_id)):
        job_store.delete_file(ObjectId(str(file_id)))


def _compare(dataset, clean_rows, first):
    """(first rows, {rows, added, removed, changed}) of the new rows against the current ones."""
    current = dataset.current_version
    old = row_store.hashes(dataset.id, current) if current else iter(())
    shown, counts = [], {"rows": 0, "added": 0, "removed": 0, "changed": 0, "unchanged": 0}
    before = next(old, None)
    position = 0
    for row in clean_rows:
        position += 1
        if len(shown) < first:
            shown.append(row)
        while before is not None and before["p"] < position:
            counts["removed"] += 1
            before = next(old, None)
        if before is not None and before["p"] == position:
            same = before["h"] == row_store.row_hash(row)
            counts["unchanged" if same else "changed"] += 1
            before = next(old, None)
        else:
            counts["added"] += 1
    while before is not None:
        counts["removed"] += 1
        before = next(old, None)
    counts["rows"] = position
    return shown, counts


def look(dataset, fields, stream, filename, limits, *, first=FIRST_ROWS, progress=None):
    """Validate an upload read from `stream`: its first rows and what it would change (the
    counts against the current version), or InvalidData."""
    checked = uploads.read_checked(fields, stream, filename, limits, progress)
    shown, counts = _compare(dataset, checked.rows(), first)
    checked.raise_if_invalid()
    if counts["rows"] == 0:
        raise InvalidData("the file has no data rows", [
            {"row": None, "column": None, "value": "", "message": "the file has no data rows"}
        ])  # fmt: skip
    return {"first": shown, "counts": counts, "version": dataset.current_version}


def preview(user, ref, file_id, filename, limits, *, first=FIRST_ROWS):
    """Validate the staged upload; its first rows and what it would change, or InvalidData."""
    dataset = datasets.for_author(user, ref)
    fields = uploads.structure_of(dataset)
    with open_staged(file_id) as stream:
        found = look(dataset, fields, stream, filename, limits, first=first)
    return {"fields": fields, **found}


def check_large(user, ref, stream, filename, limits, progress=None):
    """A dry-run upload job's check of a large staged file: the dry run's result with the
    preview (first rows, counts, current version) kept in it for the status page."""
    dataset = datasets.for_author(user, ref)
    fields = uploads.structure_of(dataset)
    found = look(dataset, fields, stream, filename, limits, progress=progress)
    return {"version": None, "rows": found["counts"]["rows"], "dry_run": True, "preview": found}


def of_job(user, ref, result):
    """The preview a checking job recorded, with the dataset's fields; None without one."""
    found = (result or {}).get("preview")
    if not found:
        return None
    dataset = datasets.for_author(user, ref)
    return {"fields": uploads.structure_of(dataset), **found}


def publish(user, ref, file_id, filename, limits, *, confirm_removal=False):
    """Publish the staged upload as the next version (the same checks as any upload)."""
    with open_staged(file_id) as stream:
        result = uploads.ingest(
            user, ref, stream, filename, limits, confirm_removal=confirm_removal
        )
    drop(file_id)
    return result


def check_job(user, ref, file_id, filename):
    """Queue the check of a staged large upload (its preview, a dry run) as an upload job
    that reads the staged file itself: one stored copy, which stays the staged upload's
    (the job does not delete it when it ends)."""
    params = {"filename": filename, "dry_run": True, "confirm_removal": False,
              "preview": True, "staged": True}  # fmt: skip
    return _staged_job(user, ref, file_id, params)


def publish_job(user, ref, file_id, filename, *, confirm_removal=False):
    """Queue the staged upload's publication as an upload job (a large file); the job."""
    params = {"filename": filename, "dry_run": False, "confirm_removal": confirm_removal}
    return _staged_job(user, ref, file_id, params)


def _staged_job(user, ref, file_id, params):
    """An upload job over the staged file `file_id` of a dataset the caller may edit."""
    from bson import ObjectId

    dataset = datasets.for_author(user, ref)
    uploads.structure_of(dataset)
    open_staged(file_id).close()  # still there
    return job_store.create(
        dataset=dataset.id, user=user.id, params=params, file_id=ObjectId(str(file_id))
    )
