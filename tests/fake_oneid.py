"""Loopback fakes of the identity providers: OneID's OAuth2 dialect and a standard OIDC provider.

Each runs a real HTTP server in a thread. What a client sends wrong is recorded in `problems`
(a server thread cannot fail the test itself) and answered with an OAuth error.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

with warnings.catch_warnings():
    # authlib.jose warns that it is deprecated on import; the fakes only sign test tokens.
    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebKey, jwt

__all__ = ["FakeOIDC", "FakeOneID", "JsonWebKey"]


class _Handler(BaseHTTPRequestHandler):
    fake = None

    def _answer(self, method):
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        form = dict(parse_qsl(raw)) if raw else {}
        status, headers, body = self.fake.handle(method, parts.path, query, form, self.headers)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        headers = {"Content-Type": "application/json", **headers}
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self._answer("GET")

    def do_POST(self):  # noqa: N802
        self._answer("POST")

    def log_message(self, *args):
        pass


class _FakeServer:
    def __init__(self):
        handler = type("Handler", (_Handler,), {"fake": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.problems = []
        self.lock = threading.Lock()

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def problem(self, message, error="invalid_request", status=400):
        self.problems.append(message)
        return status, {}, {"error": error, "error_description": message}

    def expect(self, got, name, wanted):
        if got.get(name) != wanted:
            self.problems.append(f"{name}: expected {wanted!r}, got {got.get(name)!r}")
            return False
        return True


def _redirect(uri, **params):
    return 302, {"Location": f"{uri}?{urlencode(params)}"}, b""


class FakeOneID(_FakeServer):
    """id.egov.uz: GET the login page, POST one_authorization_code, identify, one_log_out."""

    PATH = "/sso/oauth/Authorization.do"

    def __init__(self, client_id, client_secret, redirect_uri, scope):
        super().__init__()
        self.client = {"client_id": client_id, "client_secret": client_secret}
        self.redirect_uri = redirect_uri
        self.scope = scope
        self.url = self.base + self.PATH
        self.person = None  # who signs in at OneID's page next
        self.codes = {}  # one-time code -> person, or None once used
        self.tokens = {}  # access token -> person
        self.calls = []  # (grant_type, form) of every POST
        self.fail = {}  # grant_type -> (status, body) to answer instead
        self.logged_out = []

    def handle(self, method, path, query, form, headers):
        if path != self.PATH:
            return 404, {}, {"error": "not_found"}
        if method == "GET":
            return self.authorize(query)
        with self.lock:
            return self.grant(form, headers)

    def authorize(self, query):
        ok = all(
            self.expect(query, name, wanted)
            for name, wanted in [
                ("response_type", "one_code"),
                ("client_id", self.client["client_id"]),
                ("redirect_uri", self.redirect_uri),
                ("scope", self.scope),
            ]
        )
        if not ok or not query.get("state"):
            return 400, {}, {"error": "invalid_request"}
        code = secrets.token_urlsafe(16)
        self.codes[code] = self.person
        return _redirect(self.redirect_uri, code=code, state=query["state"])

    def grant(self, form, headers):
        grant_type = form.get("grant_type")
        self.calls.append((grant_type, form))
        if not headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            return self.problem("the body must be form-encoded")
        if "Authorization" in headers:
            return self.problem("OneID reads client credentials from the form, not a header")
        if grant_type in self.fail:
            status, body = self.fail[grant_type]
            return status, {}, body
        if not all(self.expect(form, k, v) for k, v in self.client.items()):
            return self.problem("wrong client credentials", "invalid_client", 401)
        if grant_type == "one_authorization_code":
            if not self.expect(form, "redirect_uri", self.redirect_uri):
                return self.problem("wrong redirect_uri", "invalid_grant")
            person = self.codes.get(form.get("code"))
            if person is None:  # unknown, or used already: codes are good once
                return 400, {}, {"error": "invalid_grant", "error_description": "bad code"}
            self.codes[form["code"]] = None
            token = secrets.token_urlsafe(24)
            self.tokens[token] = person
            return (
                200,
                {},
                {
                    "access_token": token,
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "scope": self.scope,
                    "refresh_token": secrets.token_urlsafe(24),
                },
            )
        if not self.expect(form, "scope", self.scope):
            return self.problem("wrong scope")
        person = self.tokens.get(form.get("access_token"))
        if person is None:
            return 400, {}, {"error": "invalid_token"}
        if grant_type == "one_access_token_identify":
            return 200, {}, {"valid": "true", **person}
        if grant_type == "one_log_out":
            self.logged_out.append(self.tokens.pop(form["access_token"])["user_id"])
            return 200, {}, {"logged_out": True}
        return self.problem(f"unknown grant_type {grant_type!r}", "unsupported_grant_type")


class FakeOIDC(_FakeServer):
    """A standard provider: discovery, authorize (PKCE S256, nonce), token, JWKS, revocation."""

    def __init__(self, key, client_id, client_secret, redirect_uri):
        super().__init__()
        self.key = key
        self.signing_key = key  # replace to sign with a key the JWKS does not hold
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.metadata_url = self.base + "/.well-known/openid-configuration"
        self.claims = {}  # the person signing in next: sub, email, email_verified, name
        self.nonce_override = None  # sign a nonce other than the one asked for
        self.codes = {}
        self.revoked = []

    def handle(self, method, path, query, form, headers):
        routes = {
            ("GET", "/.well-known/openid-configuration"): self.discovery,
            ("GET", "/authorize"): self.authorize,
            ("POST", "/token"): self.token,
            ("GET", "/jwks"): self.jwks,
            ("POST", "/revoke"): self.revoke,
        }
        route = routes.get((method, path))
        if route is None:
            return 404, {}, {"error": "not_found"}
        with self.lock:
            return route(query or form, headers)

    def discovery(self, _params, _headers):
        return (
            200,
            {},
            {
                "issuer": self.base,
                "authorization_endpoint": self.base + "/authorize",
                "token_endpoint": self.base + "/token",
                "jwks_uri": self.base + "/jwks",
                "revocation_endpoint": self.base + "/revoke",
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            },
        )

    def jwks(self, _params, _headers):
        return 200, {}, {"keys": [self.key.as_dict(is_private=False, kid="k1", use="sig")]}

    def authorize(self, query, _headers):
        ok = all(
            self.expect(query, name, wanted)
            for name, wanted in [
                ("response_type", "code"),
                ("client_id", self.client_id),
                ("redirect_uri", self.redirect_uri),
                ("code_challenge_method", "S256"),
            ]
        )
        scopes = query.get("scope", "").split()
        if (
            not ok
            or "openid" not in scopes
            or not all(query.get(k) for k in ("state", "nonce", "code_challenge"))
        ):
            return self.problem("incomplete authorization request")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": query["code_challenge"],
            "nonce": query["nonce"],
            "claims": dict(self.claims),
        }
        # `iss` in the answer (RFC 9207) is an extra parameter the client must tolerate.
        return _redirect(self.redirect_uri, code=code, state=query["state"], iss=self.base)

    def _client_ok(self, headers):
        scheme, _, value = headers.get("Authorization", "").partition(" ")
        wanted = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        return scheme == "Basic" and value == wanted

    def token(self, form, headers):
        if not self._client_ok(headers):
            return self.problem("client authentication failed", "invalid_client", 401)
        if form.get("grant_type") != "authorization_code":
            return self.problem("wrong grant_type", "unsupported_grant_type")
        if not self.expect(form, "redirect_uri", self.redirect_uri):
            return self.problem("wrong redirect_uri", "invalid_grant")
        pending = self.codes.pop(form.get("code"), None)
        if pending is None:
            return 400, {}, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != pending["challenge"]:
            return self.problem("PKCE verifier does not match", "invalid_grant")
        now = int(time.time())
        claims = {
            "iss": self.base,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce_override or pending["nonce"],
            **pending["claims"],
        }
        header = {"alg": "RS256", "kid": "k1", "typ": "JWT"}
        id_token = jwt.encode(header, claims, self.signing_key).decode()
        access_token = secrets.token_urlsafe(24)
        return (
            200,
            {},
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )

    def revoke(self, form, headers):
        if not self._client_ok(headers):
            return self.problem("client authentication failed", "invalid_client", 401)
        self.revoked.append(form.get("token"))
        return 200, {}, b""
