"""Browser sign-in: the whole redirect flow against loopback fakes of OneID and an OIDC provider."""

import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

import config
from portal.services.identity import signin
from tests.conftest import build_app, make_caller
from tests.fake_oneid import FakeOIDC, FakeOneID, JsonWebKey

CLIENT = {
    "client_id": "ochiq-test",
    "client_secret": "oneid-client-secret",
    "redirect_uri": "http://portal.test/auth/callback",
    "scope": "ochiq-test",
}
PERSON = {
    "user_id": "ali.valiyev",
    "pin": "31234567890123",
    "first_name": "ALI",
    "sur_name": "VALIYEV",
    "mid_name": "KARIMOVICH",
    "full_name": "VALIYEV ALI KARIMOVICH",
    "email": "Ali@Example.uz",
    "mob_phone_no": "998901234567",
    "legal_info": [
        {"le_tin": "300000004", "le_name": "SSV", "is_basic": False},
        {"le_tin": "201122919", "le_name": "STAT", "is_basic": True},
    ],
}


@pytest.fixture(autouse=True)
def _loopback_without_proxy(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def oneid():
    with FakeOneID(**CLIENT) as fake:
        fake.person = dict(PERSON)
        yield fake


@pytest.fixture(scope="module")
def rsa_key():
    return JsonWebKey.generate_key("RSA", 2048, is_private=True)


@pytest.fixture
def oidc(rsa_key):
    with FakeOIDC(rsa_key, "ochiq-oidc", "oidc-client-secret", CLIENT["redirect_uri"]) as fake:
        fake.claims = {
            "sub": "u-42",
            "email": "author@stat.uz",
            "email_verified": True,
            "name": "Oidc Author",
        }
        yield fake


@pytest.fixture
def app(backend, oneid):
    """The app signing in through the fake OneID (the organization 2-001 carries a TIN)."""
    overrides = {
        "ONEID_URL": oneid.url,
        "ONEID_CLIENT_ID": CLIENT["client_id"],
        "ONEID_CLIENT_SECRET": CLIENT["client_secret"],
        "ONEID_REDIRECT_URI": CLIENT["redirect_uri"],
        "ONEID_SCOPE": CLIENT["scope"],
    }
    for application in build_app(backend, overrides):
        from portal.db.models import Organization

        Organization.objects(code="2-001").update(set__tin="201122919")
        Organization.objects(code="4-019").update(set__tin="300000004")
        yield application


@pytest.fixture
def oidc_app(backend, oidc):
    overrides = {
        "AUTH_PROVIDER": "oidc",
        "OIDC_METADATA_URL": oidc.metadata_url,
        "OIDC_CLIENT_ID": "ochiq-oidc",
        "OIDC_CLIENT_SECRET": "oidc-client-secret",
        "OIDC_REDIRECT_URI": CLIENT["redirect_uri"],
    }
    yield from build_app(backend, overrides)


def _query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def at_provider(client, next_path=None):
    """/auth/login, then the browser at the provider: the query it comes back with."""
    resp = client.get("/auth/login" + (f"?{urlencode({'next': next_path})}" if next_path else ""))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    back = requests.get(resp.headers["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    location = urlsplit(back.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CLIENT["redirect_uri"]
    return _query(back.headers["Location"])


def sign_in(client, next_path=None):
    """The whole redirect flow; returns the callback's response."""
    return client.get("/auth/callback", query_string=at_provider(client, next_path))


def cookie(client):
    found = client.get_cookie("session")
    return found.value if found else None


def csrf_headers(client):
    return {"X-CSRF-Token": client.get("/api/v1/me").json["csrf_token"]}


def test_login_redirects_to_oneid_with_every_parameter(client, oneid):
    first = client.get("/auth/login")
    assert first.status_code == 302
    url = first.headers["Location"]
    assert url.startswith(oneid.url + "?")
    params = _query(url)
    assert {k: v for k, v in params.items() if k != "state"} == {
        "response_type": "one_code",
        "client_id": CLIENT["client_id"],
        "redirect_uri": CLIENT["redirect_uri"],
        "scope": CLIENT["scope"],
    }
    assert len(params["state"]) >= 32
    assert _query(client.get("/auth/login").headers["Location"])["state"] != params["state"]


@pytest.mark.wire
def test_callback_signs_in_a_new_person_with_a_fresh_session(client, oneid):
    answer = at_provider(client)
    before = cookie(client)
    assert before, "the pending sign-in lives in a session"
    resp = client.get("/auth/callback", query_string=answer)
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    after = cookie(client)
    assert after and after != before
    assert [grant for grant, _ in oneid.calls] == [
        "one_authorization_code",
        "one_access_token_identify",
    ]
    exchange = oneid.calls[0][1]
    assert exchange["code"] == answer["code"]
    assert exchange["redirect_uri"] == CLIENT["redirect_uri"]
    assert oneid.problems == []

    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json["pin"] == PERSON["pin"]
    assert me.json["name"] == PERSON["full_name"]
    assert me.json["email"] is None, "OneID does not verify e-mail addresses"
    assert me.json["roles"] == []
    assert me.json["organization"] == "2-001", "the basic legal entity's TIN wins"
    assert me.json["last_login"] and me.json["csrf_token"]

    from portal.db.models import User

    user = User.objects(pin=PERSON["pin"]).get()
    assert (user.oneid_user_id, user.phone) == ("ali.valiyev", "998901234567")
    # The id the browser had before signing in is gone.
    client.set_cookie("session", before)
    assert client.get("/api/v1/me").status_code == 401


def test_an_email_match_never_grants_an_existing_account(client, oneid, admin, author):
    # Whoever signs in first with the bootstrap admin's address gets an account of their own.
    oneid.person = {**PERSON, "email": "ADMIN@ochiq.uz", "legal_info": []}
    assert sign_in(client).status_code == 302
    me = client.get("/api/v1/me").json
    assert me["id"] not in (admin.id, author.id)
    assert me["roles"] == [] and me["email"] is None and me["pin"] == PERSON["pin"]
    admin.user.reload()
    assert admin.user.pin is None and admin.user.roles == ["admin"]


def test_an_admin_attaches_a_pin_and_the_account_is_found_by_it(client, oneid, admin, author):
    resp = client.patch(
        f"/api/v1/users/{author.id}", json={"pin": PERSON["pin"]}, headers=admin.headers
    )
    assert resp.status_code == 200 and resp.json["pin"] == PERSON["pin"]
    oneid.person = {**PERSON, "email": "", "full_name": "VALIYEV ALI", "legal_info": []}
    assert sign_in(client).status_code == 302
    me = client.get("/api/v1/me").json
    assert me["id"] == author.id and me["name"] == "VALIYEV ALI"
    assert me["roles"] == ["author"] and me["organization"] == "2-001"
    # The same PINFL cannot be attached to a second account.
    other = make_caller("second@stat.uz", [])
    taken = client.patch(
        f"/api/v1/users/{other.id}", json={"pin": PERSON["pin"]}, headers=admin.headers
    )
    assert taken.status_code == 409 and "PINFL" in taken.json["message"]


def test_a_first_login_code_links_once(client, oneid, admin, author):
    path = f"/api/v1/users/{author.id}/signin-code"
    assert client.post(path, json={}, headers=author.headers).status_code == 403
    made = client.post(path, json={}, headers=admin.headers)
    assert made.status_code == 201, made.json
    code = made.json["code"]
    assert made.json["url"].endswith(f"/auth/login?invite={code}")
    from portal.db.models import User

    assert code not in User.objects(id=author.user.id).get().signin_code

    resp = client.get("/auth/login", query_string={"invite": code})
    back = requests.get(resp.headers["Location"], allow_redirects=False, timeout=5)
    linked = client.get("/auth/callback", query_string=_query(back.headers["Location"]))
    assert linked.status_code == 302
    me = client.get("/api/v1/me").json
    assert me["id"] == author.id and me["pin"] == PERSON["pin"] and me["roles"] == ["author"]
    # Used up: another person presenting it is refused, and no account is made for them.
    oneid.person = {**PERSON, "pin": "39999999999999"}
    again = client.application.test_client()
    resp = again.get("/auth/login", query_string={"invite": code})
    back = requests.get(resp.headers["Location"], allow_redirects=False, timeout=5)
    refused = again.get("/auth/callback", query_string=_query(back.headers["Location"]))
    assert refused.status_code == 400 and "code" in refused.json["message"]
    assert User.objects(pin="39999999999999").first() is None
    # A linked account gets no new code.
    assert client.post(path, json={}, headers=admin.headers).status_code == 409


def test_a_disabled_account_cannot_sign_in(client, oneid, author):
    author.user.update(set__active=False, set__pin=PERSON["pin"])
    resp = sign_in(client)
    assert resp.status_code == 403
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("state", ["forged-state", None])
def test_a_bad_or_missing_state_does_not_sign_in(client, oneid, state):
    answer = at_provider(client)
    if state is None:
        del answer["state"]
    else:
        answer["state"] = state
    resp = client.get("/auth/callback", query_string=answer)
    assert resp.status_code == 400
    assert "state" in resp.json["message"]
    assert oneid.calls == [], "no code is exchanged without the state"
    assert client.get("/api/v1/me").status_code == 401


def test_a_callback_without_a_sign_in_in_progress_is_refused(client, oneid):
    resp = client.get("/auth/callback?code=abc&state=def")
    assert resp.status_code == 400
    assert "/auth/login" in resp.json["message"]


def test_a_replayed_code_is_refused(client, oneid):
    answer = at_provider(client)
    assert client.get("/auth/callback", query_string=answer).status_code == 302
    # The same answer again in the same browser: its state was used up.
    assert client.get("/auth/callback", query_string=answer).status_code == 400

    other = client.application.test_client()
    state = _query(other.get("/auth/login").headers["Location"])["state"]
    resp = other.get("/auth/callback", query_string={"code": answer["code"], "state": state})
    assert resp.status_code == 400
    assert "invalid_grant" in resp.json["message"]
    assert [grant for grant, _ in oneid.calls][-1] == "one_authorization_code"
    assert other.get("/api/v1/me").status_code == 401
    assert oneid.problems == []


@pytest.mark.parametrize(
    ("grant", "status", "body", "expected"),
    [
        ("one_access_token_identify", 200, {"error": "invalid_grant"}, 400),
        ("one_authorization_code", 400, {"error": "invalid_grant", "error_description": "x"}, 400),
        ("one_authorization_code", 401, {"error": "invalid_client"}, 502),
        ("one_authorization_code", 500, {"message": "down"}, 502),
        ("one_access_token_identify", 403, {"message": "forbidden"}, 502),
    ],
)
def test_an_error_answer_from_oneid_does_not_sign_in(client, oneid, grant, status, body, expected):
    oneid.fail[grant] = (status, body)
    resp = sign_in(client)
    assert resp.status_code == expected
    assert "OneID" in resp.json["message"]
    if status == 401:
        assert "client credentials" in resp.json["message"]
    assert client.get("/api/v1/me").status_code == 401


def test_cookie_writes_need_the_csrf_header(client, oneid):
    sign_in(client)
    me = client.get("/api/v1/me").json
    path = f"/api/v1/users/{me['id']}/tokens"
    assert client.post(path, json={"name": "cli"}).status_code == 403
    wrong = client.post(path, json={"name": "cli"}, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    made = client.post(path, json={"name": "cli"}, headers={"X-CSRF-Token": me["csrf_token"]})
    assert made.status_code == 201 and made.json["token"]


def test_logout_ends_the_session_here_and_at_oneid(client, oneid):
    sign_in(client)
    assert client.post("/auth/logout").status_code == 403
    assert client.get("/api/v1/me").status_code == 200
    resp = client.post("/auth/logout", headers=csrf_headers(client))
    assert resp.status_code == 204
    grant, form = oneid.calls[-1]
    assert grant == "one_log_out"
    assert form["scope"] == CLIENT["scope"] and form["client_secret"] == CLIENT["client_secret"]
    assert oneid.logged_out == [PERSON["user_id"]]
    assert client.get("/api/v1/me").status_code == 401
    assert oneid.problems == []


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_logout_ends_the_local_session_when_oneid_fails(client, oneid):
    sign_in(client)
    access_token = next(iter(oneid.tokens))
    oneid.fail["one_log_out"] = (500, {"message": "down"})
    collect = _Collect()
    logger = logging.getLogger("portal.auth")
    logger.addHandler(collect)
    try:
        assert client.post("/auth/logout", headers=csrf_headers(client)).status_code == 204
    finally:
        logger.removeHandler(collect)
    assert client.get("/api/v1/me").status_code == 401
    warnings = [r for r in collect.records if r.levelno == logging.WARNING]
    assert any(r.getMessage() == "provider logout failed" for r in warnings)
    for record in collect.records:
        assert access_token not in f"{record.getMessage()} {getattr(record, 'fields', {})}"


@pytest.mark.parametrize(
    ("next_path", "landing"),
    [("/datasets?q=aholi", "/datasets?q=aholi"), ("https://evil.example/x", "/")],
)
def test_sign_in_returns_only_to_a_path_of_this_site(client, oneid, next_path, landing):
    resp = sign_in(client, next_path)
    assert resp.status_code == 302 and resp.headers["Location"] == landing


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil",
        "/\t/evil",
        "",
        None,
        "evil.example",
        "/" + "a" * 3000,
    ],
)
def test_open_redirect_guard(target):
    assert signin.safe_next(target) == "/"


def test_dev_login_signs_in_an_existing_user(client, author):
    resp = client.get("/auth/dev-login?email=author@stat.uz&next=/me")
    assert resp.status_code == 302 and resp.headers["Location"] == "/me"
    assert client.get("/api/v1/me").json["id"] == author.id
    assert client.get("/auth/dev-login?email=nobody@stat.uz").status_code == 404


def test_dev_login_is_off_in_production():
    from portal.app import create_app
    from portal.db.connection import disconnect
    from portal.db.models import User

    secret = "p" * 40
    assert (
        config.load("production", {"SECRET_KEY": secret, "MONGO_URI": "m", "DEV_LOGIN": True})[
            "DEV_LOGIN"
        ]
        is False
    )
    app = create_app(
        "production",
        {"SECRET_KEY": secret, "MONGO_URI": "mongomock://localhost", "DEV_LOGIN": True},
    )
    try:
        User(email="admin@ochiq.uz", roles=["admin"]).save()
        client = app.test_client()
        resp = client.get("/auth/dev-login?email=admin@ochiq.uz")
        assert resp.status_code == 404
        assert client.get_cookie("session") is None
    finally:
        disconnect()


def test_oidc_signs_in_with_pkce_and_nonce(oidc_app, oidc):
    author = make_caller("author@stat.uz", ["author"], "2-001")
    client = oidc_app.test_client()
    start = client.get("/auth/login")
    params = _query(start.headers["Location"])
    assert start.headers["Location"].startswith(oidc.base + "/authorize?")
    assert params["response_type"] == "code" and params["code_challenge_method"] == "S256"
    assert params["nonce"] and params["code_challenge"] and params["state"]
    assert params["scope"] == "openid email profile"

    resp = sign_in(client, "/datasets")
    assert resp.status_code == 302 and resp.headers["Location"] == "/datasets"
    assert oidc.problems == []
    me = client.get("/api/v1/me").json
    assert me["id"] != author.id, "a verified email does not link either"
    assert me["roles"] == [] and me["email"] is None, "the address belongs to another account"
    author.user.reload()
    assert author.user.subject is None

    assert client.post("/auth/logout", headers=csrf_headers(client)).status_code == 204
    assert len(oidc.revoked) == 1
    assert client.get("/api/v1/me").status_code == 401


def test_oidc_creates_an_account_by_subject(oidc_app, oidc):
    oidc.claims = {"sub": "u-77", "email": "new@example.uz", "email_verified": False}
    client = oidc_app.test_client()
    assert sign_in(client).status_code == 302
    me = client.get("/api/v1/me").json
    assert me["roles"] == [] and me["email"] is None, "an unverified email is not taken"


@pytest.mark.parametrize("tamper", ["nonce", "audience", "key"])
def test_oidc_rejects_an_id_token_that_does_not_verify(oidc_app, oidc, tamper):
    if tamper == "nonce":
        oidc.nonce_override = "another-nonce"
    elif tamper == "audience":
        oidc.claims["aud"] = "another-client"
    else:
        oidc.signing_key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
    client = oidc_app.test_client()
    resp = sign_in(client)
    assert resp.status_code == 400
    assert "id_token" in resp.json["message"]
    assert client.get("/api/v1/me").status_code == 401
