"""The audit of roles: who granted or withdrew which role of whom, and when."""

from mongoengine import DateTimeField, Document, ListField, ObjectIdField, StringField

from portal.db.models import utcnow


class RoleChange(Document):
    """One change of a person's roles; names are copied so the record outlives renames."""

    actor = ObjectIdField()  # None for the command line (bootstrap admin)
    actor_name = StringField(default="")
    actor_email = StringField()
    user = ObjectIdField(required=True)
    user_name = StringField(default="")
    user_email = StringField()
    organization = StringField()  # the person's organization when the change was made
    granted = ListField(StringField())
    withdrawn = ListField(StringField())
    at = DateTimeField(default=utcnow)
    meta = {
        "collection": "role_changes",
        "indexes": ["-at", ("organization", "-at"), ("user", "-at")],
    }
