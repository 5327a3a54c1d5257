"""Documents of the community: ratings, comments, reports and moderation, proposals, feedback,
survey answers and follows."""

from portal.db.community.comments import Comment
from portal.db.community.feedback import Feedback
from portal.db.community.follows import Follow, FollowNotice
from portal.db.community.moderation import ModerationRecord, Report
from portal.db.community.proposals import Proposal, ProposalVote
from portal.db.community.ratings import Rating
from portal.db.community.survey import SurveyAnswer, SurveyQuestion

DOCUMENTS = (
    Rating,
    Comment,
    Report,
    ModerationRecord,
    Proposal,
    ProposalVote,
    Feedback,
    SurveyQuestion,
    SurveyAnswer,
    Follow,
    FollowNotice,
)


def ensure_indexes():
    """Create the declared indexes (idempotent; runs at start-up)."""
    for doc in DOCUMENTS:
        doc.ensure_indexes()
