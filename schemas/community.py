"""Requests and answers of the community API: ratings, comments, moderation, proposals,
feedback and the survey. Unknown fields are refused."""

from marshmallow import ValidationError, fields, validate, validates_schema

from portal.core.community import (
    MODERATED_KINDS,
    MODERATION_STATUSES,
    PROPOSAL_STATES,
    REPORT_REASONS,
)
from schemas.common import MultilingualOut, NoOperators, PageArgs, Strict, Trimmed, paged

_NOT_BLANK = validate.Length(min=1, error="must not be empty or only spaces")


class Text(Trimmed):
    """Trimmed text that MongoDB can store: no lone surrogates, no NUL characters."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("is not valid Unicode (a lone surrogate)") from None
        if "\x00" in text:
            raise ValidationError("must not contain NUL characters")
        return text


def _text(limit, **kwargs):
    return Text(validate=[_NOT_BLANK, validate.Length(max=limit)], **kwargs)


# Honeypot: a field people never see on the forms; anything in it marks the message for review.
_honeypot = {"load_default": "", "validate": validate.Length(max=500)}


class RatingIn(Strict):
    stars = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=5))


class RatingOut(Strict):
    average = fields.Float(allow_none=True)
    count = fields.Integer()
    mine = fields.Integer(allow_none=True)


class TopRated(Strict):
    id = fields.String()
    code = fields.String()
    title = fields.Nested(MultilingualOut)
    organization = fields.String()
    average = fields.Float()
    count = fields.Integer()
    score = fields.Float()


class TopRatedPage(paged(TopRated)):
    pass


class CommentIn(Strict, NoOperators):
    text = _text(2000, required=True)
    reply_to = Text(load_default=None, allow_none=True, validate=validate.Length(max=64))
    website = Text(**_honeypot)


class CommentPatch(Strict):
    """The author's new text (within the edit window), or an operator's decision."""

    text = _text(2000)
    status = fields.String(validate=validate.OneOf(["visible", "hidden"]))
    reason = Text(load_default="", validate=validate.Length(max=1000))

    @validates_schema
    def _one_change(self, data, **kwargs):
        if ("text" in data) == ("status" in data):
            raise ValidationError(
                "send either text (the author) or status (an operator)", "_schema"
            )


class CommentOut(Strict):
    id = fields.String()
    text = fields.String()
    author_name = fields.String()
    created_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)
    reply_to = fields.String(allow_none=True)
    official = fields.Boolean()
    status = fields.String()


class CommentPage(paged(CommentOut)):
    pass


class ReportIn(Strict):
    reason = fields.String(required=True, validate=validate.OneOf(REPORT_REASONS))
    note = Text(load_default="", validate=validate.Length(max=1000))


class ReportOut(Strict):
    status = fields.String()
    reports = fields.Integer()


class DecisionIn(Strict):
    status = fields.String(required=True, validate=validate.OneOf(["visible", "hidden"]))
    reason = Text(load_default="", validate=validate.Length(max=1000))


class ModerationArgs(PageArgs):
    kind = fields.String(load_default=None, validate=validate.OneOf(MODERATED_KINDS))
    status = fields.String(load_default=None, validate=validate.OneOf(MODERATION_STATUSES))
    reason = Text(load_default=None, validate=validate.Length(min=1, max=100))


class QueueItem(Strict):
    kind = fields.String()
    id = fields.String()
    status = fields.String()
    hold_reason = fields.String(allow_none=True)
    reports = fields.Integer()
    reasons = fields.Dict(keys=fields.String(), values=fields.Integer())
    text = fields.String()
    created_at = fields.DateTime()
    queued_at = fields.DateTime(allow_none=True)
    state = fields.String()
    dataset = fields.String()


class QueuePage(paged(QueueItem)):
    pass


class ModerationStep(Strict):
    by = fields.String()
    action = fields.String()
    status_from = fields.String(allow_none=True)
    status_to = fields.String(allow_none=True)
    reason = fields.String()
    at = fields.DateTime()


class ModerationHistory(Strict):
    items = fields.List(fields.Nested(ModerationStep))


class DecisionOut(Strict):
    kind = fields.String()
    id = fields.String()
    status = fields.String()


# Proposals

class ProposalIn(Strict, NoOperators):
    title = _text(300, required=True)
    description = _text(5000, required=True)
    sector = Text(required=True, validate=[_NOT_BLANK, validate.Length(max=64)])
    website = Text(**_honeypot)


class ProposalPatch(Strict):
    status = fields.String(required=True, validate=validate.OneOf(PROPOSAL_STATES))
    reason = _text(2000)
    organization = Text(validate=[_NOT_BLANK, validate.Length(max=64)])
    dataset = Text(validate=[_NOT_BLANK, validate.Length(max=64)])


class ProposalArgs(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(PROPOSAL_STATES))
    sort = fields.String(load_default="votes", validate=validate.OneOf(["votes", "recent"]))
    sector = Text(load_default=None, validate=validate.Length(min=1, max=64))
    mine = fields.Boolean(load_default=False)  # the caller's own proposals, in every state


class ProposalOut(Strict):
    id = fields.String()
    title = fields.String()
    description = fields.String()
    sector = fields.String()
    status = fields.String()
    votes = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    reason = fields.String(allow_none=True)
    organization = fields.String(allow_none=True)
    dataset = fields.String(allow_none=True)
    history = fields.List(fields.Dict())
    voted = fields.Boolean(allow_none=True)


class ProposalPage(paged(ProposalOut)):
    pass


class VotesOut(Strict):
    votes = fields.Integer()


# Feedback

class FeedbackIn(Strict, NoOperators):
    full_name = _text(200, required=True)
    email = Text(required=True, validate=[_NOT_BLANK, validate.Length(max=254)])
    message = _text(5000, required=True)
    website = Text(**_honeypot)


class FeedbackPatch(Strict):
    handled = fields.Boolean(required=True)
    reply = _text(5000)


class FeedbackArgs(PageArgs):
    handled = fields.Boolean(load_default=None, allow_none=True)


class FeedbackOut(Strict):
    id = fields.String()
    full_name = fields.String()
    email = fields.String()
    message = fields.String()
    status = fields.String()
    handled = fields.Boolean()
    reply = fields.String(allow_none=True)
    replied_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class FeedbackReceipt(Strict):
    id = fields.String()
    created_at = fields.DateTime()


class FeedbackPage(paged(FeedbackOut)):
    pass


# Survey

class SurveyOption(Strict):
    id = fields.String()
    text = fields.Nested(MultilingualOut)


class SurveyQuestionOut(Strict):
    id = fields.String()
    text = fields.Nested(MultilingualOut)
    options = fields.List(fields.Nested(SurveyOption))
    other = fields.Boolean()


class SurveyOut(Strict):
    questions = fields.List(fields.Nested(SurveyQuestionOut))


class SurveyAnswersIn(Strict, NoOperators):
    answers = fields.Dict(
        keys=Text(validate=validate.Length(min=1, max=64)),
        values=fields.Raw(),
        required=True,
        validate=validate.Length(min=1, max=20),
    )
    website = Text(**_honeypot)


class SurveyReceipt(Strict):
    id = fields.String()


class OptionCount(Strict):
    id = fields.String()
    text = fields.Nested(MultilingualOut)
    count = fields.Integer()


class QuestionResult(Strict):
    id = fields.String()
    text = fields.Nested(MultilingualOut)
    options = fields.List(fields.Nested(OptionCount))
    other = fields.Integer()
    other_answers = fields.List(fields.String())


class SurveyResults(Strict):
    answers = fields.Integer()
    questions = fields.List(fields.Nested(QuestionResult))


# Follows

class FollowOut(Strict):
    following = fields.Boolean()
    followers = fields.Integer()


class AnswerFigures(Strict):
    organization = fields.String()
    questions = fields.Integer()
    answered = fields.Integer()
    share_answered = fields.Float(allow_none=True)
    median_hours_to_answer = fields.Float(allow_none=True)


class AnswerFiguresList(Strict):
    items = fields.List(fields.Nested(AnswerFigures))
