"""Following a dataset to hear of its new versions."""

from flask_smorest import Blueprint

from portal.api.context import current_user
from portal.ratelimits import rate_limit
from portal.services.community import follows
from schemas.community import FollowOut

blp = Blueprint("follows", __name__, url_prefix="/api/v1", description="Following datasets")


@blp.get("/datasets/<ds>/follow")
@blp.response(200, FollowOut)
def state(ds):
    """Whether the caller follows the dataset, and how many do"""
    return follows.state(current_user(), ds)


@blp.put("/datasets/<ds>/follow")
@rate_limit("community")
@blp.response(200, FollowOut)
def follow(ds):
    """Follow a dataset: a notice on each new version, at most once a day (signed-in)"""
    return follows.follow(current_user(), ds)


@blp.delete("/datasets/<ds>/follow")
@rate_limit("community")
@blp.response(200, FollowOut)
def unfollow(ds):
    """Stop following a dataset (signed-in)"""
    return follows.unfollow(current_user(), ds)
