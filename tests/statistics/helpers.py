"""Shared by the statistics tests: moving a dataset's last update, running the daily job."""

from datetime import datetime, timedelta

from portal.db.models import Dataset, utcnow

STAT = "2-001-11072"  # annual, organization 2-001 (the `author` fixture's)
LIB = "4-019-0014"  # quarterly, organization 4-019


def last_updated(code, when):
    """Set when a dataset's data last changed."""
    Dataset.objects(code=code).update_one(set__data_updated_at=when)


def run_daily(app, when):
    """`flask --app wsgi monitoring run --at <when>`; returns the command's output."""
    result = app.test_cli_runner().invoke(args=["monitoring", "run", "--at", when.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def midnight(days_ago=0):
    day = utcnow() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day)
