"""Organizations, sectors, directories, users and tokens."""

from marshmallow import fields, validate

from schemas.common import (
    CodeField,
    MultilingualOut,
    MultilingualSchema,
    Strict,
    Trimmed,
    paged,
)


class OrganizationIn(Strict):
    code = Trimmed(
        required=True, validate=validate.Regexp(r"^\d{1,3}-\d{3}$", error="a code like 2-001")
    )
    name = fields.Nested(MultilingualSchema, required=True)
    parent = Trimmed(load_default=None, allow_none=True)
    tin = Trimmed(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\d{9}$", error="a TIN has 9 digits"),
    )
    phone = Trimmed(load_default=None, allow_none=True)
    email = fields.Email(load_default=None, allow_none=True)


class OrganizationPatch(Strict):
    name = fields.Nested(MultilingualSchema)
    parent = Trimmed(allow_none=True)
    tin = Trimmed(
        allow_none=True, validate=validate.Regexp(r"^\d{9}$", error="a TIN has 9 digits")
    )
    phone = Trimmed(allow_none=True, validate=validate.Length(max=40))
    email = fields.Email(allow_none=True)
    portal_id = fields.Integer(validate=validate.Range(min=1, max=999_999_999))


class OrganizationOut(Strict):
    id = fields.String()
    code = fields.String()
    name = fields.Nested(MultilingualOut)
    parent = fields.String(allow_none=True)
    tin = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    portal_id = fields.Integer(
        allow_none=True,
        metadata={"description": "numeric id, unique, given at creation (userOrgId, orgId)"},
    )
    dataset_count = fields.Integer()


class SectorOut(Strict):
    code = fields.String()
    guid = fields.String(
        allow_none=True, metadata={"description": "the sphere id of data.egov.uz (sphereId)"}
    )
    name = fields.Nested(MultilingualOut)
    dataset_count = fields.Integer()


class DirectoryItemIn(Strict):
    code = CodeField(required=True)
    name = fields.Nested(MultilingualSchema, required=True)


class DirectoryIn(Strict):
    code = CodeField(required=True)
    name = fields.Nested(MultilingualSchema, required=True)
    items = fields.List(
        fields.Nested(DirectoryItemIn), required=True, validate=validate.Length(min=1, max=10000)
    )


class DirectoryItemOut(Strict):
    code = fields.String()
    name = fields.Nested(MultilingualOut)


class DirectoryOut(Strict):
    code = fields.String()
    name = fields.Nested(MultilingualOut)
    items = fields.List(fields.Nested(DirectoryItemOut))


# org_admin: an organization's administrator, who grants the author role in it
ROLES = ("admin", "operator", "author", "org_admin")


class UserIn(Strict):
    email = fields.Email(required=True)
    name = Trimmed(required=True, validate=validate.Length(min=1, max=200))
    organization = Trimmed(load_default=None, allow_none=True)
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLES)), load_default=list
    )
    pin = Trimmed(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\d{14}$", error="a PINFL has 14 digits"),
    )


class SigninCodeIn(Strict):
    """A first-login code for an account without a OneID identity yet: good for `days`."""

    days = fields.Integer(load_default=7, validate=validate.Range(min=1, max=30))


class UserPatch(Strict):
    name = Trimmed(validate=validate.Length(min=1, max=200))
    organization = Trimmed(allow_none=True)
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)))
    active = fields.Boolean()
    pin = Trimmed(
        allow_none=True, validate=validate.Regexp(r"^\d{14}$", error="a PINFL has 14 digits")
    )


class UserOut(Strict):
    id = fields.String()
    email = fields.String(allow_none=True)
    name = fields.String()
    organization = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    pin = fields.String(allow_none=True)
    active = fields.Boolean()
    created_at = fields.DateTime()
    last_login = fields.DateTime(allow_none=True)


class TokenIn(Strict):
    name = Trimmed(load_default="", validate=validate.Length(max=100))
    days = fields.Integer(load_default=365, validate=validate.Range(min=1, max=3650))


class TokenOut(Strict):
    id = fields.String()
    name = fields.String()
    scope = fields.String()
    dataset = fields.String(allow_none=True)
    prefix = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(allow_none=True)


class TokenCreated(TokenOut):
    token = fields.String()


class RoleChangeOut(Strict):
    id = fields.String()
    at = fields.DateTime()
    actor = fields.String(allow_none=True, metadata={"description": "None: the command line"})
    actor_name = fields.String()
    actor_email = fields.String(allow_none=True)
    user = fields.String()
    user_name = fields.String()
    user_email = fields.String(allow_none=True)
    organization = fields.String(
        allow_none=True, metadata={"description": "the person's organization at the time"}
    )
    granted = fields.List(fields.String())
    withdrawn = fields.List(fields.String())


class OwnedTokenOut(TokenOut):
    user = fields.String()
    user_email = fields.String(allow_none=True)


OrganizationPage = paged(OrganizationOut)
RoleChangePage = paged(RoleChangeOut)
TokenPage = paged(OwnedTokenOut)
UserPage = paged(UserOut)
DirectoryPage = paged(DirectoryOut)
