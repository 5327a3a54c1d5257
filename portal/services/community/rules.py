"""The community's tunable rules: the app's settings when there is an app, else the defaults."""

from flask import current_app, has_app_context

DEFAULTS = {
    "COMMUNITY_REPORTS_TO_HIDE": 3,
    "COMMUNITY_EDIT_MINUTES": 15,
    "COMMUNITY_MAX_LINKS": 3,
    "COMMUNITY_NEW_ACCOUNT_HOURS": 24,
    "RATING_PRIOR_VOTES": 5,
    "SURVEY_PERIOD_DAYS": 30,
}


def setting(name):
    """One rule's value."""
    if has_app_context():
        return current_app.config.get(name, DEFAULTS[name])
    return DEFAULTS[name]
