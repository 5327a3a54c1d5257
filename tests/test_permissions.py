"""Every protected endpoint: 401 without a caller, 403 for a wrong role or organization."""

import io

import pytest

from tests.helpers import ml

STATS = "2-001-11072"  # organization 2-001 (the `author` fixture's)
ORG = {"code": "3-001", "name": ml("Yangi")}
USER = {"email": "x@y.uz", "name": "X", "roles": []}
DIRECTORY = {"code": "kinds", "name": ml("Turlar"), "items": [{"code": "a", "name": ml("A")}]}
DATASET = {
    "organization": "2-001",
    "title": ml("T"),
    "sector": "economy",
    "update_frequency": "annual",
}
FIELD = {"type": "string", "caption": ml("Izoh")}


def _file():
    return {"file": (io.BytesIO(b"a,b\r\n1,2\r\n"), "x.csv")}


# (method, path, body, who may, who may not): "other" is an author of another organization.
CASES = [
    ("post", "/api/v1/organizations", ORG, "admin", ["operator", "author"]),
    ("post", "/api/v1/users", USER, "admin", ["operator", "author"]),
    ("get", "/api/v1/users", None, "admin", ["operator", "author"]),
    ("post", "/api/v1/directories", DIRECTORY, "operator", ["author"]),
    ("post", "/api/v1/datasets", DATASET, "operator", ["author"]),
    ("patch", f"/api/v1/datasets/{STATS}", {"legal_basis": "Law"}, "author", ["other"]),
    ("post", f"/api/v1/datasets/{STATS}/fields", FIELD, "author", ["other", "operator"]),
    (
        "patch",
        f"/api/v1/datasets/{STATS}/fields/2010Y",
        {"visible": True},
        "author",
        ["other", "operator"],
    ),
    ("delete", f"/api/v1/datasets/{STATS}/fields/2010Y", None, None, ["other", "operator"]),
    ("get", f"/api/v1/datasets/{STATS}/template.xlsx", None, "author", ["other"]),
    ("post", f"/api/v1/datasets/{STATS}/uploads", "file", None, ["other", "operator"]),
    ("put", f"/api/v1/datasets/{STATS}/methodology", "file", None, ["other", "operator"]),
    ("post", f"/api/v1/datasets/{STATS}/token", None, "author", ["other", "operator"]),
    ("post", f"/api/v1/datasets/{STATS}/rejections", {"reasons": ["r"]}, "operator", ["author"]),
    ("get", "/api/v1/me/datasets", None, "author", []),
    ("get", "/api/v1/me/notifications", None, "author", []),
]


def _call(client, method, path, body, headers):
    kwargs = {"headers": headers}
    if body == "file":
        kwargs.update(data=_file(), content_type="multipart/form-data")
    elif body is not None:
        kwargs["json"] = body
    return getattr(client, method)(path, **kwargs)


@pytest.fixture
def callers(admin, operator, author, other_author):
    return {"admin": admin, "operator": operator, "author": author, "other": other_author}


@pytest.mark.parametrize(
    "method,path,body,allowed,denied", CASES, ids=[f"{c[0]} {c[1]}" for c in CASES]
)
def test_protected_endpoint(client, callers, method, path, body, allowed, denied):
    resp = _call(client, method, path, body, {})
    assert resp.status_code == 401, (resp.status_code, resp.json)
    assert resp.json["code"] == 401
    for who in denied:
        resp = _call(client, method, path, body, callers[who].headers)
        assert resp.status_code in (403, 404) if who == "other" else resp.status_code == 403, (
            who,
            resp.status_code,
            resp.json,
        )
        if resp.status_code == 403:
            assert resp.json["message"]
    if allowed:
        resp = _call(client, method, path, body, callers[allowed].headers)
        assert resp.status_code < 400, (allowed, resp.status_code, resp.json)
