"""Counters incremented in the request, and the marks that count a visitor once a day."""

from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from portal.db.connection import get_db
from portal.db.models import Dataset, utcnow

SEEN = "stat_seen"
COUNTERS = "stat_counters"
SEARCHES = "stat_searches"
SEEN_DAYS = 2  # a mark lives past its day only to be safe around midnight


def ensure_indexes():
    db = get_db()
    db[SEEN].create_index("at", expireAfterSeconds=SEEN_DAYS * 86400)
    db[SEARCHES].create_index("count")


def first_sight(key, now=None):
    """True the first time `key` (visitor, day and what was seen) is marked, False after."""
    try:
        get_db()[SEEN].insert_one({"_id": key, "at": now or utcnow()})
        return True
    except DuplicateKeyError:
        return False


def add(fields):
    """Add `fields` ({name: n}, dotted paths allowed) to the portal-wide counter document."""
    get_db()[COUNTERS].update_one({"_id": "total"}, {"$inc": fields}, upsert=True)


def dataset_download(dataset_id, number, fmt):
    """The dataset's own counters, in one update: total, per format, per version and format."""
    Dataset._get_collection().update_one(
        {"_id": dataset_id},
        {
            "$inc": {
                "downloads": 1,
                f"downloads_by_format.{fmt}": 1,
                f"downloads_by_version.{number}.{fmt}": 1,
            }
        },
    )


def dataset_view(dataset_id):
    Dataset._get_collection().update_one({"_id": dataset_id}, {"$inc": {"views": 1}})


def by_version(dataset_id):
    doc = Dataset._get_collection().find_one({"_id": dataset_id}, {"downloads_by_version": 1})
    return (doc or {}).get("downloads_by_version") or {}


def read(ids):
    """`{id: counter document}` of the ids that exist."""
    return {d["_id"]: d for d in get_db()[COUNTERS].find({"_id": {"$in": list(ids)}})}


def search(folded, results, now=None):
    """Count a folded query with the result count it last had."""
    now = now or utcnow()
    get_db()[SEARCHES].update_one(
        {"_id": folded},
        {"$inc": {"count": 1}, "$set": {"results": results, "at": now}},
        upsert=True,
    )


def searches():
    """Every counted query: `[{_id, count, results, at}]` (read by the periodic computation)."""
    return list(get_db()[SEARCHES].find({}))


def drop_old_marks(now=None):
    """Marks of past days (the TTL index does this on a real server; mongomock has none)."""
    limit = (now or utcnow()) - timedelta(days=SEEN_DAYS)
    get_db()[SEEN].delete_many({"at": {"$lt": limit}})
