"""Large uploads as jobs: queued by the web process, run by a worker (``python -m portal.worker``).

The web process stores the file in GridFS and answers 202; a worker claims the job with a lease,
beats while it reads, validates and publishes, and records the result. A worker that dies
leaves its lease to run out: the job is claimed again once, then failed with a message. At
most JOB_CONCURRENCY jobs run at once across workers; a failed job keeps JOB_ERRORS_INLINE
row errors in its document and the whole list (up to MAX_ROW_ERRORS) in GridFS.
"""

import logging
import os
import secrets
import socket
import threading

from portal.core.errors import Conflict, NotFound, PortalError
from portal.db import jobs as job_store
from portal.db.models import User
from portal.services.publishing import datasets, preview, uploads

log = logging.getLogger("portal.jobs")
DIED = "the worker running this upload stopped twice; upload the file again"
INTERNAL = "the upload failed because of an error on our side (it is logged); try again later"


class JobSettings:
    """Job settings, from the app's config."""

    def __init__(self, config):
        self.lease = job_store.lease_of(config["JOB_LEASE_SECONDS"])
        self.max_attempts = config["JOB_MAX_ATTEMPTS"]
        self.concurrency = config["JOB_CONCURRENCY"]
        self.errors_inline = config["JOB_ERRORS_INLINE"]
        self.limits = uploads.Limits(config)


def worker_id():
    """A name for this worker process: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def start_job(user, ref, storage, limits, *, dry_run=False, confirm=False, preview=False):
    """Queue a large upload; the job document tells its progress and result. A `preview`
    dry run also records the first rows and the changes against the current version."""
    dataset = datasets.for_author(user, ref)
    uploads.structure_of(dataset)
    file_id = job_store.store_file(storage.stream, storage.filename)
    params = {"filename": storage.filename, "dry_run": dry_run, "confirm_removal": confirm}
    if preview and dry_run:
        params["preview"] = True
    return job_store.create(dataset=dataset.id, user=user.id, params=params, file_id=file_id)


class _Beat:
    """Keeps the lease of a running job on a timer; `lost` once another worker holds it."""

    def __init__(self, job, worker, settings, counts):
        self.job, self.worker, self.settings, self.counts = job, worker, settings, counts
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"beat-{job.id}")

    def _run(self):
        every = max(self.settings.lease.total_seconds() / 3, 0.05)
        while not self._stop.wait(every):
            try:
                kept = job_store.heartbeat(
                    self.job.id, self.worker, self.settings.lease, self.counts
                )
                if not kept:
                    self.lost = True
                    return
            except Exception:  # noqa: BLE001 - a missed beat is retried at the next one
                log.exception("job heartbeat failed", extra={"fields": {"job": str(self.job.id)}})

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)


class _Progress:
    """Counts the ingest reports; stops the job at its next step once the lease is lost."""

    def __init__(self):
        self.counts = {"read": 0, "validated": 0, "written": 0}
        self.beat = None

    def _check(self):
        if self.beat is not None and self.beat.lost:
            raise Conflict("the job was taken over by another worker")

    def validated(self, read, valid):
        self.counts["read"], self.counts["validated"] = read, valid
        self._check()

    def written(self, count):
        self.counts["written"] = count
        self._check()


def _error_of(exc, settings):
    if isinstance(exc, PortalError):
        error = {"code": exc.status, "message": exc.message}
        if isinstance(exc.errors, list) and len(exc.errors) > settings.errors_inline:
            error["errors"] = exc.errors[: settings.errors_inline]
            error["errors_total"] = len(exc.errors)
            error["errors_file"] = job_store.store_errors(exc.errors)
        elif exc.errors is not None:
            error["errors"] = exc.errors
        return error
    return {"code": 500, "message": INTERNAL}


def run_job(job, worker, settings):
    """Run one claimed job to its end and record it."""
    fields = {"job": str(job.id), "dataset": str(job.dataset), "attempt": job.attempts}
    log.info("job started", extra={"fields": fields})
    progress = _Progress()
    status, result, error = "failed", None, None
    try:
        user = User.objects(id=job.user, active=True).first()
        if user is None:
            raise NotFound("the person who started this upload is no longer active")
        params = job.params or {}
        with _Beat(job, worker, settings, progress.counts) as beat:
            progress.beat = beat
            with job_store.open_file(job.file) as stream:
                result = _run(user, job, params, stream, settings, progress)
        status = "done"
    except PortalError as exc:
        error = _error_of(exc, settings)
    except Exception:  # noqa: BLE001 - logged; the job answers a message of ours
        log.exception("job failed", extra={"fields": fields})
        error = _error_of(None, settings)
    if not job_store.finish(
        job.id, worker, status=status, progress=progress.counts, result=result, error=error
    ):
        log.warning("job taken over before it ended", extra={"fields": fields})
        return None
    job_store.release_file(job.file, job.params)
    log.info("job ended", extra={"fields": {**fields, "status": status}})
    return status


def _run(user, job, params, stream, settings, progress):
    """The job's work: a console preview, a dry run or a publication."""
    if params.get("preview"):
        return preview.check_large(
            user, str(job.dataset), stream, params.get("filename"), settings.limits, progress
        )
    return uploads.ingest(
        user,
        str(job.dataset),
        stream,
        params.get("filename"),
        settings.limits,
        dry_run=params.get("dry_run", False),
        progress=progress,
        confirm_removal=params.get("confirm_removal", False),
    )


def run_next(settings, worker=None):
    """Claim and run one job if one waits and a slot is free; its status, or None."""
    job_store.fail_abandoned(settings.max_attempts, DIED)
    if job_store.running_count() >= settings.concurrency:
        return None
    worker = worker or worker_id()
    job = job_store.claim(worker, settings.lease, settings.max_attempts)
    if job is None:
        return None
    return run_job(job, worker, settings)


def job_dict(job):
    """The public view of a job; a long error list is read back from GridFS."""
    error = dict(job.error) if job.error else None
    if error and error.get("errors_file") is not None:
        full = job_store.load_errors(error.pop("errors_file"))
        if full is not None:
            error["errors"] = full
    return {
        "id": str(job.id),
        "dataset": str(job.dataset),
        "status": job.status,
        "progress": job.progress,
        "attempts": job.attempts,
        "result": job.result or None,
        "error": error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def get_job(user, job_id):
    """A job the caller started (or an admin)."""
    job = job_store.get(job_id)
    if job is None or (job.user != user.id and "admin" not in user.roles):
        raise NotFound("no such job")
    return job
