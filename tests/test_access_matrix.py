"""The access matrix, generated from the URL map: every route that writes is guarded.

For each POST, PUT, PATCH and DELETE route of the app (endpoints added later included):
no credentials -> 401; a dataset-scoped (integration) token -> 403; every role that `GUARDS`
does not allow, the author of another organization among them -> 403; and one allowed caller
gets past the guard. A write route missing from `GUARDS` (and from `PUBLIC`, the routes public
by design, each with its reason) fails the test until someone says who may call it.
"""

import io
from dataclasses import dataclass, field

import pytest

from portal.core.community import REPORT_REASONS
from tests.conftest import make_caller
from tests.helpers import ml

WRITES = ("POST", "PUT", "PATCH", "DELETE")
STATS = "2-001-11072"  # published, organization 2-001 (the `author`'s)
ROLES = ("citizen", "author", "other", "operator", "orgadmin", "admin")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Public by design: who may call them is decided by what the request carries, not by a caller.
PUBLIC = {
    "compat_push.external_api": "authenticates with the dataset's integration token in its body "
    "(or a bearer header); the push checks the token's dataset and that its user is still an "
    "author of the organization",
    "auth.logout": "ends whatever session the browser holds; without one there is nothing to end",
    "compat_tables.get_main_data": "a read in data.egov.uz's shape (POST with a JSON body): "
    "public rows of a public dataset, counted as a search by the rate limits",
    "web.logout": "the pages' sign-out form: ends whatever session the browser holds",
    "web.accessibility": "stores the visitor's accessibility choices in a cookie of their own",
}

@dataclass
class Guard:
    """Who may call a route (admins may call every route), and a request that passes schemas."""

    allowed: tuple
    body: object = None  # a JSON body, "csv" / "pdf" for a multipart file, FORM(...) for a page
    ok: str = ""  # the allowed caller to try last (default: the first allowed)
    needs: tuple = ()  # fixtures the path needs: "comment", "notice", "member"
    extra: dict = field(default_factory=dict)  # path values beyond the samples
    anonymous: int = 401  # a page's form sends a visitor to sign in instead (303)
    public: bool = False  # open to the public by design: without credentials it succeeds


class FORM(dict):
    """The fields of an HTML form a page posts."""


EVERYONE = ("citizen", "author", "other", "operator", "orgadmin")
CAPTIONS = {f"cap_{key}": "Izoh" for key in ("uzbText", "uzbKrText", "rusText", "engText")}
AUTHOR = ("author",)
OPERATOR = ("operator",)
FEEDBACK = {"full_name": "Aziz", "email": "aziz@mail.uz", "message": "Rahmat"}
CONTENT = {
    "news": {"title": ml("Yangilik"), "body": ml("Matn")},
    "faq": {"question": ml("Savol?"), "answer": ml("Javob.")},
    "glossary": {"term": ml("Atama"), "definition": ml("Izoh")},
    "legislation": {"number": "1", "date": "2020-01-01", "title": ml("Qonun"), "url": None},
}


def _content(kind):
    """The three writes of one kind of content: operators only; the item made first."""
    made = {"needs": (kind,)}
    return {
        f"{kind}.create_{kind}": Guard(OPERATOR, CONTENT[kind]),
        f"{kind}.update_{kind}": Guard(OPERATOR, CONTENT[kind], **made),
        f"{kind}.delete_{kind}": Guard(OPERATOR, **made),
    }


