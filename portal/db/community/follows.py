"""Follows of datasets, and when followers were last told of a new version."""

from contextlib import suppress
from datetime import timedelta

from mongoengine import DateTimeField, Document, NotUniqueError, ObjectIdField
from pymongo.errors import DuplicateKeyError

from portal.db.models import utcnow


class Follow(Document):
    dataset = ObjectIdField(required=True)
    user = ObjectIdField(required=True)
    created_at = DateTimeField(default=utcnow)
    meta = {
        "collection": "follows",
        "indexes": [{"fields": ["dataset", "user"], "unique": True}, "user"],
    }


class FollowNotice(Document):
    """One per dataset: when its followers were last notified."""

    dataset = ObjectIdField(required=True, unique=True)
    at = DateTimeField()
    meta = {"collection": "follow_notices"}


def add(dataset_id, user_id):
    try:
        Follow(dataset=dataset_id, user=user_id).save()
    except NotUniqueError:
        return False
    return True


def remove(dataset_id, user_id):
    return bool(
        Follow._get_collection().delete_one({"dataset": dataset_id, "user": user_id}).deleted_count
    )


def is_following(dataset_id, user_id):
    return Follow.objects(dataset=dataset_id, user=user_id).first() is not None


def followers(dataset_id):
    return [d["user"] for d in Follow._get_collection().find({"dataset": dataset_id}, {"user": 1})]


def claim_daily_notice(dataset_id, period=timedelta(days=1)):
    """True for the first caller in `period` for this dataset (an atomic claim)."""
    now = utcnow()
    col = FollowNotice._get_collection()
    with suppress(DuplicateKeyError):  # a concurrent first claim inserted it
        col.update_one({"dataset": dataset_id}, {"$setOnInsert": {"at": None}}, upsert=True)
    claimed = col.update_one(
        {"dataset": dataset_id, "$or": [{"at": None}, {"at": {"$lt": now - period}}]},
        {"$set": {"at": now}},
    )
    return claimed.modified_count == 1
