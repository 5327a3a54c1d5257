"""Rating and comments on the dataset page, as forms that work without JavaScript."""

import re

LIBRARIES = "4-019-0014"
HTML = {"Accept": "text/html"}


def sign_in(client, email):
    client.get(f"/auth/dev-login?email={email}&next=/en/")
    html = client.get(f"/en/datasets/{LIBRARIES}", headers=HTML).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_visitor_is_asked_to_log_in(client):
    html = client.get(f"/en/datasets/{LIBRARIES}", headers=HTML).text
    assert "Log in to rate and comment" in html and "stars-5" not in html
    resp = client.post(f"/en/datasets/{LIBRARIES}/rating", data={"stars": "4"})
    assert resp.status_code == 303 and "/auth/login" in resp.headers["Location"]


def test_rate_with_the_star_radios_and_withdraw(client, other_author):
    csrf = sign_in(client, "author@ssv.uz")
    resp = client.post(f"/en/datasets/{LIBRARIES}/rating", data={"stars": "4", "csrf_token": csrf})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("#rating")
    html = client.get(f"/en/datasets/{LIBRARIES}", headers=HTML).text
    assert "4.0 of 5 (1 ratings)" in html or "4 of 5 (1 ratings)" in html
    assert 'id="stars-4" name="stars" value="4" checked' in html
    data = {"withdraw": "1", "csrf_token": csrf}
    assert client.post(f"/en/datasets/{LIBRARIES}/rating", data=data).status_code == 303
    assert "Not rated yet" in client.get(f"/en/datasets/{LIBRARIES}", headers=HTML).text


def test_a_bad_rating_gets_the_error_summary(client, other_author):
    csrf = sign_in(client, "author@ssv.uz")
    resp = client.post(f"/en/datasets/{LIBRARIES}/rating", data={"stars": "9", "csrf_token": csrf})
    assert resp.status_code == 422
    assert 'class="error-summary"' in resp.text and 'href="#stars-5"' in resp.text
    assert "<title>Error: " in resp.text


def test_comment_reply_and_official_answer(client, author, other_author):
    csrf = sign_in(client, "author@stat.uz")  # not of the dataset's organization
    text = "Is there data for <2020>?"
    resp = client.post(
        f"/en/datasets/{LIBRARIES}/comments", data={"text": text, "csrf_token": csrf}
    )
    assert resp.status_code == 303
    html = client.get(f"/en/datasets/{LIBRARIES}", headers=HTML).text
    assert "Is there data for &lt;2020&gt;?" in html
    first = re.search(r'name="reply_to" value="([0-9a-f]{24})"', html).group(1)
    csrf = sign_in(client, "author@ssv.uz")  # the dataset's own organization answers
    data = {"text": "Yes, from next quarter.", "reply_to": first, "csrf_token": csrf}
    assert client.post(f"/en/datasets/{LIBRARIES}/comments", data=data).status_code == 303
    html = client.get(f"/en/datasets/{LIBRARIES}", headers=HTML).text
    assert "Official answer" in html and "Yes, from next quarter." in html


def test_an_empty_comment_is_told_next_to_the_field(client, author):
    csrf = sign_in(client, "author@stat.uz")
    resp = client.post(f"/ru/datasets/{LIBRARIES}/comments", data={"text": " ", "csrf_token": csrf})
    assert resp.status_code == 422
    assert 'href="#comment-text"' in resp.text
    assert 'aria-invalid="true"' in resp.text and 'id="comment-text-error"' in resp.text
