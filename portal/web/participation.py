"""The public's own pages: proposals of new datasets (list, propose, vote), feedback, survey."""

import secrets

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.core.errors import Conflict, InvalidData
from portal.ratelimits import rate_limit
from portal.services.community import feedback, proposals, survey
from portal.services.discovery import labels
from portal.web import args as query
from portal.web.frame import bp
from portal.web.listing import paging

STATES = ("voting", "in_progress", "fulfilled", "declined")
SURVEY_COOKIE = "ochiq_survey_page"
PAGE_SIZE = 20


def _errors(exc, ids, messages):
    """[(field id, message)] in our words for the fields the service named."""
    named = exc.errors if isinstance(exc.errors, dict) else {}
    out = [(ids[k], messages[k]) for k in ids if k in named]
    return out or [(next(iter(ids.values())), exc.message)]


def _check(form, ids, messages, send):
    """Every empty field is told at once; then the service judges the rest."""
    missing = [(ids[k], messages[k]) for k in ids if not form.get(k, "").strip()]
    if missing:
        return missing
    try:
        send()
    except InvalidData as exc:
        return _errors(exc, ids, messages)
    return []


@bp.get("/proposals")
def proposals_page():
    """Proposals of new datasets: open for voting first, most voted first."""
    params = query.read({"status": STATES, "sort": ("votes", "recent"), "page": int, "sent": str})
    found = proposals.listing(
        g.get("user"), status=params["status"], sort=params["sort"],
        page=params["page"], page_size=PAGE_SIZE,
    )  # fmt: skip
    return render_template(
        "community/proposals.html",
        items=found["items"],
        paging=paging(params["page"], found["total"], PAGE_SIZE),
        params=params,
        states=STATES,
        sectors=labels.sectors(),
    )


@bp.post("/proposals/<pid>/vote")
@rate_limit("community")
def vote(pid):
    """Vote for a proposal, or take the vote back."""
    back = url_for("web.proposals_page") + f"#p-{pid}"
    user = g.get("user")
    if user is None:
        return redirect(url_for("auth.login", next=back), code=303)
    if request.form.get("undo"):
        proposals.unvote(user, pid)
    else:
        proposals.vote(user, pid)
    return redirect(back, code=303)


@bp.route("/proposals/new", methods=["GET", "POST"])
@rate_limit("community", methods=['POST'])
def propose():
    """Ask for a dataset the portal does not have yet: title, description, sector."""
    user = g.get("user")
    if user is None:
        return redirect(url_for("auth.login", next=url_for("web.propose")), code=303)
    form, errors = {}, []
    if request.method == "POST":
        form = {k: request.form.get(k, "") for k in ("title", "description", "sector")}
        errors = _check(
            form,
            {"title": "title", "description": "description", "sector": "sector"},
            {
                "title": _("Enter the title of the dataset (at most 300 characters)"),
                "description": _("Describe the data (at most 5000 characters, 3 links)"),
                "sector": _("Choose the sector"),
            },
            lambda: proposals.submit(user, honeypot=request.form.get("website", ""), **form),
        )
        if not errors:
            return redirect(url_for("web.proposals_page", sent="1"), code=303)
    html = render_template(
        "community/propose.html", form=form, form_errors=errors, sectors=labels.sectors()
    )
    return html, 422 if errors else 200


@bp.route("/feedback", methods=["GET", "POST"])
@rate_limit("community", methods=['POST'])
def feedback_page():
    """Send the operators a suggestion or a remark: full name, e-mail, message."""
    form, errors, sent = {}, [], request.args.get("sent") == "1"
    if request.method == "POST":
        form = {k: request.form.get(k, "") for k in ("full_name", "email", "message")}
        errors = _check(
            form,
            {"full_name": "full_name", "email": "email", "message": "message"},
            {
                "full_name": _("Enter your full name"),
                "email": _("Enter an e-mail address like name@example.uz"),
                "message": _("Write your message (at most 5000 characters)"),
            },
            lambda: feedback.send(g.get("user"), honeypot=request.form.get("website", ""), **form),
        )
        if not errors:
            return redirect(url_for("web.feedback_page", sent="1"), code=303)
    html = render_template("community/feedback.html", form=form, form_errors=errors, sent=sent)
    return html, 422 if errors else 200


@bp.route("/survey", methods=["GET", "POST"])
@rate_limit("community", methods=['POST'])
def survey_page():
    """The user survey: one answer per browser in a period."""
    questions = survey.questions()["questions"]
    errors, chosen, sent = [], {}, request.args.get("sent") == "1"
    if request.method == "POST":
        answers = {}
        for q in questions:
            value = request.form.get(f"q-{q['id']}", "")
            chosen[q["id"]] = value
            if value == "other":
                answers[q["id"]] = {"other": request.form.get(f"q-{q['id']}-other", "")}
            elif value:
                answers[q["id"]] = value
        cookie = request.cookies.get(SURVEY_COOKIE, "")
        if not 16 <= len(cookie) <= 64:
            cookie = secrets.token_urlsafe(24)
        try:
            if not answers:
                raise InvalidData("no answers", {"answers": {}})
            survey.answer(cookie, answers)
        except Conflict:
            errors = [
                (f"q-{questions[0]['id']}-0", _("This browser has answered the survey already"))
            ]
        except InvalidData as exc:
            named = (exc.errors or {}).get("answers") or {}
            errors = [
                (f"q-{q['id']}-0", _("Answer this question or write your own answer"))
                for q in questions
                if q["id"] in named or (not answers and q is questions[0])
            ]
        else:
            response = redirect(url_for("web.survey_page", sent="1"), code=303)
            response.set_cookie(
                SURVEY_COOKIE, cookie, max_age=365 * 86400, httponly=True, samesite="Lax"
            )
            return response
    html = render_template(
        "community/survey.html", questions=questions, form_errors=errors, chosen=chosen, sent=sent
    )
    return html, 422 if errors else 200
