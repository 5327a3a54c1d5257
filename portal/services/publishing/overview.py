"""The operators' view of every dataset, hidden ones included: by status, organization, sector
and lateness (the monitoring's own judgement of it)."""

from portal.db.models import STATUSES, Dataset
from portal.db.statistics import states
from portal.services.identity.access import require_role
from portal.services.statistics import monitoring

FILTERS = ("status", "organization", "sector", "late")


def late_ids():
    """Ids of the datasets the monitoring holds late for their update frequency."""
    found = states.all_of(states.MONITORING, {"state": 1})
    return [key for key, doc in found.items() if doc.get("state") in monitoring.OUTDATED]


def _row(dataset, days_late):
    return {
        "id": str(dataset.id),
        "code": dataset.code,
        "title": dataset.title.to_dict(),
        "organization": dataset.organization,
        "sector": dataset.sector,
        "status": dataset.status,
        "active": dataset.active,
        "version": dataset.current_version,
        "fields": len(dataset.fields),
        "updated_at": dataset.data_updated_at or dataset.updated_at,
        "days_late": days_late,
        "rejection": list(dataset.rejection.reasons)
        if dataset.rejection and dataset.status == "rejected"
        else None,
    }


def every_dataset(user, status=None, organization=None, sector=None, late=False, page=1,
                  page_size=20):  # fmt: skip
    """One page of every dataset, most recently changed first (operator). Values are matched
    as plain equality: `status` must be one of the statuses."""
    require_role(user, "operator")
    query = {}
    if status:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        query["status"] = status
    if organization:
        query["organization"] = str(organization)
    if sector:
        query["sector"] = str(sector)
    if late:
        query["id__in"] = late_ids()
    qs = Dataset.objects(**query).exclude("terms", "versions", "unclean", "lock")
    total = qs.count()
    items = list(qs.order_by("-updated_at", "-id").skip((page - 1) * page_size).limit(page_size))
    days = monitoring.late_days_many([d.id for d in items]) if items else {}
    return {
        "items": [_row(d, days.get(d.id, 0)) for d in items],
        "total": total,
        "page": page,
        "page_size": page_size,
    }
