"""Comments on datasets: plain text, one level of replies, official answers, answer figures."""

from datetime import timedelta
from statistics import median

from bson import ObjectId

from portal.core.errors import Forbidden, InvalidData, NotFound
from portal.db.community import Comment
from portal.db.community import comments as store
from portal.db.models import utcnow
from portal.services.community import moderation, notices, texts
from portal.services.community.rules import setting
from portal.services.identity.access import has_role, require_user
from portal.services.paging import page_of
from portal.services.publishing import datasets

MAX_LENGTH = 2000


def comment_dict(comment):
    """The public view of a comment."""
    return {
        "id": str(comment.id),
        "text": comment.text,
        "author_name": comment.author_name,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "reply_to": str(comment.reply_to) if comment.reply_to else None,
        "official": comment.official,
        "status": comment.status,
    }


def list_for(user, ref, page=1, page_size=20):
    """A dataset's visible comments, oldest first (replies come in the same list)."""
    dataset = datasets.visible(user, ref)
    qs = Comment.objects(dataset=dataset.id, status="visible").order_by("created_at", "id")
    return page_of(qs, page, page_size, comment_dict)


def first_of(dataset, limit):
    """The first `limit` visible comments of a dataset already found readable (its passport
    shows them), oldest first: one read of plain documents, no total counted; the same
    fields as `comment_dict`."""
    return [{
        "id": str(doc["_id"]), "text": doc["text"], "author_name": doc.get("author_name", ""),
        "created_at": doc.get("created_at"), "edited_at": doc.get("edited_at"),
        "reply_to": str(doc["reply_to"]) if doc.get("reply_to") else None,
        "official": doc.get("official", False), "status": doc.get("status", "visible"),
    } for doc in store.first_visible(dataset.id, limit)]  # fmt: skip


def _member(user, dataset):
    return bool(user.organization) and user.organization == dataset.organization


def _parent(dataset, reply_to):
    if reply_to is None:
        return None
    problem = {"reply_to": f"no comment {reply_to!r} on this dataset"}
    if not ObjectId.is_valid(str(reply_to)) or len(str(reply_to)) != 24:
        raise InvalidData("the comment is not valid", problem)
    parent = Comment.objects(id=str(reply_to), dataset=dataset.id, status="visible").first()
    if parent is None:
        raise InvalidData("the comment is not valid", problem)
    if parent.reply_to is not None:
        raise InvalidData(
            "the comment is not valid",
            {"reply_to": "replies go one level deep: reply to the first comment of the thread"},
        )
    return parent


def post(user, ref, text, reply_to=None, honeypot=""):
    """Write a comment (or a reply) on a dataset; its organization's authors are notified."""
    require_user(user)
    dataset = datasets.visible(user, ref)
    text = texts.clean(text, "text", MAX_LENGTH)
    parent = _parent(dataset, reply_to)
    official = _member(user, dataset)
    hold = texts.screen(
        user,
        text,
        "text",
        max_links=setting("COMMUNITY_MAX_LINKS"),
        new_account_hours=setting("COMMUNITY_NEW_ACCOUNT_HOURS"),
        exempt=official or has_role(user, "operator"),
    )
    if honeypot:
        hold = "honeypot"
    comment = Comment(
        dataset=dataset.id,
        dataset_code=dataset.code,
        organization=dataset.organization,
        author=user.id,
        author_name=user.name or "",
        text=text,
        reply_to=parent.id if parent else None,
        official=official,
        question=parent is None and not official,
    )
    comment.save()
    if hold:
        moderation.hold("comment", comment, hold)
        comment.reload()
    if official and parent is not None and parent.question and not hold:
        store.mark_answered(parent.id, comment.created_at)
    if not official:
        notices.to_organization(
            dataset,
            "comment",
            f"New comment on dataset {dataset.code} by {comment.author_name}: {text[:200]}",
            "comment",
            comment.id,
            held=bool(hold),
        )
    return comment


def get(comment_id):
    if not ObjectId.is_valid(str(comment_id)) or len(str(comment_id)) != 24:
        raise NotFound(f"no comment {comment_id!r}")
    comment = Comment.objects(id=str(comment_id)).first()
    if comment is None:
        raise NotFound(f"no comment {comment_id!r}")
    return comment


def edit(user, comment_id, text):
    """The author changes the text within COMMUNITY_EDIT_MINUTES of writing it."""
    require_user(user)
    comment = get(comment_id)
    if comment.author != user.id:
        raise Forbidden("only the author may change a comment's text")
    text = texts.clean(text, "text", MAX_LENGTH)
    texts.screen(
        user, text, "text", max_links=setting("COMMUNITY_MAX_LINKS"),
        new_account_hours=setting("COMMUNITY_NEW_ACCOUNT_HOURS"), exempt=True,
    )  # fmt: skip
    minutes = setting("COMMUNITY_EDIT_MINUTES")
    now = utcnow()
    if not store.edit_text(comment.id, user.id, text, now - timedelta(minutes=minutes), now):
        raise Forbidden(f"a comment may be edited for {minutes} minutes after it is written")
    comment.reload()
    return comment


def answer_figures(organization=None):
    """Per organization: how many questions were asked, the share answered officially and the
    median time to the first official answer.

    A question is a visible top-level comment by someone outside the dataset's organization;
    it is answered when a member of the organization replies. Returns a list of
    {organization, questions, answered, share_answered (0..1 or None),
    median_hours_to_answer (or None)}, sorted by organization code.
    """
    qs = Comment.objects(question=True, status="visible")
    if organization:
        qs = qs.filter(organization=organization)
    per_org = {}
    for c in qs.only("organization", "created_at", "first_answer_at"):
        per_org.setdefault(c.organization, []).append(c)
    figures = []
    for org, questions in sorted(per_org.items()):
        waits = [
            (c.first_answer_at - c.created_at).total_seconds() / 3600
            for c in questions
            if c.first_answer_at
        ]
        figures.append(
            {
                "organization": org,
                "questions": len(questions),
                "answered": len(waits),
                "share_answered": round(len(waits) / len(questions), 4) if questions else None,
                "median_hours_to_answer": round(median(waits), 2) if waits else None,
            }
        )
    return figures
