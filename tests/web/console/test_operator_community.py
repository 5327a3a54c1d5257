"""The operator's community pages: moderation queue, proposals, feedback inbox, survey results,
monitoring and the statistics exports."""

import re

from tests.conftest import make_caller
from tests.web.console.authoring import HTML, assert_error_summary, sign_in

STATS = "2-001-11072"


def test_moderation_queue_hides_a_reported_comment(client, operator):
    citizen = make_caller("citizen@mail.uz", [])
    made = client.post(f"/api/v1/datasets/{STATS}/comments", json={"text": "Reklama: arzon!"},
                       headers=citizen.headers)  # fmt: skip
    cid = made.json["id"]
    client.post(f"/api/v1/comments/{cid}/reports", json={"reason": "spam"},
                headers=operator.headers)  # fmt: skip
    csrf = sign_in(client, "operator@ochiq.uz")
    html = client.get("/en/console/operator/moderation?kind=comment", headers=HTML).text
    assert "Reklama: arzon!" in html and f'id="item-{cid}"' in html
    resp = client.post(f"/en/console/operator/moderation/comment/{cid}",
                       data={"status": "hidden", "reason": "spam"})  # fmt: skip
    assert resp.status_code == 403  # no CSRF token
    resp = client.post(f"/en/console/operator/moderation/comment/{cid}",
                       data={"csrf_token": csrf, "status": "gone",
                             "reason": "Reklama"})  # fmt: skip
    assert_error_summary(resp, f"reason-{cid}")
    assert 'value="Reklama"' in resp.text
    resp = client.post(f"/en/console/operator/moderation/comment/{cid}",
                       data={"csrf_token": csrf, "status": "hidden", "reason": "spam"})  # fmt: skip
    assert resp.status_code == 303
    assert "Hidden." in client.get(resp.headers["Location"], headers=HTML).text
    shown = client.get(f"/api/v1/datasets/{STATS}/comments").json["items"]
    assert cid not in {c["id"] for c in shown}
    resp = client.post("/en/console/operator/moderation/thing/1", data={"csrf_token": csrf})
    assert resp.status_code == 404


def test_proposals_move_through_their_states(client, operator):
    citizen = make_caller("citizen@mail.uz", [])
    pid = client.post("/api/v1/proposals", json={"title": "Avtobus bekatlari",
                      "description": "Har bir bekat", "sector": "economy"},
                      headers=citizen.headers).json["id"]  # fmt: skip
    csrf = sign_in(client, "operator@ochiq.uz")
    html = client.get("/en/console/operator/proposals", headers=HTML).text
    assert "Avtobus bekatlari" in html and "Publish for voting" in html
    resp = client.post(f"/en/console/operator/proposals/{pid}",
                       data={"csrf_token": csrf, "status": "declined"})  # fmt: skip
    assert_error_summary(resp, f"reason-{pid}")
    resp = client.post(f"/en/console/operator/proposals/{pid}",
                       data={"csrf_token": csrf, "status": "voting"})  # fmt: skip
    assert resp.status_code == 303
    assert client.get(f"/api/v1/proposals/{pid}").json["status"] == "voting"
    resp = client.post(f"/en/console/operator/proposals/{pid}",
                       data={"csrf_token": csrf, "status": "in_progress", "organization": "2-001"})
    assert resp.status_code == 303
    resp = client.post(f"/en/console/operator/proposals/{pid}",
                       data={"csrf_token": csrf, "status": "fulfilled", "dataset": "2-001-99999"})
    assert_error_summary(resp, f"dataset-{pid}")
    assert 'value="2-001-99999"' in resp.text
    resp = client.post(f"/en/console/operator/proposals/{pid}",
                       data={"csrf_token": csrf, "status": "fulfilled", "dataset": STATS})
    assert resp.status_code == 303
    done = client.get(f"/api/v1/proposals/{pid}").json
    assert done["status"] == "fulfilled" and done["dataset"] == STATS
    notices = client.get("/api/v1/me/notifications", headers=citizen.headers).json["items"]
    assert any("fulfilled" in n["message"] for n in notices)
    assert client.get("/en/console/operator/proposals?status=nope").status_code == 400


def test_feedback_inbox_marks_a_message_handled_with_a_reply(client, operator):
    fid = client.post("/api/v1/feedback", json={"full_name": "Ali Valiyev",
                      "email": "ali@example.uz", "message": "Xarita ishlamayapti"}).json["id"]
    csrf = sign_in(client, "operator@ochiq.uz")
    html = client.get("/en/console/operator/feedback?handled=0", headers=HTML).text
    assert "Xarita ishlamayapti" in html
    long = "y" * 5001
    resp = client.post(f"/en/console/operator/feedback/{fid}",
                       data={"csrf_token": csrf, "handled": "1", "reply": long})  # fmt: skip
    assert_error_summary(resp, f"reply-{fid}")
    assert long in resp.text
    resp = client.post(f"/en/console/operator/feedback/{fid}",
                       data={"csrf_token": csrf, "handled": "1", "reply": "Tuzatildi"})  # fmt: skip
    assert resp.status_code == 303
    inbox = client.get("/api/v1/feedback", headers=operator.headers).json["items"]
    mine = [f for f in inbox if f["id"] == fid][0]
    assert mine["handled"] is True and mine["reply"] == "Tuzatildi"
    assert "Xarita" not in client.get("/en/console/operator/feedback?handled=0").text


