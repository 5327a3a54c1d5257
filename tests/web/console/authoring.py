"""Shared steps of the author console tests: sign in, read the CSRF token, make a dataset."""

import re

from tests.helpers import new_dataset

HTML = {"Accept": "text/html"}


def sign_in(client, email, lang="en"):
    """Open a session through the development sign-in; the session's CSRF token."""
    resp = client.get(f"/auth/dev-login?email={email}&next=/{lang}/console/")
    assert resp.status_code == 302, resp.status_code
    return csrf_of(client.get(f"/{lang}/console/", headers=HTML).text)


def csrf_of(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def draft(client, operator, org="2-001"):
    """A new dataset passport (status draft) of the organization; its code."""
    return new_dataset(client, operator, org=org)["code"]


def assert_error_summary(resp, *field_ids):
    """A 422 page with the GOV.UK error summary linking to each named field."""
    assert resp.status_code == 422, resp.status_code
    assert 'class="error-summary"' in resp.text and "<title>Error: " in resp.text
    for field_id in field_ids:
        assert f'href="#{field_id}"' in resp.text, field_id
