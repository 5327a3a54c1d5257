"""The write lease of a dataset: one writer at a time, times taken from the server's clock.

`lock` on the dataset document is `{id, until}`; `unclean` lists the writers that may have left
rows behind (`{id, from}`: from which position), until their version is published or their rows
removed, so whoever takes the lock over knows what to clean.
"""


from pymongo import ReturnDocument

from portal.db.models import Dataset, utcnow


def _col():
    return Dataset._get_collection()


def server_now():
    """The database server's clock (naive UTC): every host compares leases on one clock."""
    try:
        hello = _col().database.command("hello")
    except NotImplementedError:  # the in-memory test double has no server and no clock
        return utcnow()
    now = hello.get("localTime")
    return now.replace(tzinfo=None) if now else utcnow()


def acquire(dataset_id, lock_id, lease, first):
    """Take the lock if it is free or its lease ran out; the document before, or None.

    The same update notes that this writer may leave rows from position `first` on."""
    now = server_now()
    return _col().find_one_and_update(
        {
            "_id": dataset_id,
            "$or": [
                {"lock.id": {"$exists": False}},
                {"lock.until": {"$lt": now}},
                # a lock taken by an earlier build: `at` and a fixed lease
                {"lock.until": {"$exists": False}, "lock.at": {"$lt": now - lease}},
            ],
        },
        {
            "$set": {"lock": {"id": lock_id, "until": now + lease}},
            "$push": {"unclean": {"id": lock_id, "from": first}},
        },
        projection={
            "current_version": 1,
            "status": 1,
            "lock": 1,
            "unclean": 1,
            "versions": {"$slice": -1},
        },
        return_document=ReturnDocument.BEFORE,
    )


def renew(dataset_id, lock_id, lease):
    """Extend the lease; False when the lock is no longer this writer's."""
    until = server_now() + lease
    result = _col().update_one(
        {"_id": dataset_id, "lock.id": lock_id}, {"$set": {"lock.until": until}}
    )
    return result.matched_count == 1


def mark_unclean(dataset_id, lock_id, first):
    """Note, before the first row is written, that this writer may leave rows from `first`."""
    result = _col().update_one(
        {"_id": dataset_id, "lock.id": lock_id},
        {"$push": {"unclean": {"id": lock_id, "from": first}}},
    )
    return result.matched_count == 1


def mark_clean(dataset_id, ids):
    """Forget writers whose rows are gone (or published)."""
    _col().update_one({"_id": dataset_id}, {"$pull": {"unclean": {"id": {"$in": list(ids)}}}})


def release(dataset_id, lock_id):
    """Give the lock back, and with it this writer's note (it left nothing behind)."""
    _col().update_one(
        {"_id": dataset_id, "lock.id": lock_id},
        {"$unset": {"lock": ""}, "$pull": {"unclean": {"id": lock_id}}},
    )


def holder(dataset_id):
    """(lock id or None, current version) as stored now."""
    doc = _col().find_one({"_id": dataset_id}, {"lock": 1, "current_version": 1}) or {}
    return (doc.get("lock") or {}).get("id"), doc.get("current_version", 0)


