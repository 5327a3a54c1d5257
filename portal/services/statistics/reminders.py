"""Reminders of datasets that became due, overdue or delinquent, and the operators' summary.

One message per person per day: each author of an organization gets one notification (and one
e-mail when SMTP is configured) listing all of the organization's datasets that changed state
that day, each with a link to its upload step. Operators get one summary a day. A message is
claimed by (person, day) before it is written, so a second run the same day sends nothing new.
"""

import logging
import smtplib
from email.message import EmailMessage

from portal.db.models import Notification, User
from portal.db.statistics import states
from portal.services.statistics.monitoring import STATES, day_of

log = logging.getLogger("portal.reminders")
WORDS = {
    "due": "is due for an update",
    "overdue": "is overdue for an update",
    "delinquent": "is long overdue (delinquent)",
}


def upload_link(base_url, code):
    """The upload step of a dataset in the author's console."""
    return f"{base_url.rstrip('/')}/uz/console/datasets/{code}?step=3"


def _line(move, base_url):
    title = (move.get("title") or {}).get("engText") or (move.get("title") or {}).get("uzbText")
    due = move["due_at"].strftime("%Y-%m-%d") if move.get("due_at") else "-"
    return (
        f"{move['code']} {title or ''}: {WORDS[move['to']]} (due {due}); "
        f"upload: {upload_link(base_url, move['code'])}"
    )


def send(now, config):
    """Send the day's reminders and summaries; returns `{"authors": n, "operators": n}`."""
    day = day_of(now)
    base = config.get("BASE_URL", "")
    moves = states.transitions_of(day)
    per_org = {}
    for move in moves:
        per_org.setdefault(move["organization"], []).append(move)
    sent = {"authors": 0, "operators": 0, "emails": 0}
    mailer = Mailer(config)
    for org, items in sorted(per_org.items()):
        items.sort(key=lambda m: m["code"])
        lines = [_line(m, base) for m in items]
        subject = f"{len(items)} dataset(s) of your organization need an update"
        for user in User.objects(organization=org, roles="author", active=True):
            if not states.claim_message(f"author:{user.id}:{day}", now):
                continue
            _notify(user, "monitoring", subject, lines, items[0] if len(items) == 1 else None)
            sent["authors"] += 1
            sent["emails"] += mailer.send(user.email, subject, lines)
    summary_lines = _summary(now, moves)
    subject = f"Monitoring {day}: {len(moves)} dataset(s) changed state"
    for user in User.objects(roles="operator", active=True):
        if not states.claim_message(f"operator:{user.id}:{day}", now):
            continue
        _notify(user, "monitoring-summary", subject, summary_lines, None)
        sent["operators"] += 1
        sent["emails"] += mailer.send(user.email, subject, summary_lines)
    return sent


def _notify(user, kind, subject, lines, single):
    Notification(
        user=user.id,
        kind=kind,
        dataset=single["dataset"] if single else None,
        dataset_code=single["code"] if single else None,
        message=subject,
        reasons=lines,
    ).save()


def _summary(now, moves):
    run = {r["_id"]: r for r in states.runs(day_of(now))}.get(day_of(now)) or {}
    totals = run.get("totals") or dict.fromkeys(STATES, 0)
    lines = [", ".join(f"{state}: {totals.get(state, 0)}" for state in STATES)]
    counts = {}
    for move in moves:
        counts[move["to"]] = counts.get(move["to"], 0) + 1
    if counts:
        lines.append(
            "changed today: " + ", ".join(f"{n} became {state}" for state, n in counts.items())
        )
    worst = sorted(
        ((code, row) for code, row in (run.get("organizations") or {}).items() if row["late"]),
        key=lambda item: -item[1]["late"],
    )[:10]
    lines += [f"{code}: {row['late']} of {row['datasets']} late" for code, row in worst]
    return lines


class Mailer:
    """E-mail through SMTP when SMTP_HOST is configured; otherwise nothing is mailed."""

    def __init__(self, config):
        self.host = config.get("SMTP_HOST") or ""
        self.config = config
        self._smtp = None

    def send(self, to, subject, lines):
        """1 if the message went out, 0 otherwise (no SMTP, no address, or a failure logged)."""
        if not self.host or not to:
            return 0
        msg = EmailMessage()
        msg["From"] = self.config.get("SMTP_FROM") or "noreply@localhost"
        msg["To"] = to
        msg["Subject"] = subject
        msg.set_content("\n".join(lines) + "\n")
        try:
            smtp = self._connection()
            smtp.send_message(msg)
            return 1
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("reminder mail to %s failed: %s", to, exc)
            self._smtp = None
            return 0

    def _connection(self):
        if self._smtp is None:
            c = self.config
            smtp = smtplib.SMTP(self.host, int(c.get("SMTP_PORT") or 25), timeout=30)
            if c.get("SMTP_STARTTLS"):
                smtp.starttls()
            if c.get("SMTP_USER"):
                smtp.login(c["SMTP_USER"], c.get("SMTP_PASSWORD") or "")
            self._smtp = smtp
        return self._smtp
