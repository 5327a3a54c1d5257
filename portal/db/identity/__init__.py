"""Documents of identity: the record of every role granted or withdrawn."""

from portal.db.identity.audit import RoleChange

DOCUMENTS = (RoleChange,)


def ensure_indexes():
    """Create the declared indexes (idempotent; runs at start-up)."""
    for doc in DOCUMENTS:
        doc.ensure_indexes()
