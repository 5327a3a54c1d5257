"""HTTP face of the community: ratings, comments, moderation, proposals, feedback, survey."""

from portal.api.community import (
    comments,
    feedback,
    follows,
    moderation,
    proposals,
    ratings,
    survey,
)

BLUEPRINTS = [
    ratings.blp,
    comments.blp,
    moderation.blp,
    proposals.blp,
    feedback.blp,
    survey.blp,
    follows.blp,
]
