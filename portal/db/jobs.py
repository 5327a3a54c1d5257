"""Upload jobs in MongoDB: queued documents a worker claims with a lease and keeps by heartbeat.

The uploaded file waits in GridFS (collection ``job_files``) so any worker on any host can read
it; a failed job's full error list goes there too (``job_errors``), keeping the job document
small. A job whose worker stopped beating is claimed again until it has had ``max_attempts``,
then failed with a message.
"""

import json
from datetime import timedelta

import gridfs
from bson import ObjectId
from pymongo import ReturnDocument

from portal.db.connection import get_db
from portal.db.models import Job, utcnow

FILES = "job_files"
ERRORS = "job_errors"


def _col():
    return Job._get_collection()


def _fs(collection):
    return gridfs.GridFS(get_db(), collection=collection)


def store_file(stream, filename):
    """Copy an upload into GridFS; its id."""
    return _fs(FILES).put(stream, filename=filename, uploaded_at=utcnow())


def open_file(file_id):
    """The stored upload as a readable file."""
    return _fs(FILES).get(file_id)


def delete_file(file_id):
    if file_id is not None:
        _fs(FILES).delete(file_id)


def release_file(file_id, params):
    """What a job's end does with its upload: removed, unless it is a staged upload (the
    console's staging owns that one and drops it when it is published or discarded)."""
    if not (params or {}).get("staged"):
        delete_file(file_id)


def store_errors(errors):
    """A full error list as JSON in GridFS; its id."""
    data = json.dumps(errors, ensure_ascii=False, default=str).encode("utf-8")
    return _fs(ERRORS).put(data, filename="errors.json")


def load_errors(file_id):
    try:
        return json.loads(_fs(ERRORS).get(file_id).read())
    except gridfs.errors.NoFile:
        return None


def create(*, dataset, user, params, file_id):
    return Job(
        dataset=dataset,
        user=user,
        status="queued",
        params=params,
        file=file_id,
        attempts=0,
        progress={"read": 0, "validated": 0, "written": 0},
    ).save()


def running_count(now=None):
    now = now or utcnow()
    return _col().count_documents({"status": "running", "lease_until": {"$gt": now}})


def fail_abandoned(max_attempts, message):
    """Fail every job whose worker stopped after its last allowed attempt; their ids.

    A running job without a lease was started by a web worker thread before jobs had leases:
    its file was on that machine's disk, so it can only fail.
    """
    now = utcnow()
    failed = []
    query = {
        "status": "running",
        "$or": [
            {"lease_until": {"$lt": now}, "attempts": {"$gte": max_attempts}},
            {"lease_until": None},
        ],
    }
    for doc in _col().find(query, {"_id": 1, "file": 1, "params.staged": 1}):
        done = _col().update_one(
            {"_id": doc["_id"], **query},
            {
                "$set": {
                    "status": "failed",
                    "error": {"code": 500, "message": message},
                    "finished_at": now,
                },
                "$unset": {"worker": "", "lease_until": ""},
            },
        )
        if done.modified_count:
            release_file(doc.get("file"), doc.get("params"))
            failed.append(doc["_id"])
    return failed


def claim(worker, lease, max_attempts):
    """Take the oldest queued job, or one whose worker's lease ran out; the Job or None."""
    now = utcnow()
    doc = _col().find_one_and_update(
        {
            "$or": [
                {"status": "queued"},
                {
                    "status": "running",
                    "lease_until": {"$lt": now},
                    "attempts": {"$lt": max_attempts},
                },
            ]
        },
        {
            "$set": {
                "status": "running",
                "worker": worker,
                "lease_until": now + lease,
                "started_at": now,
            },
            "$inc": {"attempts": 1},
        },
        sort=[("created_at", 1)],
        return_document=ReturnDocument.AFTER,
    )
    return Job._from_son(doc) if doc else None


def heartbeat(job_id, worker, lease, progress=None):
    """Extend the lease; False when the job is no longer this worker's."""
    update = {"lease_until": utcnow() + lease}
    if progress is not None:
        update["progress"] = dict(progress)
    done = _col().update_one(
        {"_id": job_id, "worker": worker, "status": "running"}, {"$set": update}
    )
    return done.matched_count == 1


def finish(job_id, worker, *, status, progress, result=None, error=None):
    """Record the end of a job this worker holds; False when another worker took it over."""
    fields = {"status": status, "progress": dict(progress), "finished_at": utcnow()}
    if result is not None:
        fields["result"] = result
    if error is not None:
        fields["error"] = error
    done = _col().update_one(
        {"_id": job_id, "worker": worker, "status": "running"},
        {"$set": fields, "$unset": {"lease_until": ""}},
    )
    return done.matched_count == 1


def get(job_id):
    return Job.objects(id=job_id).first() if ObjectId.is_valid(str(job_id)) else None


def lease_of(seconds):
    return timedelta(seconds=seconds)