GUARDS = {
    "reference.create_organization": Guard((), {"code": "3-001", "name": ml("Yangi")}),
    "reference.update_organization": Guard((), {"name": ml("Statistika")}),
    "reference.create_directory": Guard(
        ("operator",),
        {"code": "kinds", "name": ml("Turlar"), "items": [{"code": "a", "name": ml("A")}]},
    ),
    "users.create_user": Guard((), {"email": "x@y.uz", "name": "X", "roles": []}),
    # The path's user is a person of 2-001 without roles, the organization `orgadmin` administers:
    # its administrator may grant the author role (and nothing else, tests/test_org_admins.py).
    "users.update_user": Guard(("orgadmin",), {"roles": ["author"]}, needs=("member",)),
    "users.create_signin_code": Guard((), {}),
    # The path's user is the citizen: the user itself or an admin.
    "users.create_token": Guard(("citizen",), {}),
    "users.revoke_token": Guard(("citizen",)),
    "datasets.create_dataset": Guard(
        ("operator",),
        {
            "organization": "2-001",
            "title": ml("T"),
            "sector": "economy",
            "update_frequency": "annual",
        },
    ),
    "datasets.update_dataset": Guard(("author", "operator"), {"legal_basis": "Law"}),
    "datasets.add_field": Guard(AUTHOR, {"type": "string", "caption": ml("Izoh")}),
    "datasets.update_field": Guard(AUTHOR, {"visible": True}),
    "datasets.delete_field": Guard(AUTHOR),
    "datasets.put_methodology": Guard(AUTHOR, "pdf"),
    "datasets.upload": Guard(AUTHOR, "csv"),
    "datasets.integration_token": Guard(AUTHOR),
    "datasets.reject": Guard(("operator",), {"reasons": ["incomplete"]}),
    "datasets.clear_rejection": Guard(("operator",)),
    "statistics.flag_ai": Guard(("operator",), {"flagged": True}),
    "datasets.mark_read": Guard(EVERYONE, needs=("notice",)),
    "datasets.mark_all_read": Guard(EVERYONE),
    "comments.post_comment": Guard(EVERYONE, {"text": "Ma'lumot uchun rahmat"}),
    # The comment is the citizen's: its author edits it, an operator hides it.
    "comments.patch_comment": Guard(("citizen",), {"text": "Tuzatilgan"}, needs=("comment",)),
    "comments.report_comment": Guard(
        EVERYONE, {"reason": REPORT_REASONS[0]}, ok="author", needs=("comment",)
    ),
    "ratings.put_rating": Guard(EVERYONE, {"stars": 4}),
    "ratings.delete_rating": Guard(EVERYONE),
    # The pages' forms: a visitor is sent to sign in; a signed-in person may.
    "web.rate": Guard(EVERYONE, FORM(stars="4"), anonymous=303),
    "web.comment": Guard(EVERYONE, FORM(text="Rahmat"), anonymous=303),
    "web.get_token": Guard(EVERYONE, FORM(), anonymous=303),
    "web.console_active": Guard(("author", "operator"), FORM(active="0"), anonymous=303),
    "web.console_read_all": Guard(EVERYONE, FORM(), anonymous=303),
    "web.console_read": Guard(EVERYONE, FORM(), anonymous=303, needs=("notice",)),
    # The operator's and the admin's console (tests/web/console/test_operator_*.py, test_admin_*)
    "web.console_operator_new": Guard(("operator",), FORM(organization="2-001"), anonymous=303),
    "web.console_operator_reject": Guard(("operator",), FORM(reasons="Bo'sh"), anonymous=303),
    "web.console_operator_clear": Guard(("operator",), FORM(), anonymous=303),
    "web.console_operator_decide": Guard(
        ("operator",), FORM(status="hidden"), needs=("comment",), extra={"item_kind": "comment"},
        anonymous=303,
    ),
    "web.console_operator_move": Guard(
        ("operator",), FORM(status="voting"), extra={"pid": "0" * 24}, anonymous=303
    ),
    "web.console_operator_handle": Guard(
        ("operator",), FORM(handled="1"), extra={"fid": "0" * 24}, anonymous=303
    ),
    "web.console_operator_content_new": Guard(
        ("operator",), FORM(), extra={"kind": "glossary"}, anonymous=303
    ),
    "web.console_operator_content_edit": Guard(
        ("operator",), FORM(), extra={"kind": "page", "item_id": "about"}, anonymous=303
    ),
    "web.console_operator_content_delete": Guard(
        ("operator",), FORM(), extra={"kind": "news", "item_id": "0" * 24}, anonymous=303
    ),
    "web.console_admin_organization_new": Guard((), FORM(code="3-001"), anonymous=303),
    "web.console_admin_organization_edit": Guard((), FORM(tin="123456789"), anonymous=303),
    "web.console_admin_user_new": Guard((), FORM(email="x@y.uz"), anonymous=303),
    "web.console_admin_user_edit": Guard((), FORM(name="X"), anonymous=303),
    "web.console_admin_revoke": Guard((), FORM(), anonymous=303),
    "web.console_admin_signin_code": Guard((), FORM(days="3"), anonymous=303),
    "web.console_people_author": Guard(
        ("orgadmin",), FORM(author="1"), needs=("member",), anonymous=303
    ),
    "web.console_passport": Guard(
        ("author", "operator"),
        FORM(phone="+998712038029", email="opendata@stat.uz", keywords="a"),
        anonymous=303,
    ),
    "web.console_structure": Guard(AUTHOR, FORM(type="string", **CAPTIONS), anonymous=303),
    "web.console_field": Guard(AUTHOR, FORM(**CAPTIONS), anonymous=303),
    "web.console_field_move": Guard(AUTHOR, FORM(way="down"), anonymous=303),
    "web.console_field_visible": Guard(AUTHOR, FORM(visible="1"), anonymous=303),
    "web.console_field_delete": Guard(AUTHOR, FORM(), anonymous=303),
    "web.console_upload": Guard(AUTHOR, FORM(), anonymous=303),
    "web.console_publish": Guard(AUTHOR, FORM(), anonymous=303),
    "web.console_discard": Guard(AUTHOR, FORM(), anonymous=303),
    "web.console_api_token": Guard(AUTHOR, FORM(), anonymous=303),
    "moderation.decide": Guard(
        ("operator",), {"status": "hidden"}, needs=("comment",), extra={"kind": "comment"}
    ),
    "follows.follow": Guard(EVERYONE),
    "follows.unfollow": Guard(EVERYONE),
    "proposals.propose": Guard(EVERYONE, {"title": "T", "description": "D", "sector": "ict"}),
    "proposals.move_proposal": Guard(OPERATOR, {"status": "declined"}, needs=("proposal",)),
    "proposals.vote": Guard(EVERYONE, needs=("voting",)),
    "proposals.unvote": Guard(EVERYONE, needs=("voting",)),
    "proposals.report_proposal": Guard(
        EVERYONE, {"reason": REPORT_REASONS[0]}, ok="author", needs=("proposal",)
    ),
    # Open to the public by design (and rate limited); a dataset token still has no business here.
    "feedback.send": Guard(EVERYONE, FEEDBACK, public=True),
    "survey.answer": Guard(EVERYONE, {"answers": {"found_info": "yes"}}, public=True),
    "feedback.handle": Guard(OPERATOR, {"handled": True}, needs=("feedback",)),
    "pages.put_page": Guard(OPERATOR, {"title": ml("Biz haqimizda"), "body": ml("Matn")},
                            extra={"slug": "about"}),  # fmt: skip
    **_content("news"),
    **_content("faq"),
    **_content("glossary"),
    **_content("legislation"),
    "web.vote": Guard(EVERYONE, FORM(), anonymous=303, needs=("voting",)),
    "web.propose": Guard(
        EVERYONE, FORM(title="T", description="D", sector="ict"), anonymous=303
    ),
    "web.feedback_page": Guard(EVERYONE, FORM(FEEDBACK), public=True),
    "web.survey_page": Guard(EVERYONE, FORM({"q-found_info": "yes"}), public=True),
}


