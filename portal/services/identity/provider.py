"""The identity provider seam, and its standard OpenID Connect implementation (OneID: oneid.py).

A provider turns a sign-in into an identity dict:
`{pin | subject, oneid_user_id, email, email_verified, name, phone, tins, access_token}`.
"""

import logging

import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from portal.core.errors import BadRequest, PortalError

log = logging.getLogger("portal.auth")

TIMEOUT = 10  # seconds for every call to a provider
# Asymmetric algorithms only: an HMAC "id_token" keyed with a public key must never verify.
ID_TOKEN_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
# Errors that mean the portal's own client registration is wrong, not the person's sign-in.
CLIENT_ERRORS = ("invalid_client", "unauthorized_client")


class ProviderUnavailable(PortalError):
    """The identity provider did not answer, or answered something unusable."""

    status = 502
    default_message = "the identity provider did not answer"


class Provider:
    """What sign-in needs from an identity provider."""

    name = ""
    title = ""

    def authorize_url(self, state, nonce, code_verifier):
        """The provider's page the browser is sent to."""
        raise NotImplementedError

    def exchange(self, code, nonce, code_verifier):
        """The identity behind an authorization code (the code is used up)."""
        raise NotImplementedError

    def logout(self, access_token):
        """End the session at the provider; raises on failure."""
        raise NotImplementedError

    def _call(self, send, *args, **kwargs):
        """Run one request to the provider, turning its failures into portal errors."""
        try:
            return send(*args, **kwargs)
        except OAuthError as exc:
            log.warning(
                "provider refused", extra={"fields": {"provider": self.name, "error": exc.error}}
            )
            if exc.error in CLIENT_ERRORS:
                raise ProviderUnavailable(
                    f"{self.title} does not accept the portal's client credentials ({exc.error})"
                ) from None
            detail = f"{self.title} refused the sign-in: {exc.error}"
            if exc.description:
                detail += f" ({str(exc.description)[:200]})"
            raise BadRequest(detail) from None
        except (requests.RequestException, ValueError) as exc:
            status = getattr(getattr(exc, "response", None), "status_code", None)
            log.warning(
                "provider unavailable",
                extra={
                    "fields": {"provider": self.name, "status": status, "error": type(exc).__name__}
                },
            )
            answer = f"HTTP {status}" if status else type(exc).__name__
            raise ProviderUnavailable(f"{self.title} did not answer usably ({answer})") from None


class OpenIDConnect(Provider):
    """A standard OpenID Connect provider: authorization code with PKCE, nonce and id_token."""

    name = "oidc"
    title = "the identity provider"

    def __init__(self, metadata_url, client_id, client_secret, redirect_uri, scope):
        self.metadata_url = metadata_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.scope = scope
        self._metadata = None

    def _get_json(self, url):
        def get():
            resp = requests.get(url, timeout=TIMEOUT)
            resp.raise_for_status()
            return resp.json()

        return self._call(get)

    def metadata(self):
        """The provider's discovery document (fetched once per sign-in step)."""
        if self._metadata is None:
            meta = self._get_json(self.metadata_url)
            needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
            if not isinstance(meta, dict) or any(not meta.get(k) for k in needed):
                raise ProviderUnavailable("the provider's OpenID metadata is incomplete")
            self._metadata = meta
        return self._metadata

    def _session(self):
        methods = self.metadata().get("token_endpoint_auth_methods_supported")
        method = "client_secret_basic"
        if methods and method not in methods and "client_secret_post" in methods:
            method = "client_secret_post"
        return OAuth2Session(
            self.client_id,
            self.client_secret,
            token_endpoint_auth_method=method,
            scope=self.scope,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            default_timeout=TIMEOUT,
        )

    def authorize_url(self, state, nonce, code_verifier):
        """The provider's login page, with PKCE (S256) and a nonce."""
        url, _ = self._session().create_authorization_url(
            self.metadata()["authorization_endpoint"],
            state=state,
            nonce=nonce,
            code_verifier=code_verifier,
        )
        return url

    def exchange(self, code, nonce, code_verifier):
        """Trade the code (with the PKCE verifier) for tokens and verify the id_token."""
        session = self._session()
        token = self._call(
            session.fetch_token,
            self.metadata()["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=code_verifier,
        )
        if not token.get("id_token"):
            raise ProviderUnavailable("the provider answered without an id_token")
        claims = self._verify(token, nonce)
        return {
            "subject": str(claims["sub"]),
            "email": (claims.get("email") or "").strip().lower() or None,
            "email_verified": claims.get("email_verified") is True,
            "name": claims.get("name") or "",
            "phone": claims.get("phone_number") or None,
            "tins": [],
            "access_token": token.get("access_token"),
        }

    def _verify(self, token, nonce):
        meta = self.metadata()
        try:
            keys = KeySet.import_key_set(self._get_json(meta["jwks_uri"]))
        except (JoseError, ValueError, TypeError, KeyError):
            raise ProviderUnavailable("the provider's JWKS is not a key set") from None
        offered = meta.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [a for a in offered if a in ID_TOKEN_ALGORITHMS]
        options = {
            "iss": {"essential": True, "value": meta["issuer"]},
            "aud": {"essential": True, "values": [self.client_id]},
        }
        params = {
            "nonce": nonce,
            "client_id": self.client_id,
            "access_token": token.get("access_token"),
        }
        try:
            decoded = jwt.decode(token["id_token"], keys, algorithms=algorithms)
            claims = CodeIDToken(decoded.claims, decoded.header, options, params)
            claims.validate(leeway=60)
        except (JoseError, ValueError) as exc:
            reason = getattr(exc, "description", None) or getattr(exc, "error", None) or "invalid"
            log.warning(
                "id_token rejected",
                extra={"fields": {"provider": self.name, "reason": str(reason)}},
            )
            raise BadRequest(f"the provider's id_token does not verify: {reason}") from None
        return claims

    def logout(self, access_token):
        """Revoke the access token where the provider offers revocation (RFC 7009)."""
        endpoint = self.metadata().get("revocation_endpoint")
        if not endpoint or not access_token:
            return
        resp = self._call(
            self._session().revoke_token,
            endpoint,
            token=access_token,
            token_type_hint="access_token",  # noqa: S106 - a token kind
        )
        if resp.status_code != 200:
            raise ProviderUnavailable(f"revocation answered HTTP {resp.status_code}")
