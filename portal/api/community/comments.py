"""Comments on datasets, with reports and the author's edit."""

from flask_smorest import Blueprint

from portal.api.context import current_user
from portal.ratelimits import rate_limit
from portal.services.community import comments, moderation
from schemas.common import PageArgs
from schemas.community import CommentIn, CommentOut, CommentPage, CommentPatch, ReportIn, ReportOut

blp = Blueprint("comments", __name__, url_prefix="/api/v1", description="Comments on datasets")


@blp.get("/datasets/<ds>/comments")
@blp.arguments(PageArgs, location="query", unknown=None)
@blp.response(200, CommentPage)
def list_comments(args, ds):
    """A dataset's comments and replies, oldest first; hidden ones are absent"""
    return comments.list_for(current_user(), ds, args["page"], args["page_size"])


@blp.post("/datasets/<ds>/comments")
@rate_limit("community")
@blp.arguments(CommentIn)
@blp.response(201, CommentOut)
def post_comment(data, ds):
    """Comment on a dataset, or reply to a comment (signed-in; plain text, 2,000 characters)"""
    return comments.comment_dict(
        comments.post(current_user(), ds, data["text"], data["reply_to"], data["website"])
    )


@blp.patch("/comments/<comment_id>")
@rate_limit("community")
@blp.arguments(CommentPatch)
@blp.response(200, CommentOut)
def patch_comment(data, comment_id):
    """The author edits the text (15 minutes), or an operator shows or hides the comment"""
    user = current_user()
    if "text" in data:
        return comments.comment_dict(comments.edit(user, comment_id, data["text"]))
    item = moderation.decide(user, "comment", comment_id, data["status"], data["reason"])
    return comments.comment_dict(item)


@blp.post("/comments/<comment_id>/reports")
@rate_limit("community")
@blp.arguments(ReportIn)
@blp.response(201, ReportOut)
def report_comment(data, comment_id):
    """Report a comment with a reason; enough distinct reporters hide it (signed-in)"""
    return moderation.report(current_user(), "comment", comment_id, data["reason"], data["note"])
