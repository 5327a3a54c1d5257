"""Following a dataset: followers hear of each new version, at most once a day per dataset."""

from portal.db.community import follows as store
from portal.services.community import notices
from portal.services.identity.access import require_user
from portal.services.publishing import datasets, versions


def _state(dataset, user):
    return {
        "following": store.is_following(dataset.id, user.id) if user is not None else False,
        "followers": len(store.followers(dataset.id)),
    }


def follow(user, ref):
    """The caller follows the dataset (again: no change)."""
    require_user(user)
    dataset = datasets.visible(user, ref)
    store.add(dataset.id, user.id)
    return _state(dataset, user)


def unfollow(user, ref):
    """The caller stops following the dataset."""
    require_user(user)
    dataset = datasets.visible(user, ref)
    store.remove(dataset.id, user.id)
    return _state(dataset, user)


def state(user, ref):
    """{following, followers} of a dataset for the caller."""
    return _state(datasets.visible(user, ref), user)


def version_published(dataset):
    """Tell the dataset's followers of a new version (once a day per dataset at most)."""
    people = store.followers(dataset.id)
    if not people or not store.claim_daily_notice(dataset.id):
        return 0
    message = f"Dataset {dataset.code} has a new version ({dataset.current_version})."
    return notices.to_people(
        people, "new_version", message, "dataset", dataset.id, dataset=dataset
    )


def _on_published(dataset, record):
    version_published(dataset)


if _on_published not in versions.on_published:
    versions.on_published.append(_on_published)
