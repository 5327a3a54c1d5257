"""The organization's administrator: an admin gives the role for one organization; its holder
grants and withdraws the author role for that organization's people only; every change of
roles is recorded (who, whom, what, when)."""

from tests.conftest import Caller
from tests.helpers import ml


def _person(client, admin, email, organization="2-001", roles=()):
    resp = client.post(
        "/api/v1/users",
        json={"email": email, "name": email.split("@")[0], "organization": organization,
              "roles": list(roles)},
        headers=admin.headers,
    )  # fmt: skip
    assert resp.status_code == 201, resp.json
    return resp.json


def _org_admin(client, admin, organization="2-001"):
    """A person of the organization whom the admin makes its administrator over the API."""
    from portal.db.models import User
    from portal.services.identity import tokens

    person = _person(client, admin, f"boss@{organization}.uz", organization)
    made = client.patch(
        f"/api/v1/users/{person['id']}", json={"roles": ["org_admin"]}, headers=admin.headers
    )
    assert made.status_code == 200, made.json
    assert made.json["roles"] == ["org_admin"] and made.json["organization"] == organization
    user = User.objects(id=person["id"]).get()
    _, token = tokens.issue(user)
    return Caller(user, token)


def test_org_admin_grants_and_withdraws_author_in_their_organization(client, admin):
    boss = _org_admin(client, admin)
    person = _person(client, admin, "clerk@stat.uz")

    granted = client.patch(
        f"/api/v1/users/{person['id']}", json={"roles": ["author"]}, headers=boss.headers
    )
    assert granted.status_code == 200, granted.json
    assert granted.json["roles"] == ["author"]
    seen = client.get(f"/api/v1/users/{person['id']}", headers=admin.headers).json
    assert seen["roles"] == ["author"]

    # the new author may now work on the organization's datasets
    from portal.db.models import User
    from portal.services.identity import tokens

    _, token = tokens.issue(User.objects(id=person["id"]).get())
    edit = client.patch(
        "/api/v1/datasets/2-001-11072",
        json={"legal_basis": "Law 1"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert edit.status_code == 200, edit.json

    withdrawn = client.patch(
        f"/api/v1/users/{person['id']}", json={"roles": []}, headers=boss.headers
    )
    assert withdrawn.status_code == 200 and withdrawn.json["roles"] == []
    edit = client.patch(
        "/api/v1/datasets/2-001-11072",
        json={"legal_basis": "Law 2"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert edit.status_code == 403

    audit = client.get(
        "/api/v1/role-changes", query_string={"user": person["id"]}, headers=admin.headers
    ).json
    assert audit["total"] == 2
    last, first = audit["items"]
    assert first["granted"] == ["author"] and first["withdrawn"] == []
    assert last["granted"] == [] and last["withdrawn"] == ["author"]
    for change in audit["items"]:
        assert change["actor"] == boss.id and change["actor_email"] == "boss@2-001.uz"
        assert change["user_email"] == "clerk@stat.uz" and change["organization"] == "2-001"
        assert change["at"]
    assert first["at"] <= last["at"]


def test_org_admin_is_refused_everything_else(client, admin, author, other_author):
    boss = _org_admin(client, admin)
    person = _person(client, admin, "clerk@stat.uz")
    outsider = _person(client, admin, "clerk@ssv.uz", organization="4-019")
    cases = [
        (person["id"], {"roles": ["operator"]}, "not operator"),
        (person["id"], {"roles": ["author", "org_admin"]}, "not org_admin"),
        (person["id"], {"name": "Renamed"}, "only the author role, not 'name'"),
        (person["id"], {"roles": ["author"], "organization": "4-019"}, "'organization'"),
        (person["id"], {"active": False}, "'active'"),
        (outsider["id"], {"roles": ["author"]}, "not of your organization 2-001"),
        (other_author.id, {"roles": []}, "not of your organization 2-001"),
    ]
    for user_id, body, message in cases:
        resp = client.patch(f"/api/v1/users/{user_id}", json=body, headers=boss.headers)
        assert resp.status_code == 403, (body, resp.json)
        assert message in resp.json["message"], (body, resp.json["message"])
    # an admin of the same organization stays out of reach
    chief = _person(client, admin, "chief@stat.uz", roles=["admin"])
    resp = client.patch(f"/api/v1/users/{chief['id']}", json={"roles": ["admin", "author"]},
                        headers=boss.headers)  # fmt: skip
    assert resp.status_code == 403 and "admin" in resp.json["message"]
    # nothing changed, nothing recorded
    assert client.get(f"/api/v1/users/{person['id']}", headers=admin.headers).json["roles"] == []
    audit = client.get(
        "/api/v1/role-changes", query_string={"user": person["id"]}, headers=admin.headers
    ).json
    assert audit["total"] == 0
    # an org admin is not an author, nor anything else
    resp = client.patch(
        "/api/v1/datasets/2-001-11072", json={"legal_basis": "Law"}, headers=boss.headers
    )
    assert resp.status_code == 403
    resp = client.post("/api/v1/users", json={"email": "n@stat.uz", "name": "N"},
                       headers=boss.headers)  # fmt: skip
    assert resp.status_code == 403
    # an author cannot do what the org admin does
    resp = client.patch(f"/api/v1/users/{person['id']}", json={"roles": ["author"]},
                        headers=author.headers)  # fmt: skip
    assert resp.status_code == 403 and "admin" in resp.json["message"]


def test_org_admin_sees_their_people_and_their_record_only(client, admin, author, other_author):
    boss = _org_admin(client, admin)
    person = _person(client, admin, "clerk@stat.uz")
    client.patch(f"/api/v1/users/{person['id']}", json={"roles": ["author"]},
                 headers=boss.headers)  # fmt: skip
    client.patch(f"/api/v1/users/{other_author.id}", json={"roles": []}, headers=admin.headers)

    people = client.get("/api/v1/users", headers=boss.headers)
    assert people.status_code == 200
    emails = {u["email"] for u in people.json["items"]}
    assert {"clerk@stat.uz", "boss@2-001.uz", author.user.email} <= emails
    assert other_author.user.email not in emails and "admin@ochiq.uz" not in emails
    assert {u["organization"] for u in people.json["items"]} == {"2-001"}
    resp = client.get("/api/v1/users", query_string={"organization": "4-019"},
                      headers=boss.headers)  # fmt: skip
    assert resp.status_code == 403 and "2-001 only" in resp.json["message"]
    assert client.get(f"/api/v1/users/{person['id']}", headers=boss.headers).status_code == 200
    assert client.get(f"/api/v1/users/{other_author.id}", headers=boss.headers).status_code == 403

    mine = client.get("/api/v1/role-changes", headers=boss.headers)
    assert mine.status_code == 200, mine.json
    assert mine.json["total"] >= 1
    assert {c["organization"] for c in mine.json["items"]} == {"2-001"}
    assert any(c["user_email"] == "clerk@stat.uz" and c["granted"] == ["author"]
               for c in mine.json["items"])  # fmt: skip
    every = client.get("/api/v1/role-changes", headers=admin.headers).json
    assert any(c["organization"] == "4-019" and c["withdrawn"] == ["author"]
               for c in every["items"])  # fmt: skip
    resp = client.get("/api/v1/role-changes", query_string={"organization": "4-019"},
                      headers=boss.headers)  # fmt: skip
    assert resp.status_code == 403
    for caller in (author, other_author):
        assert client.get("/api/v1/role-changes", headers=caller.headers).status_code == 403
        assert client.get("/api/v1/users", headers=caller.headers).status_code == 403
    assert client.get("/api/v1/role-changes").status_code == 401
    resp = client.get("/api/v1/role-changes", query_string={"user": "nope"}, headers=admin.headers)
    assert resp.status_code == 404
    resp = client.get("/api/v1/role-changes", query_string={"since": "x"}, headers=admin.headers)
    assert resp.status_code == 400


def test_every_role_given_by_an_admin_is_recorded(client, admin):
    person = _person(client, admin, "new@stat.uz", roles=["author"])
    client.patch(f"/api/v1/users/{person['id']}", json={"roles": ["author", "operator"]},
                 headers=admin.headers)  # fmt: skip
    client.patch(f"/api/v1/users/{person['id']}", json={"name": "Renamed"}, headers=admin.headers)
    audit = client.get(
        "/api/v1/role-changes", query_string={"user": person["id"]}, headers=admin.headers
    ).json
    assert [(c["granted"], c["withdrawn"]) for c in audit["items"]] == [
        (["operator"], []),
        (["author"], []),
    ]
    assert {c["actor"] for c in audit["items"]} == {admin.id}


def test_org_admin_role_needs_an_organization(client, admin):
    resp = client.post("/api/v1/users", json={"email": "a@b.uz", "name": "A",
                       "roles": ["org_admin"]}, headers=admin.headers)  # fmt: skip
    assert resp.status_code == 409 and "org_admin needs an organization" in resp.json["message"]
    resp = client.post("/api/v1/users", json={"email": "a@b.uz", "name": "A",
                       "roles": ["chief"]}, headers=admin.headers)  # fmt: skip
    assert resp.status_code == 422


def test_admin_lists_and_filters_every_token(client, admin, author, operator):
    listed = client.get("/api/v1/tokens", headers=admin.headers)
    assert listed.status_code == 200, listed.json
    owners = {t["user_email"] for t in listed.json["items"]}
    assert {"author@stat.uz", "operator@ochiq.uz"} <= owners
    assert all("token" not in t and t["prefix"].startswith("oq") for t in listed.json["items"])
    mine = client.get("/api/v1/tokens", query_string={"user": author.id}, headers=admin.headers)
    token_id = mine.json["items"][0]["id"]
    assert mine.json["total"] == 1
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=admin.headers).status_code == 200
    dead = client.get("/api/v1/tokens", query_string={"live": "false"}, headers=admin.headers)
    assert token_id in {t["id"] for t in dead.json["items"]}
    live = client.get("/api/v1/tokens", query_string={"live": "true"}, headers=admin.headers)
    assert token_id not in {t["id"] for t in live.json["items"]}
    assert client.get("/api/v1/tokens", headers=operator.headers).status_code == 403


def test_admin_edits_an_organization(client, admin, operator):
    made = client.post("/api/v1/organizations", json={"code": "3-001", "name": ml("Yangi"),
                       "parent": "2-001"}, headers=admin.headers)  # fmt: skip
    assert made.status_code == 201, made.json
    change = {"name": ml("Boshqa", en="Other"), "tin": "123456789", "portal_id": 987654}
    resp = client.patch("/api/v1/organizations/3-001", json=change, headers=admin.headers)
    assert resp.status_code == 200, resp.json
    got = client.get("/api/v1/organizations/3-001").json
    assert got["name"]["engText"] == "Other" and got["tin"] == "123456789"
    assert got["portal_id"] == 987654 and got["parent"] == "2-001"
    taken = client.get("/api/v1/organizations/2-001").json["portal_id"]
    resp = client.patch("/api/v1/organizations/3-001", json={"portal_id": taken},
                        headers=admin.headers)  # fmt: skip
    assert resp.status_code == 409 and str(taken) in resp.json["message"]
    resp = client.patch("/api/v1/organizations/2-001", json={"parent": "3-001"},
                        headers=admin.headers)  # fmt: skip
    assert resp.status_code == 409 and "below it" in resp.json["message"]
    resp = client.patch("/api/v1/organizations/3-001", json={"tin": "12"}, headers=admin.headers)
    assert resp.status_code == 422 and "tin" in resp.json["errors"]["json"]
    resp = client.patch("/api/v1/organizations/3-001", json={"parent": "9-999"},
                        headers=admin.headers)  # fmt: skip
    assert resp.status_code == 404
    resp = client.patch("/api/v1/organizations/3-001", json={"tin": "123456789"},
                        headers=operator.headers)  # fmt: skip
    assert resp.status_code == 403
