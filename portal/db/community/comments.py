"""Comments on datasets: plain text, one level of replies, official answers marked."""

from mongoengine import BooleanField, DateTimeField, ObjectIdField, StringField

from portal.db.community.moderation import Moderated
from portal.db.models import utcnow


class Comment(Moderated):
    dataset = ObjectIdField(required=True)
    dataset_code = StringField()
    organization = StringField()  # the dataset's organization when the comment was written
    author = ObjectIdField(required=True)
    author_name = StringField(default="")
    text = StringField(required=True)
    reply_to = ObjectIdField()
    official = BooleanField(default=False)  # written by a member of the dataset's organization
    question = BooleanField(default=False)  # a top-level comment from outside the organization
    first_answer_at = DateTimeField()  # the first official reply to this question
    created_at = DateTimeField(default=utcnow)
    edited_at = DateTimeField()
    meta = {
        "collection": "comments",
        "indexes": [
            ("dataset", "created_at"),
            "reply_to",
            ("organization", "question"),
            ("queued", "queued_at"),
        ],
    }


def first_visible(dataset_id, limit):
    """Plain documents of a dataset's first `limit` visible comments, oldest first."""
    found = Comment._get_collection().find({"dataset": dataset_id, "status": "visible"})
    return list(found.sort([("created_at", 1), ("_id", 1)]).limit(limit))


def mark_answered(question_id, at):
    """Set the time of the first official answer (only the first one counts)."""
    Comment._get_collection().update_one(
        {"_id": question_id, "first_answer_at": None}, {"$set": {"first_answer_at": at}}
    )


def edit_text(comment_id, author_id, text, not_before, now):
    """Change the text if the author still may (written after `not_before`); True on success."""
    result = Comment._get_collection().update_one(
        {"_id": comment_id, "author": author_id, "created_at": {"$gte": not_before}},
        {"$set": {"text": text, "edited_at": now}},
    )
    return result.matched_count == 1
