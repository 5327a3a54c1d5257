"""Feedback messages to the portal's operators."""

from mongoengine import BooleanField, DateTimeField, StringField

from portal.db.community.moderation import Moderated
from portal.db.models import utcnow


class Feedback(Moderated):
    full_name = StringField(required=True)
    email = StringField(required=True)
    message = StringField(required=True)
    user = StringField()  # the signed-in sender's id, if any
    handled = BooleanField(default=False)
    reply = StringField()
    replied_by = StringField()
    replied_at = DateTimeField()
    created_at = DateTimeField(default=utcnow)
    meta = {
        "collection": "feedback",
        "indexes": [("handled", "-created_at"), ("queued", "queued_at")],
    }
