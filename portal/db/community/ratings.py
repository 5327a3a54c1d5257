"""Ratings: one document per person and dataset; the dataset keeps {sum, count} by $inc."""

from mongoengine import DateTimeField, Document, IntField, ObjectIdField
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from portal.db.models import Dataset, utcnow


class Rating(Document):
    dataset = ObjectIdField(required=True)
    user = ObjectIdField(required=True)
    stars = IntField(required=True, min_value=1, max_value=5)
    updated_at = DateTimeField(default=utcnow)
    meta = {
        "collection": "ratings",
        "indexes": [{"fields": ["dataset", "user"], "unique": True}, "user"],
    }


def _totals(dataset_id, inc):
    """Apply one atomic $inc to the dataset's rating totals and return them."""
    if not inc:
        doc = Dataset._get_collection().find_one(
            {"_id": dataset_id}, projection={"rating_sum": 1, "rating_count": 1}
        )
        return (doc or {}).get("rating_sum", 0), (doc or {}).get("rating_count", 0)
    doc = Dataset._get_collection().find_one_and_update(
        {"_id": dataset_id},
        {"$inc": inc},
        projection={"rating_sum": 1, "rating_count": 1},
        return_document=ReturnDocument.AFTER,
    )
    doc = doc or {}
    return doc.get("rating_sum", 0), doc.get("rating_count", 0)


def put(dataset_id, user_id, stars):
    """Set the person's stars (replacing any earlier ones); return (sum, count) of the dataset.

    The person's document is swapped first and its previous value read in the same operation,
    so two concurrent changes each move the totals by their own difference.
    """
    col = Rating._get_collection()
    key = {"dataset": dataset_id, "user": user_id}
    change = {"$set": {"stars": stars, "updated_at": utcnow()}}
    try:
        before = col.find_one_and_update(key, change, upsert=True)
    except DuplicateKeyError:  # a concurrent first rating by the same person won the insert
        before = col.find_one_and_update(key, change)
    if before is None:
        return _totals(dataset_id, {"rating_sum": stars, "rating_count": 1})
    return _totals(dataset_id, {"rating_sum": stars - before["stars"]})


def remove(dataset_id, user_id):
    """Withdraw the person's rating; return (sum, count) of the dataset."""
    before = Rating._get_collection().find_one_and_delete({"dataset": dataset_id, "user": user_id})
    if before is None:
        return _totals(dataset_id, {})
    return _totals(dataset_id, {"rating_sum": -before["stars"], "rating_count": -1})


def stars_of(dataset_id, user_id):
    """The person's stars for the dataset, or None."""
    doc = Rating._get_collection().find_one(
        {"dataset": dataset_id, "user": user_id}, projection={"stars": 1}
    )
    return doc["stars"] if doc else None