def write_routes():
    """(endpoint, method, rule) of every writing route the app has."""
    from tests.conftest import build_app

    for app in build_app("mock"):
        found = sorted(
            (rule.endpoint, method, rule.rule)
            for rule in app.url_map.iter_rules()
            for method in sorted(rule.methods & set(WRITES))
        )
    return found


ROUTES = write_routes()


def test_every_writing_route_says_who_may_call_it():
    undeclared = sorted({ep for ep, _, _ in ROUTES} - set(GUARDS) - set(PUBLIC))
    assert not undeclared, (
        f"write routes without a guard in tests/test_access_matrix.py GUARDS: {undeclared}; "
        "add who may call each (or, if public by design, a reason in PUBLIC)"
    )
    stale = sorted((set(GUARDS) | set(PUBLIC)) - {ep for ep, _, _ in ROUTES})
    assert not stale, f"GUARDS names routes the app no longer has: {stale}"


@pytest.fixture
def world(client, admin, operator, author, other_author):
    """The callers, an integration token of STATS, and the things paths point at."""
    from portal.db.models import Dataset, Notification
    from portal.services.identity import tokens

    citizen = make_caller("citizen@mail.uz", [])
    callers = {
        "citizen": citizen,
        "author": author,
        "other": other_author,
        "operator": operator,
        "orgadmin": make_caller("orgadmin@stat.uz", ["org_admin"], "2-001"),
        "admin": admin,
    }
    stats = Dataset.objects(code=STATS).get()
    _, integration = tokens.issue(author.user, scope="dataset", dataset=stats.id)
    record, _ = tokens.issue(citizen.user, name="to revoke")
    values = {
        "ds": STATS,
        "name": "2010Y",
        "user_id": citizen.id,
        "token_id": str(record.id),
        "code": "2-001",
        "lang": "uz",
    }
    return {"callers": callers, "integration": integration, "values": values, "stats": stats,
            "Notification": Notification}  # fmt: skip


