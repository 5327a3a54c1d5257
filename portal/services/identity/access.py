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
    """Operators, admins and the organization's authors see its hidden datasets.

    Belonging to the organization is not enough: sign-in assigns it from the legal entities
    OneID reports, to people with no role at all.
    """
    if user is None or not user.active:
        return False
    if has_role(user, "operator"):
        return True
    return (
        "author" in user.roles
        and bool(organization_code)
        and (user.organization == organization_code)
    )


def integration_endpoint(view):
    """Mark a view as one a dataset-scoped (integration) token may call: a push to its dataset.

    Every other view refuses such a token (portal.api.context.load_caller); the view itself
    checks that the token belongs to the dataset it writes.
    """
    view.allows_integration_token = True
    return view


def allows_integration_token(view):
    """True when the view was marked with integration_endpoint."""
    return bool(getattr(view, "allows_integration_token", False))
