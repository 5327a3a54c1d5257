"""One moderation spine for comments, proposals and feedback.

Each item has a status (`visible`, `held`, `hidden`). People report items with a reason from
a fixed list; when enough distinct people have reported one (COMMUNITY_REPORTS_TO_HIDE) it is
hidden until an operator decides. Held items (new accounts posting links, the honeypot) and
proposals awaiting review wait in the same queue. Every step is recorded: who, when, why.
Notices about an item are held back while it is reported, held or hidden.
"""

from bson import ObjectId

from portal.core.errors import InvalidData, NotFound
from portal.db.community import Comment, Feedback, ModerationRecord, Proposal, Report
from portal.db.community import moderation as spine
from portal.db.models import utcnow
from portal.services.community.rules import setting
from portal.services.identity.access import require_role, require_user

KINDS = {"comment": Comment, "proposal": Proposal, "feedback": Feedback}
REASONS = spine.REASONS
DECISIONS = ("visible", "hidden")


def _oid(value, kind):
    if not ObjectId.is_valid(str(value)) or len(str(value)) != 24:
        raise NotFound(f"no {kind} {value!r}")
    return ObjectId(str(value))


def get_item(kind, item_id):
    """The moderated document of `kind`, or NotFound."""
    if kind not in KINDS:
        raise NotFound(f"no kind {kind!r}: one of {', '.join(KINDS)}")
    item = KINDS[kind].objects(id=_oid(item_id, kind)).first()
    if item is None:
        raise NotFound(f"no {kind} {item_id!r}")
    return item


def report(user, kind, item_id, reason, note=""):
    """Report an item the caller can see -> {status, reports}."""
    require_user(user)
    if reason not in REASONS:
        raise InvalidData("the report is not valid", {"reason": f"one of {', '.join(REASONS)}"})
    item = get_item(kind, item_id)
    if item.status != "visible" or kind == "feedback":
        raise NotFound(f"no {kind} {item_id!r}")
    threshold = setting("COMMUNITY_REPORTS_TO_HIDE")
    doc, hidden_now = spine.add_report(
        KINDS[kind], kind, item.id, user.id, reason, note or "", threshold
    )
    spine.record(kind, item.id, user.id, "reported", reason=reason)
    spine.hold_notices(kind, item.id)
    if hidden_now:
        spine.record(
            kind, item.id, "system", "hidden", "visible", "hidden",
            reason=f"{doc['open_reports']} people reported it",
        )  # fmt: skip
    return {"status": doc["status"], "reports": doc["open_reports"]}


def hold(kind, item, reason):
    """Put a new item in the queue as held (called when it is written)."""
    KINDS[kind].objects(id=item.id).update_one(
        set__status="held", set__hold_reason=reason, set__queued=True, set__queued_at=utcnow()
    )
    spine.record(kind, item.id, "system", "held", None, "held", reason=reason)


def decide(user, kind, item_id, status, reason=""):
    """An operator's decision: `visible` (restores it and delivers its notices) or `hidden`."""
    require_role(user, "operator")
    if status not in DECISIONS:
        raise InvalidData("the decision is not valid", {"status": f"one of {', '.join(DECISIONS)}"})
    item = get_item(kind, item_id)
    before = spine.decide(KINDS[kind], item.id, status, None if status == "visible" else "operator")
    spine.record(kind, item.id, user.id, status, before.get("status"), status, reason=reason)
    if status == "visible":
        spine.release_notices(kind, item.id)
    else:
        spine.hold_notices(kind, item.id)
    return get_item(kind, item_id)


def unqueue_if_clear(kind, item_id):
    """Take an item out of the queue when nothing about it waits (no reports, not held)."""
    KINDS[kind].objects(id=item_id, open_reports=0, status="visible").update_one(set__queued=False)


def _summary(kind, item):
    if kind == "comment":
        return item.text
    if kind == "proposal":
        return f"{item.title}: {item.description}"
    return item.message


def entry(kind, item):
    """One row of the queue."""
    reasons = {}
    for r in Report.objects(kind=kind, item=item.id).only("reason"):
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
    row = {
        "kind": kind,
        "id": str(item.id),
        "status": item.status,
        "hold_reason": item.hold_reason,
        "reports": item.open_reports,
        "reasons": reasons,
        "text": _summary(kind, item)[:500],
        "created_at": item.created_at,
        "queued_at": item.queued_at,
    }
    if kind == "proposal":
        row["state"] = item.state
    if kind == "comment":
        row["dataset"] = item.dataset_code
    return row


def queue(user, kind=None, status=None, reason=None, page=1, page_size=20):
    """The operators' queue: everything reported, held or awaiting review, newest first.

    Filters: `kind` (comment, proposal, feedback), `status` (visible, held, hidden), `reason`
    (a report reason, or a hold reason such as "links from a new account").
    """
    require_role(user, "operator")
    kinds = [kind] if kind else list(KINDS)
    take = page * page_size
    rows, total = [], 0
    for k in kinds:
        qs = KINDS[k].objects(queued=True)
        if status:
            qs = qs.filter(status=status)
        if reason:
            reported = Report.objects(kind=k, reason=reason).distinct("item")
            qs = qs.filter(__raw__={"$or": [{"_id": {"$in": reported}}, {"hold_reason": reason}]})
        total += qs.count()
        rows += [(i.queued_at or i.created_at, k, i) for i in qs.order_by("-queued_at").limit(take)]
    rows.sort(key=lambda r: r[0], reverse=True)
    chosen = rows[(page - 1) * page_size : take]
    return {
        "items": [entry(k, i) for _, k, i in chosen],
        "total": total,
        "page": page,
        "page_size": page_size,
    }


def history(user, kind, item_id):
    """The record of an item: every report and decision, oldest first."""
    require_role(user, "operator")
    item = get_item(kind, item_id)
    return [
        {
            "by": r.by,
            "action": r.action,
            "status_from": r.status_from,
            "status_to": r.status_to,
            "reason": r.reason,
            "at": r.at,
        }
        for r in ModerationRecord.objects(kind=kind, item=item.id).order_by("at")
    ]
