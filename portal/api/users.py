"""Users and their personal API tokens."""

from urllib.parse import urlencode

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import fields, validate

from portal.api.context import csrf_token, current_user
from portal.services import tokens, users
from portal.services.access import require_role, require_user
from schemas.common import PageArgs, Strict
from schemas.reference import TokenCreated, TokenIn, TokenOut, UserIn, UserOut, UserPage, UserPatch

blp = Blueprint("users", __name__, url_prefix="/api/v1", description="Users and tokens")


class UserListArgs(PageArgs):
    organization = fields.String()


class TokenList(Strict):
    items = fields.List(fields.Nested(TokenOut))


class SigninCodeIn(Strict):
    days = fields.Integer(load_default=7, validate=validate.Range(min=1, max=30))


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
    """Users (admin)"""
    return users.list_users(
        current_user(), args["page"], args["page_size"], args.get("organization")
    )


@blp.get("/users/<user_id>")
@blp.response(200, UserOut)
def get_user(user_id):
    """One user (admin, or the user itself)"""
    actor = require_user(current_user())
    user = users.get(user_id)
    if actor.id != user.id:
        require_role(actor, "admin")
    return users.user_dict(user)


@blp.patch("/users/<user_id>")
@blp.arguments(UserPatch)
@blp.response(200, UserOut)
def update_user(data, user_id):
    """Change a user's roles, organization or state (admin)"""
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


@blp.get("/me")
@blp.response(200, Me)
def me():
    """The signed-in user, with the CSRF token for cookie-authenticated writes"""
    actor = require_user(current_user())
    doc = users.user_dict(actor)
    doc["csrf_token"] = csrf_token() if g.get("token") is None else None
    return doc
