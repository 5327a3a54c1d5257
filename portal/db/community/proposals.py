"""Proposals of new datasets and the votes on them."""

from mongoengine import (
    DateTimeField,
    DictField,
    Document,
    IntField,
    ListField,
    NotUniqueError,
    ObjectIdField,
    StringField,
)

from portal.core.community import PROPOSAL_STATES as STATES
from portal.db.community.moderation import Moderated
from portal.db.models import utcnow


class Proposal(Moderated):
    title = StringField(required=True)
    description = StringField(required=True)
    sector = StringField(required=True)
    proposer = ObjectIdField(required=True)
    proposer_name = StringField(default="")
    state = StringField(choices=STATES, default="submitted")
    votes = IntField(default=0)
    reason = StringField()
    organization = StringField()
    dataset = StringField()  # the code of the dataset that fulfilled it
    history = ListField(DictField())  # [{state, at, by, reason?}]
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    published_at = DateTimeField()  # when it opened for voting: public from then on
    meta = {
        "collection": "proposals",
        "indexes": [("state", "-votes"), ("state", "-created_at"), ("queued", "queued_at")],
    }


class ProposalVote(Document):
    proposal = ObjectIdField(required=True)
    user = ObjectIdField(required=True)
    created_at = DateTimeField(default=utcnow)
    meta = {
        "collection": "proposal_votes",
        "indexes": [{"fields": ["proposal", "user"], "unique": True}],
    }


def move(proposal_id, from_state, changes, entry):
    """Move a proposal from `from_state` atomically; None when it is no longer in that state."""
    now = utcnow()
    return Proposal._get_collection().find_one_and_update(
        {"_id": proposal_id, "state": from_state},
        {"$set": {**changes, "updated_at": now}, "$push": {"history": {**entry, "at": now}}},
        return_document=True,
    )


def add_vote(proposal_id, user_id):
    """One vote per person: False when the person has already voted."""
    try:
        ProposalVote(proposal=proposal_id, user=user_id).save()
    except NotUniqueError:
        return False
    Proposal._get_collection().update_one({"_id": proposal_id}, {"$inc": {"votes": 1}})
    return True


def remove_vote(proposal_id, user_id):
    """Take the person's vote back: False when there was none."""
    deleted = ProposalVote._get_collection().delete_one({"proposal": proposal_id, "user": user_id})
    if not deleted.deleted_count:
        return False
    Proposal._get_collection().update_one({"_id": proposal_id}, {"$inc": {"votes": -1}})
    return True


def votes_of(proposal_id):
    doc = Proposal._get_collection().find_one({"_id": proposal_id}, projection={"votes": 1})
    return (doc or {}).get("votes", 0)


def voters(proposal_id):
    """The ids of everyone who voted for the proposal."""
    return [
        d["user"]
        for d in ProposalVote._get_collection().find({"proposal": proposal_id}, {"user": 1})
    ]


def voted_by(user_id, proposal_ids):
    """Which of the proposals the person voted for."""
    found = ProposalVote._get_collection().find(
        {"user": user_id, "proposal": {"$in": list(proposal_ids)}}, {"proposal": 1}
    )
    return {d["proposal"] for d in found}
