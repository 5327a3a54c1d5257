"""API tokens: recognizable, shown once, stored hashed, scoped, expiring, revocable."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from bson import ObjectId

from portal.core.errors import Forbidden, NotFound, Unauthorized
from portal.db.models import ApiToken, User, utcnow

PREFIXES = {"personal": "oqp", "dataset": "oqd"}


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(user, *, scope="personal", dataset=None, name="", days=365):
    """Create a token; returns (record, plaintext). The plaintext is never stored."""
    lookup = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    plaintext = f"{PREFIXES[scope]}_{lookup}_{secret}"
    record = ApiToken(
        lookup=lookup,
        hash=_digest(plaintext),
        user=user.id,
        scope=scope,
        dataset=dataset,
        name=name,
        expires_at=utcnow() + timedelta(days=days) if days else None,
    ).save()
    return record, plaintext


def lookup_of(plaintext):
    """The public lookup part of a well-formed token, else None (nothing is looked up)."""
    if not isinstance(plaintext, str):
        return None
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] not in PREFIXES.values() or len(parts[1]) != 12:
        return None
    return parts[1] if all(c in "0123456789abcdef" for c in parts[1]) else None


def authenticate(plaintext):
    """The (user, token) a bearer token stands for, or Unauthorized."""
    parts = (plaintext or "").split("_", 2)
    if len(parts) != 3 or parts[0] not in PREFIXES.values():
        raise Unauthorized("malformed token")
    record = ApiToken.objects(lookup=parts[1]).first()
    if record is None or not hmac.compare_digest(record.hash, _digest(plaintext)):
        raise Unauthorized("unknown token")
    now = utcnow()
    if record.revoked_at is not None:
        raise Unauthorized("token revoked")
    if record.expires_at is not None and record.expires_at <= now:
        raise Unauthorized("token expired")
    user = User.objects(id=record.user).first()
    if user is None or not user.active:
        raise Unauthorized("the token's user is disabled")
    # Touch last-used at most once a minute: a write per request would cost more than it tells.
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        ApiToken.objects(id=record.id).update_one(set__last_used_at=now)
        record.last_used_at = now
    return user, record


def list_for(user):
    """The user's tokens, newest first (never their secrets)."""
    return list(ApiToken.objects(user=user.id).order_by("-created_at"))


def revoke(actor, token_id):
    """Revoke a token: its owner or an admin may."""
    if not ObjectId.is_valid(str(token_id)):
        raise NotFound("no such token")
    record = ApiToken.objects(id=token_id).first()
    if record is None:
        raise NotFound("no such token")
    if record.user != actor.id and "admin" not in actor.roles:
        raise Forbidden("only the token's owner or an admin may revoke it")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        record.save()
    return record


def revoke_dataset_tokens(dataset_id):
    """Revoke every live integration token of a dataset (a new one replaces them)."""
    ApiToken.objects(scope="dataset", dataset=dataset_id, revoked_at=None).update(
        set__revoked_at=utcnow()
    )
