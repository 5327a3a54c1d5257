"""HTTP face of the community: ratings, comments, moderation, proposals, feedback, survey."""

from portal.api.community import comments, moderation, ratings

BLUEPRINTS = [
    ratings.blp,
    comments.blp,
    moderation.blp,
]
