"""People: accounts, roles, and their personal tokens."""

import secrets
from datetime import timedelta

from bson import ObjectId
from mongoengine import NotUniqueError, Q

from portal.core.errors import Conflict, Forbidden, NotFound
from portal.db.models import ApiToken, Organization, User, utcnow
from portal.services.identity import roles, signin, tokens
from portal.services.identity.access import require_role, require_user
from portal.services.paging import page_of


def user_dict(user):
    """The view of a user (no secrets)."""
    return {
        "id": str(user.id),
        "email": user.email,
        "name": user.name,
        "organization": user.organization,
        "roles": list(user.roles),
        "pin": user.pin,
        "active": user.active,
        "created_at": user.created_at,
        "last_login": user.last_login,
    }


def token_dict(record, plaintext=None):
    """The view of a token; the plaintext only when it was just made."""
    doc = {
        "id": str(record.id),
        "name": record.name,
        "scope": record.scope,
        "dataset": str(record.dataset) if record.dataset else None,
        "user": str(record.user),
        "prefix": f"{tokens.PREFIXES[record.scope]}_{record.lookup}",
        "created_at": record.created_at,
        "expires_at": record.expires_at,
        "revoked_at": record.revoked_at,
        "last_used_at": record.last_used_at,
    }
    if plaintext:
        doc["token"] = plaintext
    return doc


def _check_org(code):
    if code and not Organization.objects(code=code).first():
        raise NotFound(f"no organization {code!r}")


def _check_scoped(user_roles, organization):
    for role in roles.SCOPED:
        if role in user_roles and not organization:
            raise Conflict(f"{'an' if role[0] in 'aeiou' else 'a'} {role} needs an organization")


def create(actor, data):
    """Add a user (admin)."""
    require_role(actor, "admin")
    _check_org(data.get("organization"))
    _check_scoped(data.get("roles", []), data.get("organization"))
    user = User(
        email=data["email"].lower(),
        name=data["name"],
        organization=data.get("organization"),
        roles=sorted(set(data.get("roles", []))),
        pin=data.get("pin"),
    )
    try:
        user.save()
    except NotUniqueError:
        raise Conflict(f"a user with email {data['email']} or this PINFL exists already") from None
    roles.record(actor, user, [], user.roles)
    return user_dict(user)


def get(user_id):
    """One user by id."""
    if not ObjectId.is_valid(str(user_id)):
        raise NotFound("no such user")
    user = User.objects(id=user_id).first()
    if user is None:
        raise NotFound("no such user")
    return user


def get_for(actor, user_id):
    """One user as the actor may see it: itself, an admin, its organization's administrator."""
    require_user(actor)
    user = get(user_id)
    if not roles.may_see(actor, user):
        raise Forbidden("only the user, an admin or the organization's administrator may see it")
    return user


def update(actor, user_id, data):
    """Change a user's name, organization, roles or state (admin); the author role of a person
    of one's organization (its administrator)."""
    require_user(actor)
    user = get(user_id)
    roles.check_change(actor, user, data)
    if "organization" in data:
        _check_org(data["organization"])
    before = list(user.roles)
    for key, value in data.items():
        setattr(user, key, sorted(set(value)) if key == "roles" else value)
    _check_scoped(user.roles, user.organization)
    try:
        user.save()
    except NotUniqueError:
        raise Conflict("another user has this PINFL already") from None
    roles.record(actor, user, before, user.roles)
    return user_dict(user)


def list_users(actor, page, page_size, organization=None):
    """Users (admin); the people of one's organization (its administrator)."""
    organization = roles.listing_scope(actor, organization)
    qs = User.objects(organization=organization) if organization else User.objects
    return page_of(qs.order_by("email"), page, page_size, user_dict)


def issue_token(actor, user_id, name="", days=365):
    """A new personal token for a user: the user itself or an admin."""
    require_user(actor)
    user = get(user_id)
    if actor.id != user.id and "admin" not in actor.roles:
        raise Forbidden("only the user or an admin may make the user's tokens")
    record, plaintext = tokens.issue(user, name=name, days=days)
    return token_dict(record, plaintext)


def list_tokens(actor, user_id):
    """A user's tokens: the user itself or an admin."""
    require_user(actor)
    user = get(user_id)
    if actor.id != user.id and "admin" not in actor.roles:
        raise Forbidden("only the user or an admin may see the user's tokens")
    return [token_dict(t) for t in tokens.list_for(user)]


def all_tokens(actor, page, page_size, user_id=None, live=None):
    """Every token, newest first, with its owner (admin); `live`: only unrevoked, unexpired
    ones (True) or only the others (False)."""
    require_role(actor, "admin")
    qs = ApiToken.objects
    if user_id:
        qs = qs.filter(user=get(user_id).id)
    now = utcnow()
    if live is True:
        qs = qs.filter(revoked_at=None).filter(Q(expires_at=None) | Q(expires_at__gt=now))
    elif live is False:
        qs = qs.filter(Q(revoked_at__ne=None) | Q(expires_at__lte=now))
    page_doc = page_of(qs.order_by("-created_at", "-id"), page, page_size, token_dict)
    owners = {t["user"] for t in page_doc["items"]}
    emails = {str(u.id): u.email for u in User.objects(id__in=list(owners)).only("email")}
    for item in page_doc["items"]:
        item["user_email"] = emails.get(item["user"])
    return page_doc


def issue_signin_code(actor, user_id, days=7):
    """A one-time first-login code for an account without a PINFL yet (admin).

    The person opens /auth/login?invite=<code>; the identity OneID (or the OIDC provider)
    reports is then attached to this account. Stored hashed, shown once; a new code replaces
    the old one.
    """
    require_role(actor, "admin")
    user = get(user_id)
    if user.pin or user.subject:
        raise Conflict("this account is linked to a OneID identity already")
    code = secrets.token_urlsafe(24)
    expires = utcnow() + timedelta(days=days)
    User.objects(id=user.id).update_one(
        set__signin_code=signin.signin_code_digest(code), set__signin_code_expires=expires
    )
    return {"user": str(user.id), "code": code, "expires_at": expires}


def create_admin(email):
    """Find or make an admin with this email; returns (user, plaintext token)."""
    email = email.strip().lower()
    user = User.objects(email=email).first()
    if user is None:
        user = User(email=email, name=email.split("@")[0], roles=["admin"]).save()
        roles.record(None, user, [], user.roles)
    elif "admin" not in user.roles:
        before = list(user.roles)
        user.roles = sorted(set(user.roles) | {"admin"})
        user.save()
        roles.record(None, user, before, user.roles)
    _, plaintext = tokens.issue(user, name="bootstrap")
    return user, plaintext
