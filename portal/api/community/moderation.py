"""The operators' moderation queue across comments, proposals and feedback."""

from flask_smorest import Blueprint

from portal.api.context import current_user
from portal.core.errors import NotFound
from portal.services.community import comments, moderation
from schemas.community import (
    AnswerFiguresList,
    DecisionIn,
    DecisionOut,
    ModerationArgs,
    ModerationHistory,
    QueuePage,
)

blp = Blueprint("moderation", __name__, url_prefix="/api/v1", description="Moderation")


def _kind(kind):
    if kind not in moderation.KINDS:
        raise NotFound(f"no kind {kind!r}: one of {', '.join(moderation.KINDS)}")
    return kind


@blp.get("/moderation")
@blp.arguments(ModerationArgs, location="query", unknown=None)
@blp.response(200, QueuePage)
def queue(args):
    """Everything reported, held or awaiting review; ?kind=, ?status=, ?reason= (operator)"""
    return moderation.queue(
        current_user(),
        kind=args["kind"],
        status=args["status"],
        reason=args["reason"],
        page=args["page"],
        page_size=args["page_size"],
    )


@blp.post("/moderation/<kind>/<item_id>")
@blp.arguments(DecisionIn)
@blp.response(200, DecisionOut)
def decide(data, kind, item_id):
    """Decide on an item: visible (restore) or hidden, with the reason recorded (operator)"""
    item = moderation.decide(current_user(), _kind(kind), item_id, data["status"], data["reason"])
    return {"kind": kind, "id": str(item.id), "status": item.status}


@blp.get("/moderation/<kind>/<item_id>")
@blp.response(200, ModerationHistory)
def history(kind, item_id):
    """Who reported or moderated the item, when and why (operator)"""
    return {"items": moderation.history(current_user(), _kind(kind), item_id)}


@blp.get("/community/answers")
@blp.response(200, AnswerFiguresList)
def answer_figures():
    """Per organization: questions asked, share answered officially, median hours to answer"""
    return {"items": comments.answer_figures()}
