"""The moderation spine shared by comments, proposals and feedback.

Every moderated document carries the same fields (`Moderated`); reports and the record of
decisions live in their own collections, keyed by (kind, item).
"""

from mongoengine import (
    BooleanField,
    DateTimeField,
    Document,
    IntField,
    ListField,
    NotUniqueError,
    ObjectIdField,
    StringField,
)

from portal.core.community import MODERATION_STATUSES as STATUSES
from portal.core.community import REPORT_REASONS as REASONS
from portal.core.errors import Conflict
from portal.db.models import Notification, utcnow


class Moderated(Document):
    """Fields of every moderated document."""

    status = StringField(choices=STATUSES, default="visible")
    hold_reason = StringField()  # why it is held or hidden: reports, links, honeypot, operator
    reporters = ListField(ObjectIdField())  # distinct reporters since the last decision
    open_reports = IntField(default=0)
    queued = BooleanField(default=False)  # in the operators' queue
    queued_at = DateTimeField()
    meta = {"abstract": True}


class Report(Document):
    kind = StringField(required=True)
    item = ObjectIdField(required=True)
    reporter = ObjectIdField(required=True)
    reason = StringField(required=True, choices=REASONS)
    note = StringField(default="")
    created_at = DateTimeField(default=utcnow)
    meta = {
        "collection": "reports",
        "indexes": [{"fields": ["kind", "item", "reporter"], "unique": True}],
    }


class ModerationRecord(Document):
    """Who moderated what, when and why (including the automatic steps)."""

    kind = StringField(required=True)
    item = ObjectIdField(required=True)
    by = StringField(required=True)  # a user id, or "system"
    action = StringField(required=True)  # reported, held, hidden, visible
    status_from = StringField()
    status_to = StringField()
    reason = StringField(default="")
    at = DateTimeField(default=utcnow)
    meta = {"collection": "moderation_records", "indexes": [("kind", "item", "at")]}


def record(kind, item_id, by, action, status_from=None, status_to=None, reason=""):
    ModerationRecord(
        kind=kind,
        item=item_id,
        by=str(by),
        action=action,
        status_from=status_from,
        status_to=status_to,
        reason=reason or "",
    ).save()


def add_report(model, kind, item_id, reporter_id, reason, note, threshold):
    """Record one person's report; hide the item when `threshold` distinct people reported it.

    Returns (item document after, hidden_now). A second report by the same person is a
    Conflict.
    """
    try:
        Report(kind=kind, item=item_id, reporter=reporter_id, reason=reason, note=note).save()
    except NotUniqueError:
        raise Conflict(f"you have already reported this {kind}") from None
    col = model._get_collection()
    now = utcnow()
    col.update_one(
        {"_id": item_id, "reporters": {"$ne": reporter_id}},
        {"$push": {"reporters": reporter_id}, "$inc": {"open_reports": 1}},
    )
    col.update_one(
        {"_id": item_id, "queued": {"$ne": True}}, {"$set": {"queued": True, "queued_at": now}}
    )
    hidden = col.update_one(
        {"_id": item_id, "status": "visible", "open_reports": {"$gte": threshold}},
        {"$set": {"status": "hidden", "hold_reason": "reports"}},
    )
    return col.find_one({"_id": item_id}), hidden.modified_count == 1


def decide(model, item_id, status, hold_reason=None):
    """An operator's decision: the new status, the open reports closed, out of the queue.

    Returns the document before the change, or None when there is no such item.
    """
    return model._get_collection().find_one_and_update(
        {"_id": item_id},
        {
            "$set": {
                "status": status,
                "hold_reason": hold_reason,
                "reporters": [],
                "open_reports": 0,
                "queued": False,
            }
        },
    )


def hold_notices(kind, item_id):
    """Hold back the notifications about an item (it is reported, held or hidden)."""
    Notification.objects(subject_kind=kind, subject_id=item_id).update(set__held=True)


def release_notices(kind, item_id):
    """Deliver the held-back notifications about an item cleared by an operator."""
    Notification.objects(subject_kind=kind, subject_id=item_id).update(
        set__held=False, set__created_at=utcnow()
    )
