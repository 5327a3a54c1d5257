"""Users and their personal API tokens."""

from urllib.parse import urlencode

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import fields, validate

from portal.api.context import csrf_token, current_user
from portal.services.identity import roles, tokens, users
from portal.services.identity.access import require_user
from schemas.common import PageArgs, Strict
from schemas.reference import (
    RoleChangePage,
    SigninCodeIn,
    TokenCreated,
    TokenIn,
    TokenOut,
    TokenPage,
    UserIn,
    UserOut,
    UserPage,
    UserPatch,
)

blp = Blueprint("users", __name__, url_prefix="/api/v1", description="Users and tokens")


class UserListArgs(PageArgs):
    organization = fields.String()


class RoleChangeArgs(PageArgs):
    organization = fields.String(validate=validate.Length(max=40))
    user = fields.String(validate=validate.Length(max=40))


class TokenListArgs(PageArgs):
    user = fields.String(validate=validate.Length(max=40))
    live = fields.Boolean(metadata={"description": "true: usable tokens; false: revoked, expired"})


class TokenList(Strict):
    items = fields.List(fields.Nested(TokenOut))


class SigninCode(Strict):
    user = fields.String()
    code = fields.String(metadata={"description": "shown once; the person opens `url` with it"})
    url = fields.String()
    expires_at = fields.DateTime()


class Me(UserOut):
    csrf_token = fields.String(allow_none=True)


@blp.post("/users")
@blp.arguments(UserIn)
@blp.response(201, UserOut)
def create_user(data):
    """Add a user with roles (admin)"""
    return users.create(current_user(), data)


@blp.get("/users")
@blp.arguments(UserListArgs, location="query")
@blp.response(200, UserPage)
def list_users(args):
    """Users (admin); the people of one's own organization (its administrator, org_admin)"""
    return users.list_users(
        current_user(), args["page"], args["page_size"], args.get("organization")
    )


@blp.get("/users/<user_id>")
@blp.response(200, UserOut)
def get_user(user_id):
    """One user (admin, the user itself, or the administrator of its organization)"""
    return users.user_dict(users.get_for(current_user(), user_id))


@blp.patch("/users/<user_id>")
@blp.arguments(UserPatch)
@blp.response(200, UserOut)
def update_user(data, user_id):
    """Change a user's roles, organization or state (admin); an organization's administrator
    may only grant or withdraw `author` for people of their organization"""
    return users.update(current_user(), user_id, data)


@blp.post("/users/<user_id>/tokens")
@blp.arguments(TokenIn)
@blp.response(201, TokenCreated)
def create_token(data, user_id):
    """A new personal API token, shown once (admin, or the user itself)"""
    return users.issue_token(current_user(), user_id, data["name"], data["days"])


@blp.post("/users/<user_id>/signin-code")
@blp.arguments(SigninCodeIn)
@blp.response(201, SigninCode)
def create_signin_code(data, user_id):
    """A one-time first-login code that links the person's OneID to this account (admin)"""
    made = users.issue_signin_code(current_user(), user_id, data["days"])
    base = current_app.config["BASE_URL"].rstrip("/")
    made["url"] = f"{base}/auth/login?{urlencode({'invite': made['code']})}"
    return made


@blp.get("/users/<user_id>/tokens")
@blp.response(200, TokenList)
def list_tokens(user_id):
    """A user's tokens, without their secrets (admin, or the user itself)"""
    return {"items": users.list_tokens(current_user(), user_id)}


@blp.delete("/tokens/<token_id>")
@blp.response(200, TokenOut)
def revoke_token(token_id):
    """Revoke a token (its owner, or an admin)"""
    actor = require_user(current_user())
    return users.token_dict(tokens.revoke(actor, token_id))


@blp.get("/tokens")
@blp.arguments(TokenListArgs, location="query")
@blp.response(200, TokenPage)
def list_all_tokens(args):
    """Every token with its owner, without secrets, newest first (admin)"""
    return users.all_tokens(
        current_user(), args["page"], args["page_size"], args.get("user"), args.get("live")
    )


@blp.get("/role-changes")
@blp.arguments(RoleChangeArgs, location="query")
@blp.response(200, RoleChangePage)
def list_role_changes(args):
    """Every grant and withdrawal of a role: who, whom, what, when, newest first (admin; an
    organization's administrator for their organization)"""
    return roles.changes(
        current_user(), args["page"], args["page_size"], args.get("organization"), args.get("user")
    )


@blp.get("/me")
@blp.response(200, Me)
def me():
    """The signed-in user, with the CSRF token for cookie-authenticated writes"""
    actor = require_user(current_user())
    doc = users.user_dict(actor)
    doc["csrf_token"] = csrf_token() if g.get("token") is None else None
    return doc
