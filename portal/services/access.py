"""Who may do what: roles and organizations, checked on every write."""

from portal.core.errors import Forbidden, Unauthorized


def require_user(user):
    """The caller must be signed in."""
    if user is None:
        raise Unauthorized("sign in or send 'Authorization: Bearer <token>'")
    return user


def has_role(user, *roles):
    """True when the user holds one of the roles; admins hold every role."""
    return user is not None and ("admin" in user.roles or any(r in user.roles for r in roles))


def require_role(user, *roles):
    """The caller must hold one of `roles` (an admin always does)."""
    require_user(user)
    if not has_role(user, *roles):
        raise Forbidden(f"this needs the role {' or '.join(roles)}")
    return user


def require_author_of(user, organization_code, *, operator_too=False):
    """The caller must be an author of the organization (or an operator when allowed)."""
    require_user(user)
    if operator_too and has_role(user, "operator"):
        return user
    if "admin" in user.roles:
        return user
    if "author" not in user.roles:
        raise Forbidden("this needs the role author")
    if user.organization != organization_code:
        raise Forbidden(f"you are not an author of organization {organization_code}")
    return user


def can_see_hidden(user, organization_code):
    """Operators, admins and the organization's own people see its hidden datasets."""
    if user is None:
        return False
    return has_role(user, "operator") or user.organization == organization_code
