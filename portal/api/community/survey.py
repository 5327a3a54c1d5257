"""The survey: questions, answers (one per browser a period) and results."""

import secrets

from flask import current_app, request
from flask_smorest import Blueprint

from portal.api.context import anonymous_write, current_user
from portal.ratelimits import rate_limit
from portal.services.community import survey
from schemas.community import SurveyAnswersIn, SurveyOut, SurveyReceipt, SurveyResults

blp = Blueprint("survey", __name__, url_prefix="/api/v1", description="Survey")

COOKIE = "ochiq_survey"


@blp.get("/survey")
@blp.response(200, SurveyOut)
def get_survey():
    """The survey's questions with their options in four languages"""
    return survey.questions()


@blp.post("/survey/answers")
@rate_limit("community")
@anonymous_write
@blp.arguments(SurveyAnswersIn)
@blp.response(201, SurveyReceipt)
def answer(data):
    """Answer the survey: {answers: {question: option or {"other": text}}}; once a browser"""
    cookie = request.cookies.get(COOKIE, "")
    if not (16 <= len(cookie) <= 64):
        cookie = secrets.token_urlsafe(24)
    receipt = survey.answer(cookie, data["answers"])
    days = current_app.config["SURVEY_PERIOD_DAYS"]
    headers = {
        "Set-Cookie": (
            f"{COOKIE}={cookie}; Max-Age={days * 86400}; Path=/api/v1/survey; HttpOnly; "
            "SameSite=Lax" + ("; Secure" if current_app.config["SESSION_COOKIE_SECURE"] else "")
        )
    }
    return receipt, 201, headers


@blp.get("/survey/results")
@blp.response(200, SurveyResults)
def results():
    """How many chose each option, and the latest free-text answers (operator)"""
    return survey.results(current_user())
