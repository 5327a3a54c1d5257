"""Proposals of new datasets, their moves and votes."""

from flask_smorest import Blueprint

from portal.api.context import current_user
from portal.ratelimits import rate_limit
from portal.services.community import moderation, proposals
from schemas.community import (
    ProposalArgs,
    ProposalIn,
    ProposalOut,
    ProposalPage,
    ProposalPatch,
    ReportIn,
    ReportOut,
    VotesOut,
)

blp = Blueprint("proposals", __name__, url_prefix="/api/v1", description="Dataset proposals")


@blp.get("/proposals")
@blp.arguments(ProposalArgs, location="query", unknown=None)
@blp.response(200, ProposalPage)
def list_proposals(args):
    """Proposals open for voting and later; ?status=, ?sector=, ?sort=votes|recent, ?mine=1"""
    return proposals.listing(
        current_user(),
        status=args["status"],
        sort=args["sort"],
        sector=args["sector"],
        page=args["page"],
        page_size=args["page_size"],
        mine=args["mine"],
    )


@blp.post("/proposals")
@rate_limit("community")
@blp.arguments(ProposalIn)
@blp.response(201, ProposalOut)
def propose(data):
    """Propose a new dataset; an operator reviews it before it is public (signed-in)"""
    p = proposals.submit(
        current_user(), data["title"], data["description"], data["sector"], data["website"]
    )
    return proposals.proposal_dict(p)


@blp.get("/proposals/<proposal_id>")
@blp.response(200, ProposalOut)
def get_proposal(proposal_id):
    """One proposal"""
    return proposals.proposal_dict(proposals.get(current_user(), proposal_id))


@blp.patch("/proposals/<proposal_id>")
@blp.arguments(ProposalPatch)
@blp.response(200, ProposalOut)
def move_proposal(data, proposal_id):
    """Move a proposal to its next state; the proposer and voters are notified (operator)"""
    return proposals.proposal_dict(proposals.move(current_user(), proposal_id, data))


@blp.post("/proposals/<proposal_id>/votes")
@rate_limit("community")
@blp.response(200, VotesOut)
def vote(proposal_id):
    """Vote for a proposal open for voting; one vote per person (signed-in)"""
    return proposals.vote(current_user(), proposal_id)


@blp.delete("/proposals/<proposal_id>/votes")
@rate_limit("community")
@blp.response(200, VotesOut)
def unvote(proposal_id):
    """Take back one's vote while the proposal is open for voting (signed-in)"""
    return proposals.unvote(current_user(), proposal_id)


@blp.post("/proposals/<proposal_id>/reports")
@rate_limit("community")
@blp.arguments(ReportIn)
@blp.response(201, ReportOut)
def report_proposal(data, proposal_id):
    """Report a proposal with a reason; enough distinct reporters hide it (signed-in)"""
    user = current_user()
    proposals.get(user, proposal_id)
    return moderation.report(user, "proposal", proposal_id, data["reason"], data["note"])
