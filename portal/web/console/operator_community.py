"""The operator's community work: the moderation queue, proposals, the feedback inbox and the
survey's results, on the community services."""

from flask import g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.community import MODERATED_KINDS, PROPOSAL_MOVES
from portal.core.errors import NotFound, PortalError
from portal.services.community import feedback, moderation, proposals, survey
from portal.services.discovery import labels
from portal.web import args as query
from portal.web.console import add_nav, done, form_page, see_other, signed_in
from portal.web.console.operator_forms import judge, kept, refused
from portal.web.frame import bp
from portal.web.listing import paging
from schemas.community import DecisionIn, FeedbackPatch, ProposalPatch

PAGE_SIZE = 20
STATES = tuple(PROPOSAL_MOVES)

add_nav("console_operator_moderation", _l("Moderation"), roles=("operator",), order=220)
add_nav("console_operator_proposals", _l("Proposals"), roles=("operator",), order=225)
add_nav("console_operator_feedback", _l("Feedback"), roles=("operator",), order=230)
add_nav("console_operator_survey", _l("Survey results"), roles=("operator",), order=240)


def state_names():
    return {
        "submitted": _("Awaiting review"),
        "voting": _("Open for voting"),
        "in_progress": _("Sent to an organization"),
        "fulfilled": _("Fulfilled"),
        "declined": _("Declined"),
    }


def _moderation_params():
    return query.read({"kind": ("",) + MODERATED_KINDS,
                       "status": ("", "held", "visible", "hidden"), "page": int})  # fmt: skip


