"""Ratings of datasets: 1 to 5 stars, one per person, and a Bayesian "top rated" ranking."""

from portal.core.errors import InvalidData
from portal.db.community import ratings as store
from portal.db.models import Dataset
from portal.services.community.rules import setting
from portal.services.identity.access import require_user
from portal.services.publishing import datasets


def _summary(total, count, mine):
    return {
        "average": round(total / count, 2) if count else None,
        "count": count,
        "mine": mine,
    }


def rate(user, ref, stars):
    """Set the caller's stars for a dataset -> {average, count, mine}."""
    require_user(user)
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise InvalidData("the rating is not valid", {"stars": "a whole number from 1 to 5"})
    dataset = datasets.visible(user, ref)
    total, count = store.put(dataset.id, user.id, stars)
    return _summary(total, count, stars)


def withdraw(user, ref):
    """Take back the caller's rating -> {average, count, mine: None}."""
    require_user(user)
    dataset = datasets.visible(user, ref)
    total, count = store.remove(dataset.id, user.id)
    return _summary(total, count, None)


def summary(user, ref):
    """A dataset's average and count, with the caller's own stars (None when not rated)."""
    return summary_of(user, datasets.visible(user, ref))


def summary_of(user, dataset):
    """`summary` of a dataset already found readable (no second read of it)."""
    mine = store.stars_of(dataset.id, user.id) if user is not None else None
    return _summary(dataset.rating_sum, dataset.rating_count, mine)


def bayesian(total, count, mean, weight):
    """The average pulled towards `mean` as if `weight` votes of `mean` had been cast."""
    return (weight * mean + total) / (weight + count)


def top_rated(page=1, page_size=20, weight=None):
    """Public rated datasets ranked by Bayesian average, so one 5-star vote cannot top the list.

    The prior mean is the mean of every rating on the portal; `weight` (RATING_PRIOR_VOTES)
    is how many votes of that mean each dataset starts with. Each item:
    {id, code, title{4}, organization, average, count, score}.
    """
    weight = setting("RATING_PRIOR_VOTES") if weight is None else weight
    rated = Dataset.objects(
        active=True, current_version__gt=0, status__ne="rejected", rating_count__gt=0
    ).only("id", "code", "title", "organization", "rating_sum", "rating_count")
    rows = list(rated)
    votes = sum(d.rating_count for d in rows)
    mean = sum(d.rating_sum for d in rows) / votes if votes else 3.0
    ranked = sorted(
        rows,
        key=lambda d: (-bayesian(d.rating_sum, d.rating_count, mean, weight), -d.rating_count),
    )
    start = (page - 1) * page_size
    items = [
        {
            "id": str(d.id),
            "code": d.code,
            "title": d.title.to_dict(),
            "organization": d.organization,
            "average": round(d.rating_sum / d.rating_count, 2),
            "count": d.rating_count,
            "score": round(bayesian(d.rating_sum, d.rating_count, mean, weight), 4),
        }
        for d in ranked[start : start + page_size]
    ]
    return {"items": items, "total": len(rows), "page": page, "page_size": page_size}
