"""Review by operators (rejections and their history), notices, and the author's desk."""

from bson import ObjectId

from portal.core.errors import Conflict, NotFound
from portal.db.models import Dataset, Notification, Rejection, RejectionRecord, utcnow
from portal.services.identity.access import require_role, require_user
from portal.services.paging import page_of
from portal.services.publishing import datasets
from portal.services.statistics import rejected as rejected_table


def reject(user, ref, reasons):
    """Reject a dataset: hidden from the public until an operator clears the rejection.

    One update sets the status and the reasons together, so a version being published at the
    same moment cannot undo it (the publishing update is conditional on the status it read).
    """
    require_role(user, "operator")
    dataset = datasets.find(ref)
    now = utcnow()
    rejection = Rejection(reasons=reasons, by=str(user.id), at=now)
    RejectionRecord(dataset=dataset.id, reasons=list(reasons), by=str(user.id), at=now).save()
    Dataset._get_collection().update_one(
        {"_id": dataset.id},
        {"$set": {"status": "rejected", "rejection": rejection.to_mongo(), "updated_at": now}},
    )
    rejected_table.decided(dataset.id, now)
    dataset.reload()
    Notification(
        organization=dataset.organization,
        dataset=dataset.id,
        dataset_code=dataset.code,
        kind="rejected",
        message=f"Dataset {dataset.code} was rejected: " + "; ".join(reasons),
        reasons=reasons,
    ).save()
    return dataset


def clear_rejection(user, ref):
    """An operator lifts the rejection: the dataset is public again (if it has data)."""
    require_role(user, "operator")
    dataset = datasets.find(ref)
    now = utcnow()
    status = "updated" if dataset.current_version > 1 else "published"
    if not dataset.current_version:
        status = "draft"
    result = Dataset._get_collection().update_one(
        {"_id": dataset.id, "status": "rejected"},
        {"$set": {"status": status, "updated_at": now}, "$unset": {"rejection": ""}},
    )
    if result.modified_count != 1:
        raise Conflict(f"dataset {dataset.code} is not rejected")
    RejectionRecord.objects(dataset=dataset.id, cleared_at=None).update(
        set__cleared_at=now, set__cleared_by=str(user.id)
    )
    rejected_table.decided(dataset.id, now)
    dataset.reload()
    Notification(
        organization=dataset.organization,
        dataset=dataset.id,
        dataset_code=dataset.code,
        kind="rejection-cleared",
        message=f"The rejection of dataset {dataset.code} was cleared",
    ).save()
    return dataset


def rejection_history(user, ref, page, page_size):
    """Every rejection of a dataset, newest first (its operators and authors)."""
    dataset = datasets.for_author(user, ref, operator_too=True)
    qs = RejectionRecord.objects(dataset=dataset.id).order_by("-at")
    return page_of(qs, page, page_size, _rejection_dict)


def _rejection_dict(record):
    return {
        "reasons": list(record.reasons),
        "at": record.at,
        "by": record.by,
        "cleared_at": record.cleared_at,
        "cleared_by": record.cleared_by,
    }


def notify_new_version(dataset, number):
    """A rejected dataset has a new version: the operators are told (it stays rejected)."""
    rejected_table.decided(dataset.id)
    Notification(
        role="operator",
        dataset=dataset.id,
        dataset_code=dataset.code,
        kind="new-version-of-rejected",
        message=(
            f"Rejected dataset {dataset.code} has a new version {number}: "
            "review it and clear the rejection when it is fixed"
        ),
        reasons=list(dataset.rejection.reasons) if dataset.rejection else [],
    ).save()


def _mine(user):
    """Notices addressed to the user, or to every author of the user's organization."""
    clauses = [{"user": user.id}]
    if user.organization and "author" in user.roles:
        clauses.append({"organization": user.organization, "user": None})
    if "operator" in user.roles:
        clauses.append({"role": "operator", "user": None})
    if len(clauses) == 1:
        return Notification.objects.filter(__raw__=clauses[0]).filter(held__ne=True)
    return Notification.objects.filter(__raw__={"$or": clauses}).filter(held__ne=True)


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
