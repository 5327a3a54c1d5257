"""The admin's console: organizations, users and roles, tokens, the record of roles; and the
organization's administrator's page of their people."""

import re

from tests.conftest import make_caller
from tests.web.console.authoring import HTML, assert_error_summary, csrf_of, sign_in

NAME = {"name-uzbText": "Raqamli vazirlik", "name-uzbKrText": "Рақамли вазирлик",
        "name-rusText": "Министерство цифровых технологий", "name-engText": "Digital ministry"}
PAGES = [
    "/en/console/admin/organizations",
    "/en/console/admin/organizations/new",
    "/en/console/admin/organizations/2-001",
    "/en/console/admin/users",
    "/en/console/admin/users/new",
    "/en/console/admin/tokens",
]  # fmt: skip


def test_admin_pages_refuse_anonymous_and_other_roles(client, operator, admin):
    for path in PAGES + ["/en/console/admin/audit", "/en/console/people"]:
        resp = client.get(path, headers=HTML)
        assert resp.status_code == 303 and "/auth/login?next=" in resp.headers["Location"], path
    sign_in(client, "operator@ochiq.uz")
    for path in PAGES + ["/en/console/admin/audit", "/en/console/people"]:
        assert client.get(path, headers=HTML).status_code == 403, path
    client.post("/auth/logout")
    sign_in(client, "admin@ochiq.uz")
    for lang, tag in (("uz", "uz-Latn"), ("oz", "uz-Cyrl"), ("ru", "ru"), ("en", "en")):
        for path in PAGES + ["/en/console/admin/audit"]:
            resp = client.get(path.replace("/en/", f"/{lang}/"), headers=HTML)
            assert resp.status_code == 200 and f'<html lang="{tag}"' in resp.text, (lang, path)


def test_admin_creates_and_edits_an_organization(client, admin):
    csrf = sign_in(client, "admin@ochiq.uz")
    resp = client.post("/en/console/admin/organizations/new",
                       data={"csrf_token": csrf, "code": "30-01", "tin": "12345", **NAME})
    assert_error_summary(resp, "code", "tin")
    assert 'value="Digital ministry"' in resp.text and 'value="30-01"' in resp.text
    resp = client.post("/en/console/admin/organizations/new",
                       data={"csrf_token": csrf, "code": "2-001", **NAME})  # fmt: skip
    assert_error_summary(resp, "code")
    assert "exists already" in resp.text
    resp = client.post("/en/console/admin/organizations/new", data={"csrf_token": csrf,
                       "code": "30-001", "parent": "2-001", "tin": "301234567", **NAME})
    assert resp.status_code == 303
    made = client.get("/api/v1/organizations/30-001").json
    assert made["name"]["rusText"] == NAME["name-rusText"] and made["parent"] == "2-001"
    assert made["tin"] == "301234567" and made["portal_id"]
    edit = "/en/console/admin/organizations/30-001"
    assert 'value="301234567"' in client.get(edit, headers=HTML).text
    taken = client.get("/api/v1/organizations/2-001").json["portal_id"]
    resp = client.post(edit, data={"csrf_token": csrf, **NAME, "parent": "2-001",
                                   "portal_id": str(taken)})  # fmt: skip
    assert_error_summary(resp, "portal_id")
    resp = client.post(edit, data={"csrf_token": csrf, **NAME, "name-engText": "Ministry",
                                   "parent": "", "tin": "", "portal_id": "4242"})  # fmt: skip
    assert resp.status_code == 303
    got = client.get("/api/v1/organizations/30-001").json
    assert got["name"]["engText"] == "Ministry" and got["parent"] is None and got["tin"] is None
    assert got["portal_id"] == 4242
    resp = client.post("/en/console/admin/organizations/2-001",
                       data={"csrf_token": csrf, **NAME, "parent": "30-001"})  # fmt: skip
    assert resp.status_code == 303  # 30-001 no longer sits below 2-001
    resp = client.post(edit, data={"csrf_token": csrf, **NAME, "parent": "2-001"})
    assert_error_summary(resp, "parent")
    resp = client.post(edit, data={**NAME, "parent": ""})
    assert resp.status_code == 403  # no CSRF token


