"""Feedback to the portal and the operators' inbox."""

from flask_smorest import Blueprint

from portal.api.context import anonymous_write, current_user
from portal.core.errors import Forbidden
from portal.ratelimits import rate_limit
from portal.services.community import feedback
from schemas.community import (
    FeedbackArgs,
    FeedbackIn,
    FeedbackOut,
    FeedbackPage,
    FeedbackPatch,
    FeedbackReceipt,
)

blp = Blueprint("feedback", __name__, url_prefix="/api/v1", description="Feedback")


def _sender():
    try:
        return current_user()
    except Forbidden:
        return None


@blp.post("/feedback")
@rate_limit("community")
@anonymous_write
@blp.arguments(FeedbackIn)
@blp.response(201, FeedbackReceipt)
def send(data):
    """Send feedback to the portal's operators: full name, e-mail and message (anyone)"""
    f = feedback.send(_sender(), data["full_name"], data["email"], data["message"], data["website"])
    return {"id": str(f.id), "created_at": f.created_at}


@blp.get("/feedback")
@blp.arguments(FeedbackArgs, location="query", unknown=None)
@blp.response(200, FeedbackPage)
def inbox(args):
    """The feedback inbox, newest first; ?handled=true|false (operator)"""
    return feedback.inbox(current_user(), args["handled"], args["page"], args["page_size"])


@blp.patch("/feedback/<feedback_id>")
@blp.arguments(FeedbackPatch)
@blp.response(200, FeedbackOut)
def handle(data, feedback_id):
    """Mark a message handled and keep the reply (operator)"""
    f = feedback.handle(current_user(), feedback_id, data["handled"], data.get("reply"))
    return feedback.feedback_dict(f)
