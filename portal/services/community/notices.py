"""Community notices, delivered through the portal's one notification list."""

from portal.db.models import Notification


def to_people(user_ids, kind, message, subject_kind, subject_id, held=False, dataset=None):
    """One notice to each person (duplicates dropped)."""
    seen, notices = set(), []
    for uid in user_ids:
        if uid is None or uid in seen:
            continue
        seen.add(uid)
        notices.append(
            Notification(
                user=uid,
                dataset=dataset.id if dataset else None,
                dataset_code=dataset.code if dataset else None,
                kind=kind,
                message=message,
                subject_kind=subject_kind,
                subject_id=subject_id,
                held=held,
            )
        )
    if notices:
        Notification.objects.insert(notices, load_bulk=False)
    return len(notices)


def to_organization(dataset, kind, message, subject_kind, subject_id, held=False):
    """One notice for every author of the dataset's organization."""
    Notification(
        organization=dataset.organization,
        dataset=dataset.id,
        dataset_code=dataset.code,
        kind=kind,
        message=message,
        subject_kind=subject_kind,
        subject_id=subject_id,
        held=held,
    ).save()
