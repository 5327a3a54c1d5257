"""Who may grant which role to whom, and the record of every grant and withdrawal.

An admin manages every role of everyone. Some roles delegate part of that within the holder's
organization (`DELEGATED`): an organization's administrator (`org_admin`, a role an admin gives
to a person of one organization) grants and withdraws the author role for the people of that
organization, and sees its people and the record of their roles. A role's organization is the
holder's `organization`, as it is for authors.
"""

from bson import ObjectId

from portal.core.errors import Forbidden, NotFound
from portal.db.identity import RoleChange
from portal.db.models import ROLES
from portal.services.identity.access import has_role, require_user
from portal.services.paging import page_of

ORG_ADMIN = "org_admin"
# role -> the roles its holder grants and withdraws for the people of their own organization
DELEGATED = {ORG_ADMIN: frozenset({"author"})}
# roles that only make sense inside an organization
SCOPED = ("author", ORG_ADMIN)


def delegates(actor):
    """True when the actor holds a role that manages roles inside their organization."""
    return bool(actor.organization) and any(role in actor.roles for role in DELEGATED)


def manageable(actor, user):
    """The roles the actor may grant to or withdraw from this person."""
    if has_role(actor, "admin"):
        return set(ROLES)
    if not delegates(actor) or user.organization != actor.organization or "admin" in user.roles:
        return set()
    return set().union(*(DELEGATED[role] for role in DELEGATED if role in actor.roles))


def difference(before, after):
    """(granted, withdrawn): the roles added and taken away, sorted."""
    before, after = set(before or ()), set(after or ())
    return sorted(after - before), sorted(before - after)


def check_change(actor, user, data):
    """Refuse (403, saying why) a change of the person's account the actor may not make."""
    require_user(actor)
    if has_role(actor, "admin"):
        return
    if not delegates(actor):
        raise Forbidden(
            "this needs the role admin (an organization's administrator may change the author "
            "role of the people of their organization)"
        )
    other = sorted(set(data) - {"roles"})
    if other:
        raise Forbidden(
            "an organization's administrator changes only the author role, not "
            + ", ".join(repr(name) for name in other)
        )
    if user.organization != actor.organization:
        raise Forbidden(
            f"this person is not of your organization {actor.organization}: only an admin "
            "changes their roles"
        )
    if "admin" in user.roles:
        raise Forbidden("an admin's roles are changed by an admin only")
    granted, withdrawn = difference(user.roles, data.get("roles", user.roles))
    beyond = sorted(set(granted + withdrawn) - manageable(actor, user))
    if beyond:
        allowed = ", ".join(sorted(manageable(actor, user)))
        raise Forbidden(
            f"an organization's administrator grants and withdraws only the role {allowed}, "
            f"not {', '.join(beyond)}"
        )


def listing_scope(actor, organization=None):
    """The organization whose people (or role changes) the actor lists; None for everyone."""
    require_user(actor)
    if has_role(actor, "admin"):
        return organization
    if not delegates(actor):
        raise Forbidden(
            "this needs the role admin (or org_admin, for the people of one's own organization)"
        )
    if organization and organization != actor.organization:
        raise Forbidden(
            f"an organization's administrator sees the people of {actor.organization} only"
        )
    return actor.organization


def may_see(actor, user):
    """The person itself, an admin, or the administrator of the person's organization."""
    if actor is None:
        return False
    if actor.id == user.id or has_role(actor, "admin"):
        return True
    return delegates(actor) and user.organization == actor.organization


def record(actor, user, before, after):
    """Keep who granted or withdrew which roles of whom; nothing when nothing changed."""
    granted, withdrawn = difference(before, after)
    if not granted and not withdrawn:
        return None
    change = RoleChange(
        actor=actor.id if actor else None,
        actor_name=actor.name if actor else "",
        actor_email=actor.email if actor else None,
        user=user.id,
        user_name=user.name or "",
        user_email=user.email,
        organization=user.organization,
        granted=granted,
        withdrawn=withdrawn,
    )
    change.save()
    return change


def change_dict(change):
    return {
        "id": str(change.id),
        "at": change.at,
        "actor": str(change.actor) if change.actor else None,
        "actor_name": change.actor_name,
        "actor_email": change.actor_email,
        "user": str(change.user),
        "user_name": change.user_name,
        "user_email": change.user_email,
        "organization": change.organization,
        "granted": list(change.granted),
        "withdrawn": list(change.withdrawn),
    }


def changes(actor, page=1, page_size=20, organization=None, user=None):
    """The record of role changes, newest first: admins, or an organization's administrator
    for their organization."""
    organization = listing_scope(actor, organization)
    query = {}
    if organization:
        query["organization"] = organization
    if user:
        if not ObjectId.is_valid(str(user)) or len(str(user)) != 24:
            raise NotFound(f"no user {str(user)[:40]!r}")
        query["user"] = ObjectId(str(user))
    qs = RoleChange.objects(**query).order_by("-at", "-id")
    return page_of(qs, page, page_size, change_dict)
