"""Who may read hidden data, and what an integration (dataset-scoped) token may do."""

import io

import pytest

from tests.conftest import make_caller
from tests.test_integration import filled_example, get_token

LIB = "4-019-0014"  # the ministry of health's libraries (the `other_author` fixture's)
STATS = "2-001-11072"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HIDDEN_READS = ["", "/rows", "/structure", "/versions", "/data.csv", "/versions/1/data.json"]


def hide(code, **changes):
    """Change a passport in place, stamped as the services stamp every change they make."""
    from portal.db.models import Dataset, utcnow

    changes = {**changes, "updated_at": utcnow()}
    Dataset.objects(code=code).update_one(**{f"set__{k}": v for k, v in changes.items()})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("change", [{"active": False}, {"status": "rejected"}])
def test_hidden_data_needs_an_author_role_in_the_organization(
    client, other_author, operator, admin, change
):
    methodology = client.put(
        f"/api/v1/datasets/{LIB}/methodology",
        data={"file": (io.BytesIO(PDF), "m.pdf")},
        headers=other_author.headers,
        content_type="multipart/form-data",
    )
    assert methodology.status_code == 200, methodology.json
    hide(LIB, **change)
    # A citizen whose OneID legal entity is the ministry: the organization, but no role.
    member = make_caller("citizen@ssv.uz", [], "4-019")
    # An operator of nothing in particular, but the organization set: no author role either.
    reader = make_caller("reader@ssv.uz", ["operator"], "4-019")
    for path in [*HIDDEN_READS, "/methodology"]:
        url = f"/api/v1/datasets/{LIB}{path}"
        assert client.get(url, headers=member.headers).status_code == 404, path
        for allowed in (other_author, operator, admin, reader):
            resp = client.get(url, headers=allowed.headers)
            assert resp.status_code == 200, (path, allowed.user.email, resp.json)


def test_a_disabled_author_sees_no_hidden_data(client, other_author):
    hide(LIB, active=False)
    from portal.services.identity.access import can_see_hidden

    other_author.user.active = False
    assert can_see_hidden(other_author.user, "4-019") is False
    other_author.user.active = True
    assert can_see_hidden(other_author.user, "4-019") is True
    assert can_see_hidden(other_author.user, None) is False


@pytest.mark.wire
def test_an_integration_token_cannot_revoke_tokens(client, admin, author):
    # An admin's integration token, leaked from a ministry's server.
    from portal.db.models import User

    User.objects(id=admin.user.id).update_one(set__organization="2-001")
    integration = get_token(client, admin, STATS)
    victim = client.post(f"/api/v1/users/{author.id}/tokens", json={}, headers=admin.headers)
    resp = client.delete(
        f"/api/v1/tokens/{victim.json['id']}", headers=bearer(integration["token"])
    )
    assert resp.status_code == 403
    assert "integration token" in resp.json["message"]
    assert client.get("/api/v1/me", headers=bearer(victim.json["token"])).status_code == 200


@pytest.mark.wire
def test_an_integration_token_may_only_push(client, author):
    got = get_token(client, author, STATS)
    headers = bearer(got["token"])
    for method, path in [
        ("get", "/api/v1/me"),
        ("get", f"/api/v1/datasets/{STATS}"),
        ("get", f"/api/v1/datasets/{STATS}/rows"),
        ("get", f"/api/v1/datasets/{STATS}/template.xlsx"),
        ("patch", f"/api/v1/datasets/{STATS}"),
        ("post", f"/api/v1/datasets/{STATS}/token"),
        ("get", "/apiClient/main/gettable"),
    ]:
        resp = getattr(client, method)(path, headers=headers, json={} if method != "get" else None)
        assert resp.status_code == 403, (method, path, resp.status_code)
    # In the body or as a bearer header, the push itself works.
    body = filled_example(got["dataset"], got["token"])
    assert client.post("/apiData/MainData/ExternalApi", json=body).status_code == 200
    # A header of another scheme beside the body's token is not the push's credential.
    basic = {"Authorization": "Basic dXNlcjpwYXNz"}
    pushed = client.post("/apiData/MainData/ExternalApi", json=body, headers=basic)
    assert pushed.status_code == 200, pushed.json
    assert client.get("/api/v1/me", headers=basic).status_code == 401
    del body["token"]
    pushed = client.post("/apiData/MainData/ExternalApi", json=body, headers=headers)
    assert pushed.status_code == 200, pushed.json


@pytest.mark.wire
@pytest.mark.parametrize(
    "change",
    [{"roles": []}, {"organization": "4-019"}],
    ids=["lost the author role", "moved to another organization"],
)
def test_a_push_needs_an_author_of_the_organization_still(client, author, change):
    from portal.db.models import Dataset, User

    got = get_token(client, author, STATS)
    User.objects(id=author.user.id).update_one(**{f"set__{k}": v for k, v in change.items()})
    before = Dataset.objects(code=STATS).get().current_version
    resp = client.post(
        "/apiData/MainData/ExternalApi", json=filled_example(got["dataset"], got["token"])
    )
    assert resp.status_code == 403, resp.json
    assert resp.json["success"] is False and "author" in resp.json["message"]
    assert Dataset.objects(code=STATS).get().current_version == before