def test_admin_creates_a_user_and_makes_an_organization_administrator(client, admin):
    csrf = sign_in(client, "admin@ochiq.uz")
    resp = client.post("/en/console/admin/users/new", data={"csrf_token": csrf,
                       "email": "not-an-address", "name": "Dilnoza", "roles": ["author"]})
    assert_error_summary(resp, "email")
    assert 'value="Dilnoza"' in resp.text and 'value="author" checked' in resp.text
    resp = client.post("/en/console/admin/users/new", data={"csrf_token": csrf,
                       "email": "dilnoza@stat.uz", "name": "Dilnoza", "roles": ["author"]})
    assert_error_summary(resp, "organization")
    resp = client.post("/en/console/admin/users/new", data={"csrf_token": csrf,
                       "email": "dilnoza@stat.uz", "name": "Dilnoza", "organization": "2-001"})
    assert resp.status_code == 303
    uid = resp.headers["Location"].rsplit("/", 1)[1]
    person = client.get(f"/api/v1/users/{uid}", headers=admin.headers).json
    assert person["roles"] == [] and person["organization"] == "2-001"
    resp = client.post(f"/en/console/admin/users/{uid}", data={"csrf_token": csrf,
                       "name": "Dilnoza Karimova", "organization": "2-001",
                       "roles": ["org_admin"], "active": "1"})  # fmt: skip
    assert resp.status_code == 303
    person = client.get(f"/api/v1/users/{uid}", headers=admin.headers).json
    assert person["roles"] == ["org_admin"] and person["name"] == "Dilnoza Karimova"
    audit = client.get("/api/v1/role-changes", query_string={"user": uid},
                       headers=admin.headers).json["items"]  # fmt: skip
    assert audit[0]["granted"] == ["org_admin"] and audit[0]["actor"] == admin.id
    html = client.get(f"/en/console/admin/audit?user={uid}", headers=HTML).text
    assert "Dilnoza Karimova" in html and "Administrator of the organization" in html
    html = client.get("/en/console/admin/users?organization=2-001", headers=HTML).text
    assert "Dilnoza Karimova" in html and "admin@ochiq.uz" not in html


def test_organization_administrator_grants_and_withdraws_author(client, admin, other_author):
    clerk = make_caller("clerk@stat.uz", [], "2-001")
    make_caller("boss@stat.uz", ["org_admin"], "2-001")
    csrf = sign_in(client, "boss@stat.uz")
    html = client.get("/en/console/people", headers=HTML).text
    assert "clerk" in html and "author@ssv.uz" not in html
    assert "People of my organization" in html and "Record of roles" in html
    resp = client.post(f"/en/console/people/{clerk.id}", data={"author": "1"})
    assert resp.status_code == 403  # no CSRF token
    resp = client.post(f"/en/console/people/{clerk.id}", data={"csrf_token": csrf, "author": "1"})
    assert resp.status_code == 303
    assert "clerk is now an author" in client.get("/en/console/people", headers=HTML).text
    assert client.get(f"/api/v1/users/{clerk.id}", headers=admin.headers).json["roles"] == [
        "author"
    ]
    resp = client.post(f"/en/console/people/{clerk.id}", data={"csrf_token": csrf, "author": "0"})
    assert resp.status_code == 303
    assert client.get(f"/api/v1/users/{clerk.id}", headers=admin.headers).json["roles"] == []
    resp = client.post(f"/en/console/people/{other_author.id}",
                       data={"csrf_token": csrf, "author": "0"})  # fmt: skip
    assert resp.status_code == 403
    assert client.get(f"/api/v1/users/{other_author.id}", headers=admin.headers).json[
        "roles"
    ] == ["author"]
    html = client.get("/en/console/admin/audit", headers=HTML).text
    assert html.count("<tr>") == 3  # the header and two changes, of this organization only
    assert client.get("/en/console/admin/users", headers=HTML).status_code == 403