def _prepare(client, world, guard):
    values = dict(world["values"], **guard.extra)
    citizen = world["callers"]["citizen"]
    operator = world["callers"]["operator"]
    if "comment" in guard.needs:
        made = client.post(
            f"/api/v1/datasets/{STATS}/comments",
            json={"text": "Savol: qachon yangilanadi?"},
            headers=citizen.headers,
        )
        assert made.status_code == 201, made.json
        values["comment_id"] = values["item_id"] = made.json["id"]
    if {"proposal", "voting"} & set(guard.needs):
        body = {"title": "Maktablar ro'yxati", "description": "Manzillari bilan", "sector": "ict"}
        made = client.post("/api/v1/proposals", json=body, headers=citizen.headers)
        assert made.status_code == 201, made.json
        values["proposal_id"] = values["pid"] = made.json["id"]
        if "voting" in guard.needs:
            moved = client.patch(f"/api/v1/proposals/{made.json['id']}",
                                 json={"status": "voting"}, headers=operator.headers)  # fmt: skip
            assert moved.status_code == 200, moved.json
    if "feedback" in guard.needs:
        made = client.post("/api/v1/feedback", json=FEEDBACK)
        assert made.status_code == 201, made.json
        values["feedback_id"] = made.json["id"]
    for kind in set(CONTENT) & set(guard.needs):
        made = client.post(f"/api/v1/{kind}", json=CONTENT[kind], headers=operator.headers)
        assert made.status_code == 201, made.json
        values["item_id"] = made.json["id"]
    if "member" in guard.needs:
        values["user_id"] = make_caller("member@stat.uz", [], "2-001").id
    if "notice" in guard.needs:
        notice = world["Notification"](user=citizen.user.id, dataset=world["stats"].id, message="x")
        notice.save()
        values["notice_id"] = str(notice.id)
    return values


def _path(rule, values):
    import re

    def fill(match):
        name = match.group(1)
        assert name in values, f"no sample value for <{name}> in {rule}: add one to `world`"
        return str(values[name])

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule)


def _call(client, method, path, guard, headers):
    kwargs = {"headers": headers}
    if guard.body == "csv":
        kwargs.update(
            data={"file": (io.BytesIO(b"a,b\r\n1,2\r\n"), "x.csv")},
            content_type="multipart/form-data",
        )
    elif guard.body == "pdf":
        kwargs.update(data={"file": (io.BytesIO(PDF), "m.pdf")}, content_type="multipart/form-data")
    elif isinstance(guard.body, FORM):
        kwargs["data"] = dict(guard.body)
    elif guard.body is not None:
        kwargs["json"] = guard.body
    return client.open(path, method=method, **kwargs)


@pytest.mark.parametrize(
    ("endpoint", "method", "rule"), ROUTES, ids=[f"{m} {r}" for _, m, r in ROUTES]
)
def test_write_route_is_guarded(client, world, endpoint, method, rule):
    if endpoint in PUBLIC:
        pytest.skip(f"public by design: {PUBLIC[endpoint]}")
    guard = GUARDS.get(endpoint)
    assert guard is not None, f"{endpoint} has no guard: see test_every_writing_route_says_who"
    values = _prepare(client, world, guard)
    path = _path(rule, values)

    resp = _call(client, method, path, guard, {})
    if guard.public:
        assert resp.status_code < 400, ("no credentials", resp.status_code)
        assert "/auth/login" not in resp.headers.get("Location", "")
    elif guard.anonymous == 401:
        assert resp.status_code == 401 and resp.get_json()["code"] == 401, resp.status_code
    else:
        assert resp.status_code == 303 and "/auth/login" in resp.headers["Location"]

    integration = {"Authorization": f"Bearer {world['integration']}"}
    resp = _call(client, method, path, guard, integration)
    assert resp.status_code == 403, ("integration token", resp.status_code, resp.get_json())

    callers = world["callers"]
    for role in ROLES:
        if role == "admin" or role in guard.allowed:
            continue
        resp = _call(client, method, path, guard, callers[role].headers)
        assert resp.status_code == 403, (role, resp.status_code, resp.get_json())
        if isinstance(guard.body, FORM):
            assert "<h1>" in resp.text  # a page's form answers with the error page
        else:
            assert resp.get_json()["message"]

    ok = guard.ok or (guard.allowed[0] if guard.allowed else "admin")
    resp = _call(client, method, path, guard, callers[ok].headers)
    assert resp.status_code not in (401, 403), (ok, resp.status_code, resp.get_json())
    assert resp.status_code < 500, (ok, resp.status_code, resp.get_json())
