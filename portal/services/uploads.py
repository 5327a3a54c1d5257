"""Step 4: a filled template (xlsx or csv) becomes the next version, or nothing changes."""

import os
import tempfile
import threading

from portal.core.columns import resolve_header
from portal.core.errors import Conflict, InvalidData
from portal.db.models import Job, utcnow
from portal.ingest import read_table
from portal.services import datasets, validation, versions


class Limits:
    """Upload limits, from the app's settings."""

    def __init__(self, config):
        self.max_bytes = config["MAX_CONTENT_LENGTH"]
        self.max_rows = config["UPLOAD_MAX_ROWS"]
        self.max_errors = config["MAX_ROW_ERRORS"]
        self.job_threshold = config["UPLOAD_JOB_THRESHOLD"]


def _structure(dataset):
    fields = [f.to_dict() for f in datasets.ordered_fields(dataset)]
    if not fields:
        raise Conflict(f"dataset {dataset.code} has no structure yet: add its fields first")
    return fields


def ingest(user, ref, stream, filename, limits, *, dry_run=False, progress=None):
    """Read, validate every cell, and (unless dry_run) publish version n+1 atomically."""
    dataset = datasets.for_author(user, ref)
    fields = _structure(dataset)
    table = read_table(stream, filename, max_bytes=limits.max_bytes, max_rows=limits.max_rows)
    mapping, header_error = resolve_header(fields, table.header, table.column_map)
    if header_error:
        raise InvalidData(header_error["message"], [header_error])
    checked = validation.Checked(
        fields, mapping, table.header, table.rows, limits.max_errors, progress=progress
    )
    if dry_run:
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


class JobProgress:
    """Progress of an upload job, written to its document now and then."""

    EVERY = 5000  # rows between two saves: each save is a round trip taken from the upload

    def __init__(self, job):
        self.job = job
        self.counts = {"read": 0, "validated": 0, "written": 0}
        self._saved = {"read": 0, "written": 0}

    def _save(self, key):
        if self.counts[key] - self._saved[key] >= self.EVERY:
            self._saved[key] = self.counts[key]
            Job.objects(id=self.job.id).update_one(set__progress=dict(self.counts))

    def validated(self, read, valid):
        self.counts["read"], self.counts["validated"] = read, valid
        self._save("read")

    def written(self, count):
        self.counts["written"] = count
        self._save("written")


def start_job(user, ref, storage, limits, *, dry_run=False):
    """Run a large upload in the background; the job document tells its progress and result."""
    dataset = datasets.for_author(user, ref)
    _structure(dataset)
    fd, path = tempfile.mkstemp(prefix="ochiq-upload-")
    with os.fdopen(fd, "wb") as out:
        storage.save(out)
    job = Job(
        dataset=dataset.id,
        user=user.id,
        status="queued",
        progress={"read": 0, "validated": 0, "written": 0},
    ).save()
    thread = threading.Thread(
        target=_run_job,
        args=(job, user, str(dataset.id), path, storage.filename, limits, dry_run),
        daemon=True,
    )
    thread.start()
    return job


def _run_job(job, user, ref, path, filename, limits, dry_run):
    progress = JobProgress(job)
    Job.objects(id=job.id).update_one(set__status="running")
    try:
        with open(path, "rb") as stream:
            result = ingest(user, ref, stream, filename, limits, dry_run=dry_run, progress=progress)
        Job.objects(id=job.id).update_one(
            set__status="done",
            set__result=result,
            set__progress=progress.counts,
            set__finished_at=utcnow(),
        )
    except Exception as exc:  # noqa: BLE001 - the job records every failure for its caller
        error = {
            "code": getattr(exc, "status", 500),
            "message": getattr(exc, "message", "internal error"),
        }
        if getattr(exc, "errors", None) is not None:
            error["errors"] = exc.errors
        Job.objects(id=job.id).update_one(
            set__status="failed",
            set__error=error,
            set__progress=progress.counts,
            set__finished_at=utcnow(),
        )
    finally:
        os.unlink(path)


def job_dict(job):
    """The public view of a job."""
    return {
        "id": str(job.id),
        "dataset": str(job.dataset),
        "status": job.status,
        "progress": job.progress,
        "result": job.result or None,
        "error": job.error or None,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def get_job(user, job_id):
    """A job the caller started (or an admin)."""
    from bson import ObjectId

    from portal.core.errors import NotFound

    job = Job.objects(id=job_id).first() if ObjectId.is_valid(str(job_id)) else None
    if job is None or (job.user != user.id and "admin" not in user.roles):
        raise NotFound("no such job")
    return job