def test_admin_lists_and_revokes_tokens(client, admin, author):
    csrf = sign_in(client, "admin@ochiq.uz")
    html = client.get("/en/console/admin/tokens?live=1", headers=HTML).text
    assert "author@stat.uz" in html
    token_id = client.get("/api/v1/tokens", query_string={"user": author.id},
                          headers=admin.headers).json["items"][0]["id"]  # fmt: skip
    assert f"/console/admin/tokens/{token_id}/revoke" in html
    resp = client.post(f"/en/console/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert resp.status_code == 303
    assert "was revoked" in client.get(resp.headers["Location"], headers=HTML).text
    assert client.get("/api/v1/me", headers=author.headers).status_code == 401
    html = client.get(f"/en/console/admin/users/{author.id}", headers=HTML).text
    assert "Revoked" in html
    csrf = csrf_of(html)
    assert re.search(r"<code>oqp_[0-9a-f]{12}</code>", html)
    assert client.get("/en/console/admin/tokens?live=maybe").status_code == 400


def test_admin_makes_a_first_sign_in_code_for_a_person_without_oneid(client, admin, author,
                                                                     operator):  # fmt: skip
    from portal.db.models import User
    from portal.services.identity.signin import signin_code_digest

    page = f"/en/console/admin/users/{author.id}/signin-code"
    assert client.get(page, headers=HTML).status_code == 303  # anonymous: to the sign-in
    sign_in(client, "operator@ochiq.uz")
    assert client.get(page, headers=HTML).status_code == 403
    client.post("/auth/logout")
    csrf = sign_in(client, "admin@ochiq.uz")
    edit = client.get(f"/en/console/admin/users/{author.id}", headers=HTML).text
    assert f'href="{page}"' in edit
    for lang, tag in (("uz", "uz-Latn"), ("oz", "uz-Cyrl"), ("ru", "ru"), ("en", "en")):
        resp = client.get(page.replace("/en/", f"/{lang}/"), headers=HTML)
        assert resp.status_code == 200 and f'<html lang="{tag}"' in resp.text, lang
        assert 'name="days"' in resp.text
    assert "Код первого входа" in client.get(page.replace("/en/", "/ru/"), headers=HTML).text
    assert client.post(page, data={"days": "7"}).status_code == 403  # no CSRF token
    for days in ("0", "31", "many"):
        resp = client.post(page, data={"csrf_token": csrf, "days": days})
        assert_error_summary(resp, "days")
        assert "Enter a number of days from 1 to 30" in resp.text
    ru = client.post(page.replace("/en/", "/ru/"), data={"csrf_token": csrf, "days": "0"})
    assert ru.status_code == 422 and 'href="#days"' in ru.text
    assert "Введите число дней от 1 до 30" in ru.text
    resp = client.post(page, data={"csrf_token": csrf, "days": "3"})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    code = re.search(r'<code id="signin-code" class="copy-source">([^<]+)</code>', resp.text)
    assert code, resp.text
    assert f"/auth/login?invite={code.group(1)}" in resp.text
    stored = User.objects(id=author.user.id).get()
    assert stored.signin_code == signin_code_digest(code.group(1))
    # a person with a OneID identity gets no code: the page says so, a POST is refused
    author.user.update(set__pin="31234567890199")
    linked = client.get(page, headers=HTML)
    assert "linked to a OneID identity already" in linked.text and 'name="days"' not in linked.text
    assert f'href="{page}"' not in client.get(f"/en/console/admin/users/{author.id}",
                                               headers=HTML).text  # fmt: skip
    assert_error_summary(client.post(page, data={"csrf_token": csrf, "days": "3"}), "days")
    assert client.get("/en/console/admin/users/000000000000000000000000/signin-code",
                      headers=HTML).status_code == 404  # fmt: skip
