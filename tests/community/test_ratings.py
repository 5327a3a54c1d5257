"""Ratings: 1..5 per person per dataset, atomic totals, Bayesian top rated."""

import pytest

from tests.community.conftest import CULTURE, STATS, publish_dataset


def rate(client, caller, ds, stars):
    body = {"stars": stars}
    return client.put(f"/api/v1/datasets/{ds}/rating", json=body, headers=caller.headers)


@pytest.mark.wire
def test_rating_replaces_and_withdraws(client, citizen, citizens):
    resp = rate(client, citizen, STATS, 4)
    assert resp.status_code == 200, resp.json
    assert resp.json == {"average": 4.0, "count": 1, "mine": 4}
    assert rate(client, citizens[0], STATS, 2).json == {"average": 3.0, "count": 2, "mine": 2}
    # A new rating by the same person replaces the old one: the count stays.
    assert rate(client, citizen, STATS, 5).json == {"average": 3.5, "count": 2, "mine": 5}
    mine = client.get(f"/api/v1/datasets/{STATS}/rating", headers=citizen.headers).json
    assert mine == {"average": 3.5, "count": 2, "mine": 5}
    public = client.get(f"/api/v1/datasets/{STATS}/rating").json
    assert public == {"average": 3.5, "count": 2, "mine": None}
    passport = client.get(f"/api/v1/datasets/{STATS}").json
    assert passport["rating"] == 3.5 and passport["rating_count"] == 2
    resp = client.delete(f"/api/v1/datasets/{STATS}/rating", headers=citizen.headers)
    assert resp.json == {"average": 2.0, "count": 1, "mine": None}
    # Withdrawing twice changes nothing.
    resp = client.delete(f"/api/v1/datasets/{STATS}/rating", headers=citizen.headers)
    assert resp.json == {"average": 2.0, "count": 1, "mine": None}


@pytest.mark.wire
def test_totals_are_kept_not_recomputed(client, citizen):
    """The dataset's {sum, count} move by each change; the votes are not read back."""
    from portal.db.community import Rating
    from portal.db.models import Dataset

    rate(client, citizen, CULTURE, 3)
    Rating.objects.delete()  # if the average were recomputed from the votes it would vanish
    doc = Dataset.objects(code=CULTURE).first()
    assert (doc.rating_sum, doc.rating_count) == (3, 1)
    assert client.get(f"/api/v1/datasets/{CULTURE}/rating").json["average"] == 3.0


@pytest.mark.parametrize("stars", [0, 6, -1, "5", 4.5, None, True])
def test_stars_outside_one_to_five_refused(client, citizen, stars):
    resp = rate(client, citizen, STATS, stars)
    assert resp.status_code == 422
    assert "stars" in resp.json["errors"]["json"]
    assert client.get(f"/api/v1/datasets/{STATS}/rating").json["count"] == 0


def test_rating_refuses_unknown_fields_and_the_public(client, citizen):
    resp = client.put(
        f"/api/v1/datasets/{STATS}/rating", json={"stars": 3, "weight": 9}, headers=citizen.headers
    )
    assert resp.status_code == 422 and "weight" in resp.json["errors"]["json"]
    assert client.put(f"/api/v1/datasets/{STATS}/rating", json={"stars": 3}).status_code == 401
    assert client.delete(f"/api/v1/datasets/{STATS}/rating").status_code == 401
    assert rate(client, citizen, "no-such-dataset", 3).status_code == 404


@pytest.mark.wire
def test_top_rated_is_bayesian(client, operator, author, citizens):
    """One 5-star vote does not outrank many 4- and 5-star votes."""
    lone = publish_dataset(client, operator, author, "Yakka")
    for caller in citizens:
        rate(client, caller, STATS, 5)
    for caller in citizens[:3]:
        rate(client, caller, CULTURE, 4)
    rate(client, citizens[0], lone, 5)
    top = client.get("/api/v1/ratings/top").json
    assert [i["code"] for i in top["items"]] == [STATS, lone, CULTURE]
    first = top["items"][0]
    assert first["average"] == 5.0 and first["count"] == 5
    assert first["score"] > top["items"][1]["score"]
    assert top["total"] == 3
    resp = client.get("/api/v1/ratings/top?order=stars")
    assert resp.status_code == 400 and "order" in resp.json["errors"]["query"]
