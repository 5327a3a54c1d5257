"""The portal's survey: seeded questions with fixed options, one answer per browser a period."""

import hashlib
from datetime import timedelta

from portal.core.errors import Conflict, InvalidData
from portal.db.community import SurveyAnswer, SurveyQuestion
from portal.db.community import survey as store
from portal.db.models import ml, utcnow
from portal.services.community.rules import setting
from portal.services.identity.access import require_role

OTHER_MAX = 500


def _question_dict(q):
    return {
        "id": q.code,
        "text": q.text.to_dict(),
        "options": [{"id": o["id"], "text": o["text"]} for o in q.options],
        "other": q.other,
    }


def questions():
    """The survey: {questions: [{id, text{4}, options: [{id, text{4}}], other}]}."""
    return {"questions": [_question_dict(q) for q in SurveyQuestion.objects.order_by("order")]}


def load(items):
    """Seed the questions that are missing (by id)."""
    for order, item in enumerate(items):
        if SurveyQuestion.objects(code=item["id"]).first():
            continue
        SurveyQuestion(
            code=item["id"],
            text=ml(item["text"]),
            options=[{"id": o["id"], "text": o["text"]} for o in item["options"]],
            other=item.get("other", True),
            order=order,
        ).save()


def browser_key(cookie):
    """What is stored of the browser's survey cookie: a hash, never the cookie itself."""
    return hashlib.sha256(cookie.encode()).hexdigest()


def _clean(answers):
    known = {q.code: q for q in SurveyQuestion.objects}
    chosen, other, errors = {}, {}, {}
    for qid, value in answers.items():
        q = known.get(qid)
        if q is None:
            errors[qid] = "no such question"
        elif isinstance(value, str):
            if value not in {o["id"] for o in q.options}:
                errors[qid] = f"no option {value!r}: one of {', '.join(o['id'] for o in q.options)}"
            else:
                chosen[qid] = value
        elif isinstance(value, dict) and set(value) == {"other"} and q.other:
            text = value["other"].strip() if isinstance(value["other"], str) else ""
            if not text.isprintable() and not text.replace("\n", " ").isprintable():
                errors[qid] = "the other answer has characters that are not text"
            elif not text:
                errors[qid] = "the other answer must not be empty"
            elif len(text) > OTHER_MAX:
                errors[qid] = f"the other answer is at most {OTHER_MAX} characters"
            else:
                other[qid] = text
        else:
            errors[qid] = 'an option id, or {"other": text}'
    if errors:
        raise InvalidData("the answers are not valid", {"answers": errors})
    return chosen, other


def answer(browser_cookie, answers):
    """Store one browser's answers; a second answer within SURVEY_PERIOD_DAYS is refused."""
    chosen, other = _clean(answers)
    key = browser_key(browser_cookie)
    days = setting("SURVEY_PERIOD_DAYS")
    if store.answered_since(key, utcnow() - timedelta(days=days)):
        raise Conflict(
            f"this browser has answered the survey in the last {days} days",
            {"answers": f"one answer per browser every {days} days"},
        )
    saved = SurveyAnswer(browser=key, answers=chosen, other=other)
    saved.save()
    return {"id": str(saved.id)}


def results(user):
    """Counts per option of every question, with the latest free-text answers (operator)."""
    require_role(user, "operator")
    out = []
    for q in SurveyQuestion.objects.order_by("order"):
        other_count, latest = store.others(q.code)
        out.append(
            {
                "id": q.code,
                "text": q.text.to_dict(),
                "options": [
                    {"id": o["id"], "text": o["text"], "count": store.count_option(q.code, o["id"])}
                    for o in q.options
                ],
                "other": other_count,
                "other_answers": latest,
            }
        )
    return {"answers": SurveyAnswer.objects.count(), "questions": out}
