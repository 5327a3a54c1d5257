"""The integration push ("Get API"): ministries' systems send rows as JSON with a token."""

from bson import ObjectId

from portal.core.columns import push_keys
from portal.core.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized
from portal.db.models import ApiToken, utcnow
from portal.services.identity import access, tokens
from portal.services.publishing import datasets, idempotency, uploads, validation, versions

PUSH_PATH = "/apiData/MainData/ExternalApi"


def data_template(fields):
    """One row keyed by captions, as the author guide prints it: text fields by four captions."""
    return [dict.fromkeys(push_keys(fields), "")]


def issue_token(user, ref, base_url):
    """A new integration token for the dataset (older ones are revoked), with how to use it.

    The new token is issued first and then one update revokes every older one: there is never
    a moment without a valid token, and of two rotations at once the newer token is the one
    left (each revokes only tokens older than its own)."""
    dataset = datasets.for_author(user, ref)
    record, plaintext = tokens.issue(
        user, scope="dataset", dataset=dataset.id, name=f"integration {dataset.code}"
    )
    ApiToken.objects(
        scope="dataset", dataset=dataset.id, revoked_at=None, id__lt=record.id
    ).update(set__revoked_at=utcnow())
    fields = [f.to_dict() for f in datasets.ordered_fields(dataset)]
    return {
        "id": str(record.id),
        "dataset": str(dataset.id),
        "token": plaintext,
        "method": "POST",
        "url": base_url.rstrip("/") + PUSH_PATH,
        "expires_at": record.expires_at,
        "data": {"data": data_template(fields), "id": str(dataset.id), "token": plaintext},
    }


def authenticate_push(token, dataset_ref):
    """The user and dataset a push token allows; the token is scoped to its one dataset."""
    if not token:
        raise Unauthorized("the body needs 'token': the dataset's integration token")
    user, record = tokens.authenticate(token)
    dataset = datasets.find(dataset_ref)
    if record.scope == "dataset":
        if record.dataset != dataset.id:
            raise Forbidden("this token may only push to its own dataset")
        # The person who made the token may have left the organization or lost the role since.
        access.require_author_of(user, dataset.organization)
    else:
        # A personal token works for authors of the dataset's organization.
        dataset = datasets.for_author(user, dataset_ref)
    return user, record, dataset


def push(body, *, max_rows, max_errors, idempotency_key=None):
    """Append (or replace) rows; the same Idempotency-Key replays the first answer."""
    token = body.get("token")
    user, record, dataset = authenticate_push(token, body.get("id"))
    records = body.get("data")
    if not isinstance(records, list) or not records:
        raise BadRequest("'data' must be a non-empty list of row objects")
    if len(records) > max_rows:
        raise BadRequest(f"'data' has {len(records)} rows; send at most {max_rows} at a time")
    for index, row in enumerate(records, 1):
        if not isinstance(row, dict):
            raise BadRequest(f"row {index} of 'data' is not an object")
    held = None
    if idempotency_key:
        held, replay = idempotency.claim(f"{record.id}:{idempotency_key}", body)
        if replay is not None:
            return replay
    try:
        mode = body.get("mode", "append")
        answer = _publish(dataset, user, records, mode, max_errors, body.get("confirm_removal"))
    except BaseException:
        if held:
            held.give_back()
        raise
    if held:
        held.finish(200, answer)
    return 200, answer


def _publish(dataset, user, records, mode, max_errors, confirmed=False):
    fields = [f.to_dict() for f in datasets.ordered_fields(dataset)]
    if not fields:
        raise BadRequest(f"dataset {dataset.code} has no structure yet")
    clean = validation.check_records(fields, records, max_errors)
    if mode == "replace" and not confirmed:
        _refuse_most_removed(dataset, len(clean))
    version = versions.publish(
        dataset, clean, source="push", by=str(user.id), mode=mode, fields=fields
    )
    return {
        "success": True,
        "version": version["number"],
        "rows": version["rows"],
        "added": version["added"],
        "id": str(dataset.id),
    }


def _refuse_most_removed(dataset, after):
    """A replace keeping fewer than half of the current rows must say so (as an upload must):
    a script sending one page of its rows in replace mode never wipes a dataset by accident."""
    before = uploads.current_rows(dataset)
    if before and after < before * uploads.REMOVAL_SHARE:
        raise Conflict(
            f"'mode': 'replace' with {after:,} rows would remove {before - after:,} of the "
            f"{before:,} rows of dataset {dataset.code}; send it again with "
            '"confirm_removal": true in the body to do that'
        )


def parse_dataset_id(value):
    """A dataset reference from a push body."""
    if not isinstance(value, str) or not value:
        raise BadRequest("the body needs 'id': the dataset's id")
    if not (ObjectId.is_valid(value) or "-" in value):
        raise NotFound(f"no dataset {value!r}")
    return value
