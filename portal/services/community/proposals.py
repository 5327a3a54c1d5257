"""Proposals of new datasets: operators publish them for voting and move them along.

States and moves (portal.core.community.PROPOSAL_MOVES): submitted -> voting | declined
(with a reason); voting -> in_progress (with the organization asked) | declined;
in_progress -> fulfilled (with the dataset). The proposer and every voter are notified of
each move. Only `voting` proposals take votes, one per person.
"""

from bson import ObjectId

from portal.core.community import PROPOSAL_MOVES, PROPOSAL_NEEDS
from portal.core.errors import Conflict, InvalidData, NotFound
from portal.db.community import Proposal
from portal.db.community import proposals as store
from portal.db.models import Organization, Sector, utcnow
from portal.services.community import moderation, notices, texts
from portal.services.community.rules import setting
from portal.services.identity.access import has_role, require_role, require_user
from portal.services.paging import page_of
from portal.services.publishing import datasets

PUBLIC_STATES = ("voting", "in_progress", "fulfilled", "declined")


def proposal_dict(p, voted=None):
    return {
        "id": str(p.id),
        "title": p.title,
        "description": p.description,
        "sector": p.sector,
        "status": p.state,
        "votes": p.votes,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "reason": p.reason,
        "organization": p.organization,
        "dataset": p.dataset,
        "history": [
            {k: v for k, v in h.items() if k in ("state", "at", "reason")} for h in p.history
        ],
        "voted": voted,
    }


def _public(qs):
    """What the public sees: opened for voting once, and not hidden by moderation."""
    return qs.filter(published_at__ne=None, status="visible", state__in=PUBLIC_STATES)


def get(user, proposal_id):
    """A proposal the caller may see (operators and the proposer see it before it is public)."""
    if not ObjectId.is_valid(str(proposal_id)) or len(str(proposal_id)) != 24:
        raise NotFound(f"no proposal {proposal_id!r}")
    p = Proposal.objects(id=str(proposal_id)).first()
    visible = p is not None and (
        (p.published_at and p.status == "visible")
        or has_role(user, "operator")
        or (user is not None and p.proposer == user.id)
    )
    if not visible:
        raise NotFound(f"no proposal {proposal_id!r}")
    return p


def listing(user, status=None, sort="votes", sector=None, page=1, page_size=20, mine=False):
    """Proposals, most voted or newest first; operators see every state (?status=submitted),
    and with `mine` a signed-in person sees their own in every state."""
    qs = Proposal.objects
    if mine:
        qs = qs.filter(proposer=require_user(user).id)
    elif not has_role(user, "operator"):
        qs = _public(qs)
    if status:
        qs = qs.filter(state=status)
    if sector:
        qs = qs.filter(sector=sector)
    order = ("-votes", "-created_at") if sort == "votes" else ("-created_at",)
    voted = set()
    result = page_of(qs.order_by(*order), page, page_size)
    if user is not None and result["items"]:
        voted = store.voted_by(user.id, [p.id for p in result["items"]])
    result["items"] = [
        proposal_dict(p, (p.id in voted) if user is not None else None) for p in result["items"]
    ]
    return result


def submit(user, title, description, sector, honeypot=""):
    """A signed-in person proposes a dataset; it waits for an operator (status submitted)."""
    require_user(user)
    title = texts.clean(title, "title", 300)
    description = texts.clean(description, "description", 5000)
    if not Sector.objects(code=str(sector)).first():
        raise InvalidData("the proposal is not valid", {"sector": f"no sector {sector!r}"})
    limits = {
        "max_links": setting("COMMUNITY_MAX_LINKS"),
        "new_account_hours": setting("COMMUNITY_NEW_ACCOUNT_HOURS"),
        "exempt": has_role(user, "operator"),
    }
    hold = texts.screen(user, title, "title", **limits) or texts.screen(
        user, description, "description", **limits
    )
    now = utcnow()
    p = Proposal(
        title=title,
        description=description,
        sector=sector,
        proposer=user.id,
        proposer_name=user.name or "",
        history=[{"state": "submitted", "at": now, "by": str(user.id)}],
        queued=True,
        queued_at=now,
        hold_reason="awaiting review",
    )
    p.save()
    if honeypot or hold:
        moderation.hold("proposal", p, "honeypot" if honeypot else hold)
        p.reload()
    return p


def _check_move(p, data):
    target = data["status"]
    allowed = PROPOSAL_MOVES[p.state]
    if target not in allowed:
        moves = " or ".join(allowed) if allowed else "nowhere (it is final)"
        raise Conflict(
            "this move is not allowed",
            {"status": f"a {p.state} proposal can move to {moves}, not to {target}"},
        )
    need = PROPOSAL_NEEDS.get(target)
    if need and not data.get(need):
        raise InvalidData("the move is missing a value", {need: f"required to move to {target}"})
    changes = {"state": target}
    if target == "declined":
        changes["reason"] = data["reason"]
    if target == "voting":
        changes["published_at"] = utcnow()
    if target == "in_progress":
        org = data["organization"]
        if not Organization.objects(code=org).first():
            raise InvalidData("the move is not valid", {"organization": f"no organization {org!r}"})
        changes["organization"] = org
    if target == "fulfilled":
        try:
            changes["dataset"] = datasets.find(data["dataset"]).code
        except NotFound:
            raise InvalidData(
                "the move is not valid", {"dataset": f"no dataset {data['dataset']!r}"}
            ) from None
    return changes


_MESSAGES = {
    "voting": "Your proposal \u201c{t}\u201d is open for voting.",
    "declined": "The proposal \u201c{t}\u201d was declined: {reason}",
    "in_progress": "The proposal \u201c{t}\u201d was sent to organization {org}.",
    "fulfilled": "The proposal \u201c{t}\u201d is fulfilled: dataset {ds}.",
}


def move(user, proposal_id, data):
    """An operator moves a proposal; the proposer and every voter are notified."""
    require_role(user, "operator")
    p = get(user, proposal_id)
    changes = _check_move(p, data)
    entry = {"state": changes["state"], "by": str(user.id)}
    if changes.get("reason"):
        entry["reason"] = changes["reason"]
    if store.move(p.id, p.state, changes, entry) is None:
        raise Conflict("the proposal was moved meanwhile", {"status": "reload and try again"})
    if p.state == "submitted":
        Proposal.objects(id=p.id, hold_reason="awaiting review").update_one(
            set__hold_reason=None
        )
        moderation.unqueue_if_clear("proposal", p.id)
    p.reload()
    message = _MESSAGES[p.state].format(
        t=p.title, reason=p.reason or "", org=p.organization or "", ds=p.dataset or ""
    )
    notices.to_people(
        [p.proposer, *store.voters(p.id)], "proposal", message, "proposal", p.id,
        held=p.status != "visible",
    )  # fmt: skip
    return p


def _votable(user, proposal_id):
    require_user(user)
    p = get(user, proposal_id)
    if p.state != "voting":
        raise Conflict(
            "votes are taken only while voting", {"status": f"the proposal is {p.state}"}
        )
    return p


def vote(user, proposal_id):
    """One vote per person while the proposal is open for voting -> {votes}."""
    p = _votable(user, proposal_id)
    if not store.add_vote(p.id, user.id):
        raise Conflict("you have already voted for this proposal", {"vote": "one per person"})
    return {"votes": store.votes_of(p.id)}


def unvote(user, proposal_id):
    """Take the caller's vote back while voting -> {votes}."""
    p = _votable(user, proposal_id)
    if not store.remove_vote(p.id, user.id):
        raise NotFound("you have not voted for this proposal")
    return {"votes": store.votes_of(p.id)}