def _last_page_if_past(params, found, fetch):
    """A page past the end (its last items were decided): the last page instead."""
    last = max(1, -(-found["total"] // PAGE_SIZE))
    if not found["items"] and params["page"] > last:
        params["page"] = last
        return fetch()
    return found


def _moderation_page(errors=(), typed=None):
    params = _moderation_params()
    g.list_path = url_for("web.console_operator_moderation")

    def fetch():
        return moderation.queue(g.user, kind=params["kind"] or None,
                                status=params["status"] or None, page=params["page"],
                                page_size=PAGE_SIZE)  # fmt: skip

    found = _last_page_if_past(params, fetch(), fetch)
    html = render_template(
        "console/operator/moderation.html", items=found["items"], params=params,
        paging=paging(params["page"], found["total"], PAGE_SIZE), kinds=MODERATED_KINDS,
        form_errors=list(errors), typed=typed or {}, kept=kept(params),
    )  # fmt: skip
    return form_page(html, errors)


@bp.get("/console/operator/moderation", endpoint="console_operator_moderation")
@signed_in("operator")
def operator_moderation():
    """Everything reported, held or awaiting review: comments, proposals, feedback."""
    return _moderation_page()


@bp.post("/console/operator/moderation/<item_kind>/<item_id>", endpoint="console_operator_decide")
@signed_in("operator")
def operator_decide(item_kind, item_id):
    """Show or hide a reported or held item, with a reason; the queue comes back with the
    filters and page of the action's query (the list the form was on)."""
    kind = item_kind
    back = kept(_moderation_params())
    if kind not in MODERATED_KINDS:
        raise NotFound(f"no kind {kind[:40]!r}: one of {', '.join(MODERATED_KINDS)}")
    form = {"status": request.form.get("status", ""), "reason": request.form.get("reason", "")}
    fid = f"reason-{item_id}"
    ours = {"status": _("Choose to show or to hide it"), "reason": _("At most 1000 characters")}
    data, errors = judge(DecisionIn, form, ours, fid)
    if not errors:
        try:
            moderation.decide(g.user, kind, item_id, data["status"], data["reason"])
        except PortalError as exc:
            errors = refused(exc, ours, fid)
    if errors:
        return _moderation_page([(fid, msg) for _id, msg in errors], {fid: form["reason"]})
    done(_("Shown.") if data["status"] == "visible" else _("Hidden."))
    return see_other("web.console_operator_moderation", **back)


def _proposals_page(errors=(), typed=None, state=None):
    params = query.read({"status": STATES, "page": int})
    g.list_path = url_for("web.console_operator_proposals")
    if state and state != params["status"]:  # a failed move: the list of the proposal's state
        params.update(status=state, page=1)
    found = proposals.listing(g.user, status=params["status"], sort="recent",
                              page=params["page"], page_size=PAGE_SIZE)  # fmt: skip
    html = render_template(
        "console/operator/proposals.html", items=found["items"], params=params, states=STATES,
        state_names=state_names(), moves=PROPOSAL_MOVES, sectors=labels.sectors(),
        organizations=labels.organizations(), form_errors=list(errors), typed=typed or {},
        paging=paging(params["page"], found["total"], PAGE_SIZE), kept=kept(params, {}),
    )  # fmt: skip
    return form_page(html, errors)


@bp.get("/console/operator/proposals", endpoint="console_operator_proposals")
@signed_in("operator")
def operator_proposals():
    """Proposals in every state, newest first: awaiting review by default."""
    return _proposals_page()


@bp.post("/console/operator/proposals/<pid>", endpoint="console_operator_move")
@signed_in("operator")
def operator_move(pid):
    """Publish for voting, decline with a reason, ask an organization, mark fulfilled."""
    form = {k: request.form.get(k, "").strip() for k in ("status", "reason", "organization",
                                                          "dataset")}  # fmt: skip
    sent = {k: v for k, v in form.items() if v}
    ours = {
        "status": _("Choose what happens to the proposal"),
        "reason": _("Write the reason for declining (at most 2000 characters)"),
        "organization": _("Choose the organization to ask"),
        "dataset": _("Enter the ID of the dataset that fulfils it, like 2-001-11072"),
    }
    ids = {k: f"{k}-{pid}" for k in ours}
    data, errors = judge(ProposalPatch, sent, ours, ids["status"])
    if not errors:
        try:
            proposals.move(g.user, pid, data)
        except PortalError as exc:
            errors = refused(exc, ours, "status")
    if errors:
        listed = [(ids.get(fid.split("-")[0], fid), msg) for fid, msg in errors]
        state = proposals.get(g.user, pid).state
        return _proposals_page(listed, {ids[k]: v for k, v in form.items()}, state)
    done(_("The proposal is now: %(state)s. Its proposer and voters were notified.",
           state=state_names()[data["status"]]))  # fmt: skip
    return see_other("web.console_operator_proposals", status=data["status"])


def _feedback_params():
    return query.read({"handled": ("", "0", "1"), "page": int})


def _feedback_page(errors=(), typed=None):
    params = _feedback_params()
    g.list_path = url_for("web.console_operator_feedback")
    handled = {"": None, "0": False, "1": True}[params["handled"]]

    def fetch():
        return feedback.inbox(g.user, handled=handled, page=params["page"], page_size=PAGE_SIZE)

    found = _last_page_if_past(params, fetch(), fetch)
    html = render_template(
        "console/operator/feedback.html", items=found["items"], params=params,
        paging=paging(params["page"], found["total"], PAGE_SIZE),
        form_errors=list(errors), typed=typed or {}, kept=kept(params),
    )  # fmt: skip
    return form_page(html, errors)


@bp.get("/console/operator/feedback", endpoint="console_operator_feedback")
@signed_in("operator")
def operator_feedback():
    """The feedback inbox, newest first."""
    return _feedback_page()


@bp.post("/console/operator/feedback/<fid>", endpoint="console_operator_handle")
@signed_in("operator")
def operator_handle(fid):
    """Mark a message handled (or not), keeping the reply sent to its author; the inbox comes
    back with the filter and page of the action's query."""
    back = kept(_feedback_params())
    reply = request.form.get("reply", "")
    body = {"handled": request.form.get("handled") == "1"}
    if reply.strip():
        body["reply"] = reply
    field = f"reply-{fid}"
    ours = {"reply": _("At most 5000 characters")}
    data, errors = judge(FeedbackPatch, body, ours, field)
    if not errors:
        try:
            feedback.handle(g.user, fid, data["handled"], data.get("reply"))
        except PortalError as exc:
            errors = refused(exc, ours, field)
    if errors:
        return _feedback_page([(field, msg) for _id, msg in errors], {field: reply})
    done(_("Marked handled.") if data["handled"] else _("Marked not handled."))
    return see_other("web.console_operator_feedback", **back)


@bp.get("/console/operator/survey", endpoint="console_operator_survey")
@signed_in("operator")
def operator_survey():
    """The survey's results: counts per option, the latest answers of one's own."""
    query.read({})
    return render_template("console/operator/survey.html", results=survey.results(g.user))
