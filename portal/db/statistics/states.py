"""Per-dataset precomputed states (monitoring, quality, AI readiness), runs and reminders."""

from pymongo.errors import BulkWriteError, DuplicateKeyError

from portal.db.connection import get_db
from portal.db.models import Dataset

MONITORING = "monitoring_states"
RUNS = "monitoring_runs"
TRANSITIONS = "monitoring_transitions"
SENT = "reminders_sent"
QUALITY = "quality_scores"
AI_FLAGS = "ai_flags"
BATCH = 1000
IN_BATCH = 50  # ids in one `$in` that deletes or looks up documents present (see _replace)
DUPLICATE = 11000
# what the periodic computation reads of every dataset
PROJECTION = {
    "code": 1, "organization": 1, "sector": 1, "title": 1, "description": 1, "keywords": 1,
    "update_frequency": 1, "phone": 1, "email": 1, "legal_basis": 1, "methodology": 1,
    "fields": 1, "status": 1, "active": 1, "current_version": 1, "created_at": 1,
    "updated_at": 1, "data_updated_at": 1, "rejection": 1, "downloads": 1, "views": 1,
    "rating_sum": 1, "rating_count": 1, "versions.number": 1, "versions.created_at": 1,
    "versions.rows": 1,
}  # fmt: skip


def ensure_indexes():
    db = get_db()
    db[TRANSITIONS].create_index("day")


# what the statistics tables need (between daily runs)
TABLES_PROJECTION = {
    "code": 1, "organization": 1, "sector": 1, "title": 1, "status": 1, "active": 1,
    "current_version": 1, "created_at": 1, "downloads": 1, "views": 1, "rating_sum": 1,
    "rating_count": 1, "versions.created_at": 1,
}  # fmt: skip


def all_datasets(projection=None):
    """Every dataset document, with what the periodic computation needs, in one pass."""
    return Dataset._get_collection().find({}, projection or PROJECTION, batch_size=BATCH)


def one_dataset(dataset_id):
    return Dataset._get_collection().find_one({"_id": dataset_id}, PROJECTION)


def _replace(collection, docs, present=()):
    """Write whole documents by `_id` (no bulk writes): those whose `_id` is not in `present`
    are inserted a batch at a time; the others (and any found there after all) are deleted and
    inserted again in short batches. SecantusDB finds each `_id` of an `$in` by its index but
    then matches every document found against the whole list, so a delete costs the list's
    length per document: 1,000 ids took 3.7 s of its CPU, 100 ids 0.06 s."""
    col = get_db()[collection]
    again = [d for d in docs if d["_id"] in present]
    fresh = [d for d in docs if d["_id"] not in present]
    for i in range(0, len(fresh), BATCH):
        batch = fresh[i : i + BATCH]
        try:
            col.insert_many(batch, ordered=False)
        except BulkWriteError as error:
            if any(e.get("code") != DUPLICATE for e in error.details.get("writeErrors", ())):
                raise
            again += batch
    for i in range(0, len(again), IN_BATCH):
        batch = again[i : i + IN_BATCH]
        col.delete_many({"_id": {"$in": [d["_id"] for d in batch]}})
        col.insert_many(batch)


def all_of(collection, projection=None):
    found = get_db()[collection].find({}, projection, batch_size=BATCH)
    return {d["_id"]: d for d in found}


def digests(collection):
    """`{_id: digest}` of every document (the rest is not read)."""
    found = get_db()[collection].find({}, {"digest": 1}, batch_size=BATCH)
    return {d["_id"]: d.get("digest") for d in found}


def by_ids(collection, ids, projection=None):
    found = get_db()[collection].find({"_id": {"$in": list(ids)}}, projection)
    return {d["_id"]: d for d in found}


def save_monitoring(docs, present=()):
    """Write state documents; `present` holds the `_id`s already stored."""
    _replace(MONITORING, docs, present)


def save_quality(docs, present=()):
    _replace(QUALITY, docs, present)


def forget(collection, ids):
    ids = list(ids)
    for i in range(0, len(ids), IN_BATCH):
        get_db()[collection].delete_many({"_id": {"$in": ids[i : i + IN_BATCH]}})


def record_run(day, doc):
    """Keep the day's computation (a second run the same day replaces it)."""
    get_db()[RUNS].replace_one({"_id": day}, {"_id": day, **doc}, upsert=True)


def runs(since_day=None):
    """The recorded daily computations, oldest first."""
    query = {"_id": {"$gte": since_day}} if since_day else {}
    return sorted(get_db()[RUNS].find(query), key=lambda d: d["_id"])


def add_transitions(docs):
    """Record state changes, once each (`_id` is dataset and day: one recorded already, by an
    earlier run the same day, is refused as a duplicate and left as it is)."""
    col = get_db()[TRANSITIONS]
    for i in range(0, len(docs), BATCH):
        try:
            col.insert_many(docs[i : i + BATCH], ordered=False)
        except BulkWriteError as error:
            if any(e.get("code") != DUPLICATE for e in error.details.get("writeErrors", ())):
                raise


def transitions_of(day):
    return list(get_db()[TRANSITIONS].find({"day": day}))


def claim_message(key, at):
    """True once for a message key (person and day): the message is then to be sent."""
    try:
        get_db()[SENT].insert_one({"_id": key, "at": at})
        return True
    except DuplicateKeyError:
        return False


def set_ai_flag(dataset_id, flagged, by, at):
    col = get_db()[AI_FLAGS]
    if flagged:
        col.replace_one({"_id": dataset_id}, {"_id": dataset_id, "by": by, "at": at}, upsert=True)
    else:
        col.delete_one({"_id": dataset_id})


def ai_flags():
    return {d["_id"] for d in get_db()[AI_FLAGS].find({}, {"_id": 1})}


def ai_flagged(dataset_id):
    return get_db()[AI_FLAGS].find_one({"_id": dataset_id}, {"_id": 1}) is not None


def questions():
    """Questions people asked under datasets (community comments), with whether answered."""
    fields = {"organization": 1, "first_answer_at": 1, "status": 1}
    return get_db()["comments"].find({"question": True}, fields, batch_size=BATCH)


def estimated(collection):
    """How many documents a collection holds (0 when it does not exist yet)."""
    return get_db()[collection].estimated_document_count()


REJECTED_FIELDS = {"code": 1, "organization": 1, "title": 1, "rejection": 1, "sector": 1}


def rejected():
    """Rejected datasets (an indexed equality: few documents)."""
    return list(Dataset._get_collection().find({"status": "rejected"}, REJECTED_FIELDS))


def rejected_one(dataset_id):
    """The dataset if it is rejected, else None."""
    query = {"_id": dataset_id, "status": "rejected"}
    return Dataset._get_collection().find_one(query, REJECTED_FIELDS)