def test_survey_results_count_the_answers(client, operator):
    survey = client.get("/api/v1/survey").json["questions"]
    first = survey[0]
    resp = client.post("/api/v1/survey/answers",
                       json={"answers": {first["id"]: first["options"][0]["id"]}})  # fmt: skip
    assert resp.status_code == 201, resp.json
    sign_in(client, "operator@ochiq.uz")
    html = client.get("/en/console/operator/survey", headers=HTML).text
    assert "1 answers" in html
    cells = re.findall(r'<td class="num">(\d+)</td>', html)
    assert "1" in cells


def test_monitoring_and_the_exports_link_to_csv_tables(client, operator):
    sign_in(client, "operator@ochiq.uz")
    html = client.get("/en/console/operator/monitoring", headers=HTML).text
    assert "Organizations ranked by timeliness" in html and "Reminders" in html
    html = client.get("/ru/console/operator/exports", headers=HTML).text
    links = [u.replace("&amp;", "&") for u in re.findall(r'href="(/api/v1/[^"]+)"', html)]
    assert len(links) >= 10
    for url in links:
        assert url.endswith("format=csv&lang=ru")
        resp = client.get(url)
        assert resp.status_code == 200 and resp.mimetype == "text/csv", url


def _ids_on(html, prefix):
    return re.findall(rf'<li class="card" id="{prefix}-([0-9a-f]{{24}})"', html)


def _current_page(html):
    found = re.search(r'<a href="([^"]+)" aria-current="page">(\d+)</a>', html)
    return found and (found.group(1), int(found.group(2)))


def test_the_feedback_inbox_keeps_its_page_and_filter_after_a_form(client, operator,
                                                                   monkeypatch):  # fmt: skip
    from portal.web.console import operator_community

    monkeypatch.setattr(operator_community, "PAGE_SIZE", 2)
    for n in range(5):
        client.post("/api/v1/feedback", json={"full_name": f"Yozuvchi {n}",
                    "email": f"y{n}@example.uz", "message": f"Xabar raqami {n}"})  # fmt: skip
    csrf = sign_in(client, "operator@ochiq.uz")
    page2 = client.get("/en/console/operator/feedback?handled=0&page=2", headers=HTML).text
    ids = _ids_on(page2, "f")
    assert len(ids) == 2
    action = f"/en/console/operator/feedback/{ids[0]}?handled=0&amp;page=2"
    assert f'action="{action}"' in page2
    post = action.replace("&amp;", "&")
    failed = client.post(post, data={"csrf_token": csrf, "handled": "1", "reply": "y" * 5001})
    assert_error_summary(failed, f"reply-{ids[0]}")
    assert _ids_on(failed.text, "f") == ids  # page 2 of the unhandled ones, not page 1
    assert _current_page(failed.text) == ("/en/console/operator/feedback?handled=0&amp;page=2", 2)
    assert f'action="{action}"' in failed.text
    ok = client.post(post, data={"csrf_token": csrf, "handled": "1", "reply": "Tuzatildi"})
    assert ok.status_code == 303
    assert ok.headers["Location"] == "/en/console/operator/feedback?handled=0&page=2"
    # the last page's last message handled: the inbox shows the (new) last page
    last = client.get("/en/console/operator/feedback?handled=0&page=2", headers=HTML).text
    for fid in _ids_on(last, "f"):
        post = f"/en/console/operator/feedback/{fid}?handled=0&page=2"
        client.post(post, data={"csrf_token": csrf, "handled": "1"})
    past = client.get("/en/console/operator/feedback?handled=0&page=2", headers=HTML)
    assert past.status_code == 200 and len(_ids_on(past.text, "f")) == 2  # page 1, the last


def test_the_moderation_queue_keeps_its_page_and_filters_after_a_form(client, operator,
                                                                      monkeypatch):  # fmt: skip
    from portal.web.console import operator_community

    monkeypatch.setattr(operator_community, "PAGE_SIZE", 2)
    citizen = make_caller("citizen@mail.uz", [])
    for n in range(5):
        made = client.post(f"/api/v1/datasets/{STATS}/comments", json={"text": f"Reklama {n}"},
                           headers=citizen.headers)  # fmt: skip
        client.post(f"/api/v1/comments/{made.json['id']}/reports", json={"reason": "spam"},
                    headers=operator.headers)  # fmt: skip
    csrf = sign_in(client, "operator@ochiq.uz")
    listing = "/en/console/operator/moderation?kind=comment&page=2"
    page2 = client.get(listing, headers=HTML).text
    ids = _ids_on(page2, "item")
    assert len(ids) == 2
    action = f"/en/console/operator/moderation/comment/{ids[0]}?kind=comment&amp;page=2"
    assert f'action="{action}"' in page2
    post = action.replace("&amp;", "&")
    failed = client.post(post, data={"csrf_token": csrf, "status": "gone", "reason": "Reklama"})
    assert_error_summary(failed, f"reason-{ids[0]}")
    assert _ids_on(failed.text, "item") == ids and 'value="Reklama"' in failed.text
    assert _current_page(failed.text)[1] == 2
    assert 'href="/en/console/operator/moderation?kind=comment&amp;page=1"' in failed.text
    ok = client.post(post, data={"csrf_token": csrf, "status": "visible", "reason": "ok"})
    assert ok.status_code == 303
    assert ok.headers["Location"] == "/en/console/operator/moderation?kind=comment&page=2"
    assert "Shown." in client.get(ok.headers["Location"], headers=HTML).text
    bad = client.post(f"/en/console/operator/moderation/comment/{ids[1]}?page=nope",
                      data={"csrf_token": csrf, "status": "hidden"})  # fmt: skip
    assert bad.status_code == 400
