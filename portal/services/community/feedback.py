"""Feedback to the portal from anyone, and the operators' inbox."""

from bson import ObjectId

from portal.core import contact
from portal.core.errors import InvalidData, NotFound
from portal.db.community import Feedback
from portal.db.models import utcnow
from portal.services.community import moderation, texts
from portal.services.community.rules import setting
from portal.services.identity.access import require_role
from portal.services.paging import page_of


def feedback_dict(f):
    return {
        "id": str(f.id),
        "full_name": f.full_name,
        "email": f.email,
        "message": f.message,
        "status": f.status,
        "handled": f.handled,
        "reply": f.reply,
        "replied_at": f.replied_at,
        "created_at": f.created_at,
    }


def send(user, full_name, email, message, honeypot=""):
    """Anyone sends {full_name, email, message}; links from strangers wait for review."""
    full_name = texts.clean(full_name, "full_name", 200)
    message = texts.clean(message, "message", 5000)
    address, problem = contact.normalize_email(email, required=True)
    if problem:
        raise InvalidData("the feedback is not valid", {"email": problem})
    hold = texts.screen(
        user, message, "message",
        max_links=setting("COMMUNITY_MAX_LINKS"),
        new_account_hours=setting("COMMUNITY_NEW_ACCOUNT_HOURS"),
    )  # fmt: skip
    if user is None and texts.count_links(message):
        hold = "links from an anonymous sender"
    f = Feedback(
        full_name=full_name,
        email=address,
        message=message,
        user=str(user.id) if user else None,
    )
    f.save()
    if honeypot or hold:
        moderation.hold("feedback", f, "honeypot" if honeypot else hold)
        f.reload()
    return f


def inbox(user, handled=None, page=1, page_size=20):
    """The operators' inbox, newest first; ?handled=true/false filters."""
    require_role(user, "operator")
    qs = Feedback.objects
    if handled is not None:
        qs = qs.filter(handled=handled)
    return page_of(qs.order_by("-created_at"), page, page_size, feedback_dict)


def handle(user, feedback_id, handled, reply=None):
    """Mark a message handled (or not) and keep the reply sent to its author."""
    require_role(user, "operator")
    if not ObjectId.is_valid(str(feedback_id)) or len(str(feedback_id)) != 24:
        raise NotFound(f"no feedback {feedback_id!r}")
    f = Feedback.objects(id=str(feedback_id)).first()
    if f is None:
        raise NotFound(f"no feedback {feedback_id!r}")
    f.handled = handled
    if reply is not None:
        f.reply = texts.clean(reply, "reply", 5000)
        f.replied_by = str(user.id)
        f.replied_at = utcnow()
    f.save()
    return f
