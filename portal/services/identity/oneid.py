"""OneID (id.egov.uz): OAuth2 with its own grant types, all POSTed to the one endpoint."""

import requests
from authlib.integrations.requests_client import OAuth2Session

from portal.core.errors import BadRequest
from portal.services.identity.provider import TIMEOUT, Provider, ProviderUnavailable


def _refuse_unexpected_status(resp):
    """A non-200 answer without an OAuth error body is the provider failing, not a token."""
    if resp.status_code != 200:
        try:
            body = resp.json()
        except ValueError:
            body = None
        if not (isinstance(body, dict) and "error" in body):
            raise requests.HTTPError(f"HTTP {resp.status_code}", response=resp)
    return resp


def _truthy(value):
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


class OneID(Provider):
    """The OneID client: one_code, one_authorization_code, identify, one_log_out."""

    name = "oneid"
    title = "OneID"

    def __init__(self, url, client_id, client_secret, redirect_uri, scope):
        self.url = url
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.scope = scope

    def _session(self):
        # OneID reads the client credentials from the form body, not from HTTP Basic.
        session = OAuth2Session(
            self.client_id,
            self.client_secret,
            token_endpoint_auth_method="client_secret_post",  # noqa: S106 - a method name
            default_timeout=TIMEOUT,
        )
        session.register_compliance_hook("access_token_response", _refuse_unexpected_status)
        return session

    def authorize_url(self, state, nonce=None, code_verifier=None):
        """OneID's login page; OneID knows neither nonce nor PKCE."""
        url, _ = self._session().create_authorization_url(
            self.url,
            state=state,
            response_type="one_code",
            redirect_uri=self.redirect_uri,
            scope=self.scope,
        )
        return url

    def _grant(self, session, grant_type, **params):
        return dict(self._call(session.fetch_token, self.url, grant_type=grant_type, **params))

    def exchange(self, code, nonce=None, code_verifier=None):
        """Trade the one-time code for an access token, then ask OneID who it belongs to."""
        session = self._session()
        token = self._grant(
            session, "one_authorization_code", code=code, redirect_uri=self.redirect_uri
        )
        access_token = token.get("access_token")
        if not access_token:
            raise ProviderUnavailable("OneID answered without an access token")
        person = self._grant(
            session, "one_access_token_identify", access_token=access_token, scope=self.scope
        )
        if str(person.get("valid", "true")).lower() == "false":
            raise BadRequest("OneID says the sign-in is no longer valid")
        return oneid_identity(person, access_token)

    def logout(self, access_token):
        """POST one_log_out so the person is signed out of OneID too."""
        session = self._session()
        self._grant(session, "one_log_out", access_token=access_token, scope=self.scope)


def oneid_identity(person, access_token):
    """The identity dict of a OneID identify answer."""
    pin = str(person.get("pin") or "").strip()
    if not pin:
        raise ProviderUnavailable("OneID answered without a PINFL")
    legal = [le for le in person.get("legal_info") or [] if isinstance(le, dict)]
    # The person's main legal entity decides the organization when several match.
    legal.sort(key=lambda le: not _truthy(le.get("is_basic")))
    parts = (person.get("sur_name"), person.get("first_name"), person.get("mid_name"))
    return {
        "pin": pin,
        "oneid_user_id": str(person["user_id"]) if person.get("user_id") else None,
        "email": (person.get("email") or "").strip().lower() or None,
        # OneID does not prove the person owns the address: it is never taken as verified.
        "email_verified": False,
        "name": person.get("full_name") or " ".join(p for p in parts if p),
        "phone": person.get("mob_phone_no") or None,
        "tins": [str(le["le_tin"]) for le in legal if le.get("le_tin")],
        "access_token": access_token,
    }
