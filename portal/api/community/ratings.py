"""Ratings of datasets and the top-rated list."""

from flask_smorest import Blueprint

from portal.api.context import current_user
from portal.ratelimits import rate_limit
from portal.services.community import ratings
from schemas.common import PageArgs
from schemas.community import RatingIn, RatingOut, TopRatedPage

blp = Blueprint("ratings", __name__, url_prefix="/api/v1", description="Ratings of datasets")


@blp.get("/datasets/<ds>/rating")
@blp.response(200, RatingOut)
def get_rating(ds):
    """A dataset's average rating and count, with the caller's own stars"""
    return ratings.summary(current_user(), ds)


@blp.put("/datasets/<ds>/rating")
@rate_limit("community")
@blp.arguments(RatingIn)
@blp.response(200, RatingOut)
def put_rating(data, ds):
    """Rate a dataset 1 to 5; a new rating replaces the caller's earlier one (signed-in)"""
    return ratings.rate(current_user(), ds, data["stars"])


@blp.delete("/datasets/<ds>/rating")
@rate_limit("community")
@blp.response(200, RatingOut)
def delete_rating(ds):
    """Withdraw the caller's rating (signed-in)"""
    return ratings.withdraw(current_user(), ds)


@blp.get("/ratings/top")
@blp.arguments(PageArgs, location="query", unknown=None)
@blp.response(200, TopRatedPage)
def top_rated(args):
    """Top rated datasets by Bayesian average (a single vote cannot top the list)"""
    return ratings.top_rated(args["page"], args["page_size"])
