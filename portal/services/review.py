"""Review by operators, rejection notices, and the author's desk."""

from bson import ObjectId

from portal.core.errors import NotFound
from portal.db.models import Dataset, Notification, Rejection, utcnow
from portal.services import datasets
from portal.services.access import require_role, require_user
from portal.services.paging import page_of


def reject(user, ref, reasons):
    """Reject a dataset: hidden from the public until its author uploads again."""
    require_role(user, "operator")
    dataset = datasets.find(ref)
    dataset.status = "rejected"
    dataset.rejection = Rejection(reasons=reasons, by=str(user.id), at=utcnow())
    dataset.updated_at = utcnow()
    dataset.save()
    Notification(
        organization=dataset.organization,
        dataset=dataset.id,
        dataset_code=dataset.code,
        kind="rejected",
        message=f"Dataset {dataset.code} was rejected: " + "; ".join(reasons),
        reasons=reasons,
    ).save()
    return dataset


def _mine(user):
    """Notices addressed to the user, or to every author of the user's organization."""
    query = {"user": user.id}
    if user.organization and "author" in user.roles:
        return Notification.objects.filter(
            __raw__={"$or": [query, {"organization": user.organization, "user": None}]}
        ).filter(held__ne=True)
    return Notification.objects.filter(__raw__=query).filter(held__ne=True)


def notice_dict(notice, user):
    """The view of a notification for one reader."""
    return {
        "id": str(notice.id),
        "kind": notice.kind,
        "dataset": str(notice.dataset) if notice.dataset else None,
        "dataset_code": notice.dataset_code,
        "message": notice.message,
        "reasons": list(notice.reasons),
        "subject": {"kind": notice.subject_kind, "id": str(notice.subject_id)}
        if notice.subject_id
        else None,
        "created_at": notice.created_at,
        "read": user.id in notice.read_by,
    }


def notifications(user, page, page_size, unread_only=False):
    """The caller's notifications, newest first, with the unread count."""
    require_user(user)
    qs = _mine(user)
    unread = qs.filter(read_by__ne=user.id)
    shown = unread if unread_only else qs
    result = page_of(shown.order_by("-created_at"), page, page_size, lambda n: notice_dict(n, user))
    result["unread"] = unread.count()
    return result


def mark_read(user, notice_id=None):
    """Mark one notification (or all of them) read for the caller."""
    require_user(user)
    qs = _mine(user)
    if notice_id is not None:
        if not ObjectId.is_valid(str(notice_id)):
            raise NotFound("no such notification")
        qs = qs.filter(id=notice_id)
        if qs.count() == 0:
            raise NotFound("no such notification")
    qs.update(add_to_set__read_by=user.id)
    return {"unread": _mine(user).filter(read_by__ne=user.id).count()}


def desk(user, page, page_size):
    """The author's work list: ID, name, structure, status, updated date, active."""
    require_role(user, "author", "operator")
    qs = Dataset.objects(organization=user.organization) if user.organization else Dataset.objects
    return page_of(qs.order_by("-updated_at"), page, page_size, _desk_row)


def _desk_row(dataset):
    return {
        "id": str(dataset.id),
        "code": dataset.code,
        "title": dataset.title.to_dict(),
        "structure": len(dataset.fields),
        "status": dataset.status,
        "version": dataset.current_version,
        "updated_at": dataset.data_updated_at or dataset.updated_at,
        "active": dataset.active,
        "rejection": list(dataset.rejection.reasons)
        if dataset.rejection and dataset.status == "rejected"
        else None,
    }
