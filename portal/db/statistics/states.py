"""Per-dataset precomputed states (monitoring, quality, AI readiness), runs and reminders."""

from pymongo.errors import DuplicateKeyError

from portal.db.connection import get_db
from portal.db.models import Dataset

MONITORING = "monitoring_states"
RUNS = "monitoring_runs"
TRANSITIONS = "monitoring_transitions"
SENT = "reminders_sent"
QUALITY = "quality_scores"
AI_FLAGS = "ai_flags"
BATCH = 1000
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


def _replace(collection, docs):
    """Write whole documents by `_id` (delete and insert a batch at a time: no bulk writes)."""
    col = get_db()[collection]
    for i in range(0, len(docs), BATCH):
        batch = docs[i : i + BATCH]
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


def save_monitoring(docs):
    _replace(MONITORING, docs)


def save_quality(docs):
    _replace(QUALITY, docs)


def forget(collection, ids):
    if ids:
        get_db()[collection].delete_many({"_id": {"$in": list(ids)}})


def record_run(day, doc):
    """Keep the day's computation (a second run the same day replaces it)."""
    get_db()[RUNS].replace_one({"_id": day}, {"_id": day, **doc}, upsert=True)


def runs(since_day=None):
    """The recorded daily computations, oldest first."""
    query = {"_id": {"$gte": since_day}} if since_day else {}
    return sorted(get_db()[RUNS].find(query), key=lambda d: d["_id"])


def add_transitions(docs):
    """Record state changes, once each (`_id` is dataset and day)."""
    col = get_db()[TRANSITIONS]
    for i in range(0, len(docs), BATCH):
        batch = docs[i : i + BATCH]
        ids = [d["_id"] for d in batch]
        known = {d["_id"] for d in col.find({"_id": {"$in": ids}}, {"_id": 1})}
        fresh = [d for d in batch if d["_id"] not in known]
        if fresh:
            col.insert_many(fresh)


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
