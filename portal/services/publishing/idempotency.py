"""Idempotency keys of pushes: claim first, publish, then store the answer.

The key is claimed by one unique insert (state `pending`) before anything is published, so two
concurrent requests with the same key cannot both append: the second waits for the first's
answer and replays it. The key is bound to the body it was first used with: the same key with
another body is refused (422). A request that fails gives its claim back, so a retry can run;
a claim whose request died is taken over once it is older than `STALE`.
"""

import hashlib
import secrets
import time
from datetime import timedelta

import orjson
from mongoengine.errors import NotUniqueError

from portal.core.errors import Conflict, InvalidData
from portal.db.models import IdempotencyRecord, utcnow

WAIT_SECONDS = 30.0  # how long a duplicate waits for the first request's answer
STALE = timedelta(minutes=5)  # a pending claim older than this belongs to a request that died


def fingerprint(body):
    """A stable hash of what a push asks for (its rows, mode and dataset; not its token)."""
    wanted = {k: body.get(k) for k in ("data", "mode", "id")}
    return hashlib.sha256(orjson.dumps(wanted, option=orjson.OPT_SORT_KEYS)).hexdigest()


class Claim:
    """A key held by this request while it publishes."""

    def __init__(self, key, claim_id):
        self.key, self.id = key, claim_id

    def finish(self, status, body):
        IdempotencyRecord.objects(key=self.key, claim=self.id).update_one(
            set__state="done", set__status=status, set__body=body
        )

    def give_back(self):
        IdempotencyRecord.objects(key=self.key, claim=self.id, state="pending").delete()


def claim(key, body):
    """(Claim, None) when this request publishes, or (None, (status, answer)) to replay."""
    print_ = fingerprint(body)
    deadline = time.monotonic() + WAIT_SECONDS
    delay = 0.02
    while True:
        claim_id = secrets.token_hex(8)
        try:
            IdempotencyRecord(
                key=key, state="pending", fingerprint=print_, claim=claim_id, created_at=utcnow()
            ).save(force_insert=True)
            return Claim(key, claim_id), None
        except NotUniqueError:
            pass
        found = IdempotencyRecord.objects(key=key).first()
        if found is None:
            continue  # given back meanwhile: claim it again
        if found.fingerprint and found.fingerprint != print_:
            raise InvalidData(
                "this Idempotency-Key was already used with another body; "
                "use a new key for new data"
            )
        if found.state != "pending":
            return None, (found.status or 200, found.body)
        if found.created_at < utcnow() - STALE:
            taken = IdempotencyRecord.objects(
                key=key, claim=found.claim, state="pending"
            ).update_one(set__claim=claim_id, set__created_at=utcnow())
            if taken:
                return Claim(key, claim_id), None
        if time.monotonic() > deadline:
            raise Conflict(
                "a request with this Idempotency-Key is still being processed; try again later"
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
