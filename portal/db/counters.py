"""Named counters: one atomic increment hands out the next number of a sequence."""

from pymongo import ReturnDocument

from portal.db.connection import get_db

COLLECTION = "counters"


def next_value(name):
    """The next number of the sequence `name` (1, 2, ...), unique across processes."""
    doc = get_db()[COLLECTION].find_one_and_update(
        {"_id": name},
        {"$inc": {"n": 1}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    return doc["n"]


def raise_to(name, value):
    """Make sure the sequence hands out numbers above `value` (ids given out another way)."""
    col = get_db()[COLLECTION]
    col.update_one({"_id": name}, {"$setOnInsert": {"n": 0}}, upsert=True)
    col.update_one({"_id": name, "n": {"$lt": value}}, {"$set": {"n": value}})
