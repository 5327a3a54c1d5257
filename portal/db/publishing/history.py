"""Version history and field snapshots, each in its own collection.

The dataset document keeps only a window of its latest version records; every record also
lives in `version_history` (one document per version, unique by dataset and number), and the
fields a version shows are stored once per structure in `field_snapshots`, referred to by key.
"""

import hashlib
from functools import lru_cache

import orjson
from pymongo import ASCENDING, DESCENDING

from portal.db.connection import get_db

HISTORY = "version_history"
SNAPSHOTS = "field_snapshots"


def _history():
    return get_db()[HISTORY]


def _snapshots():
    return get_db()[SNAPSHOTS]


def ensure_indexes():
    """The unique (dataset, number) index of the history (idempotent)."""
    _history().create_index([("dataset", ASCENDING), ("number", DESCENDING)], unique=True)
    _snapshots().create_index("dataset")


def structure_key(fields):
    """A stable key of a field list (names, types, captions, order, visibility)."""
    data = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(data).hexdigest()[:24]


def store_snapshot(dataset_id, fields, known=None):
    """Keep `fields` once for the dataset; returns its key. `known` (the key the latest version
    refers to) saves the round trip when the structure did not change."""
    key = structure_key(fields)
    if key != known:
        _snapshots().update_one(
            {"_id": f"{dataset_id}:{key}"},
            {"$setOnInsert": {"dataset": dataset_id, "fields": fields}},
            upsert=True,
        )
    return key


@lru_cache(maxsize=512)
def _snapshot(dataset_id, key):
    doc = _snapshots().find_one({"_id": f"{dataset_id}:{key}"})
    return tuple(orjson.dumps(f) for f in doc["fields"]) if doc else None


def snapshot(dataset_id, key):
    """The fields stored under `key` (a snapshot never changes, so it is cached), or None."""
    found = _snapshot(dataset_id, key)
    return None if found is None else [orjson.loads(f) for f in found]


def save_record(dataset_id, record):
    """Store (or restore) one version record in the history."""
    doc = {k: v for k, v in record.items() if k != "_id"}
    doc["dataset"] = dataset_id
    _history().replace_one({"dataset": dataset_id, "number": record["number"]}, doc, upsert=True)


def has_record(dataset_id, number):
    return _history().find_one({"dataset": dataset_id, "number": number}, {"_id": 1}) is not None


def record(dataset_id, number):
    """One version record from the history, or None."""
    return _history().find_one({"dataset": dataset_id, "number": number}, {"_id": 0})


def newest_first(dataset_id, highest, lowest):
    """The records numbered `lowest < number <= highest`, newest first (one bounded range)."""
    query = {"dataset": dataset_id, "number": {"$gt": lowest, "$lte": highest}}
    return list(_history().find(query, {"_id": 0}).sort("number", DESCENDING))


def drop_dataset(dataset_id):
    """Forget a dataset's history and snapshots."""
    _history().delete_many({"dataset": dataset_id})
    _snapshots().delete_many({"dataset": dataset_id})
