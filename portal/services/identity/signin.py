"""Browser sign-in: start at the identity provider, finish on its callback, find the account."""

import hashlib
import hmac
import logging
import secrets
from urllib.parse import urlsplit

from mongoengine import NotUniqueError

from portal.core.errors import BadRequest, Conflict, Forbidden, NotFound
from portal.db.models import Organization, User, utcnow
from portal.services.identity import provider as identity
from portal.services.identity.oneid import OneID

log = logging.getLogger("portal.auth")

MAX_NEXT_LENGTH = 2000
MAX_INVITE_LENGTH = 100


def safe_next(target):
    """A same-site path to land on after sign-in; anything else (an absolute URL, ...) gives '/'."""
    if not target or len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return "/"
    # "//host" and "/\host" are other sites to a browser; control characters hide such tricks.
    if (
        target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
    ):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def provider_for(settings):
    """The provider the settings choose (AUTH_PROVIDER: "oneid" or "oidc")."""
    kind = settings.get("AUTH_PROVIDER", "oneid")
    if kind == "oneid":
        return OneID(
            settings["ONEID_URL"],
            settings["ONEID_CLIENT_ID"],
            settings["ONEID_CLIENT_SECRET"],
            settings["ONEID_REDIRECT_URI"],
            settings["ONEID_SCOPE"],
        )
    if kind == "oidc":
        redirect_uri = settings.get("OIDC_REDIRECT_URI") or (
            settings["BASE_URL"].rstrip("/") + "/auth/callback"
        )
        return identity.OpenIDConnect(
            settings["OIDC_METADATA_URL"],
            settings["OIDC_CLIENT_ID"],
            settings["OIDC_CLIENT_SECRET"],
            redirect_uri,
            settings["OIDC_SCOPE"],
        )
    raise RuntimeError(f"AUTH_PROVIDER must be 'oneid' or 'oidc', not {kind!r}")


def start(settings, next_path=None, invite=None):
    """Where to send the browser, and what the session must keep until the callback.

    `invite` is a one-time first-login code an admin gave the person: it links the identity
    the provider reports to the account the admin made.
    """
    provider = provider_for(settings)
    pending = {
        "provider": provider.name,
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "code_verifier": secrets.token_urlsafe(64),
        "next": safe_next(next_path),
    }
    if invite:
        pending["invite"] = str(invite)[:MAX_INVITE_LENGTH]
    url = provider.authorize_url(
        pending["state"], nonce=pending["nonce"], code_verifier=pending["code_verifier"]
    )
    return url, pending


def finish(settings, pending, code=None, state=None, error=None):
    """Check the callback against the pending sign-in, ask the provider who it is, find the user.

    Returns (user, provider name, provider access token, where to go next).
    """
    if not pending or not isinstance(pending, dict) or not pending.get("state"):
        raise BadRequest("no sign-in is in progress in this browser: start again at /auth/login")
    if not state:
        raise BadRequest("the sign-in answer has no state: start again at /auth/login")
    if not hmac.compare_digest(str(state), str(pending["state"])):
        raise BadRequest(
            "the sign-in state does not match this browser: start again at /auth/login"
        )
    if error:
        raise BadRequest(f"the identity provider did not sign you in: {str(error)[:100]}")
    if not code:
        raise BadRequest("the sign-in answer has no code")
    provider = provider_for(settings)
    if pending.get("provider") != provider.name:
        raise BadRequest("the sign-in was started with another provider: start again")
    person = provider.exchange(
        code, nonce=pending.get("nonce"), code_verifier=pending.get("code_verifier")
    )
    user = account_for(person, invite=pending.get("invite"))
    return user, provider.name, person.get("access_token"), safe_next(pending.get("next"))


def account_for(person, invite=None):
    """The user of an identity: found by PINFL (or OIDC subject), else linked by a first-login
    code an admin handed out, else a new account with no role.

    An e-mail address never links: whoever signs in first with an address would inherit the
    roles of the account that carries it (the bootstrap admin's included).
    """
    key = "pin" if person.get("pin") else "subject"
    value = person.get(key)
    if not value:
        raise identity.ProviderUnavailable("the identity provider did not say who signed in")
    email = person.get("email") if person.get("email_verified") else None
    user = User.objects(**{key: value}).first()
    how = "found"
    if user is None and invite:
        user = redeem_signin_code(invite, key, value)
        how = "linked"
    if user is None:
        user = User(roles=[], **{key: value})
        # Another account may hold the email already: leave it off then, never take that one.
        if email and not User.objects(email=email).first():
            user.email = email
        how = "created"
    if not user.active:
        raise Forbidden("this account is disabled: ask an administrator")
    _refresh(user, person)
    try:
        user.save()
    except NotUniqueError:
        # Two first sign-ins of the same person at once: the other one made the account.
        user = User.objects(**{key: value}).first()
        if user is None:
            raise Conflict("the account could not be saved: try again") from None
        _refresh(user, person)
        user.save()
    log.info(
        "signed in",
        extra={"fields": {"user": str(user.id), "account": how, "by": key}},
    )
    return user


def signin_code_digest(code):
    """What is stored of a first-login code."""
    return hashlib.sha256(str(code).encode()).hexdigest()


def redeem_signin_code(code, key, value):
    """Attach the identity to the account the code was made for, using the code up (one step)."""
    user = User.objects(
        signin_code=signin_code_digest(code),
        signin_code_expires__gt=utcnow(),
        active=True,
        **{key: None},
    ).modify(
        new=True,
        unset__signin_code=True,
        unset__signin_code_expires=True,
        **{f"set__{key}": value},
    )
    if user is None:
        raise BadRequest(
            "the first sign-in code is unknown, used or expired: ask an administrator for a new one"
        )
    return user


def _refresh(user, person):
    """Copy what the provider knows today onto the account."""
    if person.get("oneid_user_id"):
        user.oneid_user_id = person["oneid_user_id"]
    if person.get("name"):
        user.name = person["name"]
    if person.get("phone"):
        user.phone = person["phone"]
    # An organization set by an admin wins over the one the legal entities suggest.
    if not user.organization:
        user.organization = organization_for(person.get("tins") or [])
    user.last_login = utcnow()


def organization_for(tins):
    """The code of the first organization (in the order given) carrying one of the TINs."""
    if not tins:
        return None
    by_tin = {org.tin: org.code for org in Organization.objects(tin__in=list(tins))}
    return next((by_tin[t] for t in tins if t in by_tin), None)


def sign_out(settings, provider_name, access_token):
    """End the provider's session; a failure there is logged, never raised."""
    if not access_token:
        return
    provider = provider_for(settings)
    if provider.name != provider_name:
        return
    try:
        provider.logout(access_token)
    except Exception as exc:  # noqa: BLE001 - the local session ends whatever the provider says
        log.warning(
            "provider logout failed",
            extra={"fields": {"provider": provider_name, "error": type(exc).__name__}},
        )


def dev_user(settings, email, on_loopback=False):
    """The active user with this email, for the development sign-in.

    404 when it is off, in production, or when the request did not reach the portal on a
    loopback address from this machine, whatever the settings say.
    """
    if not settings.get("DEV_LOGIN") or settings.get("ENV") == "production" or not on_loopback:
        raise NotFound()
    user = User.objects(email=(email or "").strip().lower(), active=True).first()
    if user is None:
        raise NotFound("no active user with this email")
    user.last_login = utcnow()
    user.save()
    log.info("signed in", extra={"fields": {"user": str(user.id), "account": "dev"}})
    return user
