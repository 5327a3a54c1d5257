"""The development sign-in answers only on a loopback address, whatever the settings say."""

import ipaddress
import socket
import threading

import pytest
import requests
from werkzeug.serving import make_server

from portal.embedded import free_port


def _outside_address():
    """This machine's address on a non-loopback interface, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))  # a UDP connect sends nothing
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


@pytest.fixture
def served(app):
    """The app behind a real server listening on every interface."""
    port = free_port()
    server = make_server("0.0.0.0", port, app, threaded=True)  # noqa: S104 - the point of the test
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    http = requests.Session()
    http.trust_env = False  # no proxy between the test and the server
    yield port, http
    server.shutdown()
    thread.join(5)


def test_dev_login_answers_only_on_loopback(served, author):
    port, http = served
    path = "/auth/dev-login?email=author@stat.uz&next=/x"
    local = http.get(f"http://127.0.0.1:{port}{path}", allow_redirects=False, timeout=10)
    assert local.status_code == 302 and local.headers["Location"] == "/x"
    assert local.cookies.get("session")

    proxied = http.get(
        f"http://127.0.0.1:{port}{path}",
        headers={"X-Forwarded-For": "203.0.113.9"},
        allow_redirects=False,
        timeout=10,
    )
    assert proxied.status_code == 404 and not proxied.cookies.get("session")

    outside = _outside_address()
    if outside is None:
        pytest.skip("this machine has no non-loopback address to reach the server on")
    # Same settings (development, DEV_LOGIN on), but the connection came in from the network.
    resp = http.get(f"http://{outside}:{port}{path}", allow_redirects=False, timeout=10)
    assert resp.status_code == 404
    assert not resp.cookies.get("session")
    assert resp.json()["code"] == 404
    # The rest of the portal answers there as usual.
    assert http.get(f"http://{outside}:{port}/healthz", timeout=10).status_code == 200
