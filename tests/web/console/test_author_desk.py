"""The desk: sign-in, datasets with the Active switch, notifications."""

from tests.web.console.authoring import HTML, csrf_of, draft, sign_in


def test_anonymous_person_is_sent_to_the_sign_in_with_next(client):
    resp = client.get("/en/console/", headers=HTML)
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/auth/login?next=/en/console/"
    resp = client.post("/en/console/datasets/2-001-0001/active", data={"active": "0"})
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/auth/login?next=")


def test_header_log_in_leads_to_the_desk(client):
    html = client.get("/en/", headers=HTML).text
    assert 'href="/auth/login?next=/en/console/"' in html


def test_sign_in_page_offers_oneid_and_the_development_sign_in(client):
    html = client.get("/ru/console/sign-in?next=/ru/datasets", headers=HTML).text
    assert 'href="/auth/login?next=/ru/datasets"' in html
    assert 'action="/auth/dev-login"' in html and 'value="/ru/datasets"' in html
    # a foreign next is refused, the desk is the default
    html = client.get("/ru/console/sign-in?next=//evil.example", headers=HTML).text
    assert 'value="//evil.example"' not in html and "login?next=//evil" not in html
    assert 'href="/auth/login?next=/ru/console/"' in html


def test_sign_in_page_refuses_an_unknown_parameter(client):
    assert client.get("/en/console/sign-in?x=1", headers=HTML).status_code == 400


def test_author_sees_their_organizations_datasets_and_no_others(client, author, operator):
    code = draft(client, operator)
    other = draft(client, operator, org="4-019")
    sign_in(client, "author@stat.uz")
    html = client.get("/en/console/", headers=HTML).text
    assert '<h2 id="datasets-h">Data Sets</h2>' in html
    assert f'id="ds-{code}"' in html and f'id="ds-{other}"' not in html
    for column in ("ID", "Name", "Structure", "Status", "Updated date", "Actions", "Active"):
        assert f'<th scope="col">{column}</th>' in html
    assert 'aria-current="page">Desk' in html


def test_desk_in_four_languages(client, author):
    sign_in(client, "author@stat.uz")
    for lang, word in (("uz", "Bildirishnomalar"), ("oz", "Билдиришномалар"),
                       ("ru", "Уведомления"), ("en", "Notifications")):  # fmt: skip
        html = client.get(f"/{lang}/console/", headers=HTML).text
        assert word in html, lang


def test_active_switch_hides_and_shows_a_dataset(client, author, operator):
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    resp = client.post(
        f"/en/console/datasets/{code}/active", data={"active": "0", "csrf_token": csrf}
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"#ds-{code}")
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["active"] is False
    html = client.get("/en/console/", headers=HTML).text
    assert 'role="status"' in html and f"The dataset {code} is hidden from the public." in html
    client.post(f"/en/console/datasets/{code}/active", data={"active": "1", "csrf_token": csrf})
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["active"] is True


def test_active_switch_needs_the_csrf_token(client, author, operator):
    code = draft(client, operator)
    sign_in(client, "author@stat.uz")
    resp = client.post(f"/en/console/datasets/{code}/active", data={"active": "0"})
    assert resp.status_code == 403 and "<h1>You may not open this page</h1>" in resp.text
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["active"] is True


def test_active_switch_refuses_another_organizations_dataset(client, author, operator):
    other = draft(client, operator, org="4-019")
    csrf = sign_in(client, "author@stat.uz")
    resp = client.post(
        f"/en/console/datasets/{other}/active", data={"active": "0", "csrf_token": csrf}
    )
    assert resp.status_code in (403, 404)
    assert "text/html" in resp.content_type
    assert client.get(f"/api/v1/datasets/{other}", headers=operator.headers).json["active"] is True


def test_active_switch_refuses_a_person_without_a_role(client, app):
    from tests.conftest import make_caller

    make_caller("citizen@mail.uz", [])
    csrf = sign_in(client, "citizen@mail.uz")
    resp = client.post(
        "/en/console/datasets/2-001-0001/active", data={"active": "0", "csrf_token": csrf}
    )
    assert resp.status_code == 403
    html = client.get("/en/console/", headers=HTML).text
    assert "Data Sets" not in html and "Notifications" in html


def test_active_switch_refuses_a_bad_value(client, author, operator):
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    resp = client.post(
        f"/en/console/datasets/{code}/active", data={"active": "no", "csrf_token": csrf}
    )
    assert resp.status_code == 400 and "text/html" in resp.content_type


def test_rejection_reaches_the_author_with_its_reasons_and_is_marked_read(client, author, operator):
    code = draft(client, operator)
    resp = client.post(
        f"/api/v1/datasets/{code}/rejections",
        json={"reasons": ["The phone number is missing"]},
        headers=operator.headers,
    )
    assert resp.status_code == 201, resp.json
    csrf = sign_in(client, "author@stat.uz")
    html = client.get("/en/console/", headers=HTML).text
    assert f"The operator rejected the dataset {code}." in html
    assert "The phone number is missing" in html and "1 unread" in html
    assert client.post("/en/console/notifications/read", data={}).status_code == 403
    resp = client.post("/en/console/notifications/read", data={"csrf_token": csrf})
    assert resp.status_code == 303
    html = client.get("/en/console/", headers=HTML).text
    assert "1 unread" not in html and "All notifications are marked read." in html


def test_one_notification_is_marked_read(client, author, operator):
    code = draft(client, operator)
    client.post(f"/api/v1/datasets/{code}/rejections", json={"reasons": ["No unit"]},
                headers=operator.headers)  # fmt: skip
    csrf = sign_in(client, "author@stat.uz")
    notice = client.get("/api/v1/me/notifications", headers=author.headers).json["items"][0]
    resp = client.post(f"/en/console/notifications/{notice['id']}/read", data={"csrf_token": csrf})
    assert resp.status_code == 303
    assert client.get("/api/v1/me/notifications", headers=author.headers).json["unread"] == 0
    resp = client.post("/en/console/notifications/nope/read", data={"csrf_token": csrf})
    assert resp.status_code == 404 and "text/html" in resp.content_type


def test_header_shows_the_unread_count(client, author, operator):
    code = draft(client, operator)
    client.post(f"/api/v1/datasets/{code}/rejections", json={"reasons": ["No unit"]},
                headers=operator.headers)  # fmt: skip
    sign_in(client, "author@stat.uz")
    html = client.get("/en/datasets", headers=HTML).text
    assert 'class="who" href="/en/console/"' in html and "1 unread" in html


def test_logout_from_the_console_ends_the_session(client, author):
    csrf = sign_in(client, "author@stat.uz")
    resp = client.post("/en/logout", data={"csrf_token": csrf, "next": "/en/console/"})
    assert resp.status_code == 303
    assert client.get("/en/console/", headers=HTML).status_code == 303
    assert csrf_of is not None
