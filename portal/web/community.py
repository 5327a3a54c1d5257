"""What a signed-in person does on a dataset's page: rate it, comment, reply."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _

from portal.core.errors import InvalidData
from portal.ratelimits import rate_limit
from portal.services.community import comments, ratings
from portal.web import dataset as dataset_page
from portal.web.frame import bp


def login_first(target):
    """A visitor is sent to sign in, and back to `target` after."""
    return redirect(url_for("auth.login", next=target), code=303)


def field_errors(exc, messages):
    """[(field id, message)] for the error summary: our own words for the known fields."""
    found = exc.errors if isinstance(exc.errors, dict) else {}
    out = [(field_id, messages[name]) for name, field_id in _IDS.items() if name in found]
    return out or [(next(iter(_IDS.values())), exc.message)]


_IDS = {"stars": "stars-5", "text": "comment-text", "reply_to": "comment-text"}


@bp.post("/datasets/<ds>/rating")
@rate_limit("community")
def rate(ds):
    """Rate the dataset with 1 to 5 stars, or take the rating back."""
    back = url_for("web.dataset", ds=ds) + "#rating"
    user = g.get("user")
    if user is None:
        return login_first(back)
    raw = request.form.get("stars", "")
    try:
        if request.form.get("withdraw"):
            ratings.withdraw(user, ds)
        else:
            ratings.rate(user, ds, int(raw) if raw.isdigit() else 0)
    except InvalidData as exc:
        errors = field_errors(exc, {"stars": _("Choose from 1 to 5 stars")})
        return dataset_page.page(ds, {}, form_errors=errors), 422
    return redirect(back, code=303)


@bp.post("/datasets/<ds>/comments")
@rate_limit("community")
def comment(ds):
    """Write a comment or a reply (plain text, shown escaped)."""
    back = url_for("web.dataset", ds=ds) + "#comments"
    user = g.get("user")
    if user is None:
        return login_first(back)
    text = request.form.get("text", "")
    reply_to = request.form.get("reply_to") or None
    try:
        comments.post(user, ds, text, reply_to=reply_to, honeypot=request.form.get("website", ""))
    except InvalidData as exc:
        messages = {
            "text": _("Write the comment: from 1 to 2000 characters, at most 3 links"),
            "reply_to": _("The comment you answer is no longer there"),
        }
        errors = field_errors(exc, messages)
        return dataset_page.page(ds, {}, form_errors=errors, comment_text=text), 422
    return redirect(back, code=303)
