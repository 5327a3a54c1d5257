"""`flask --app wsgi monitoring run|schedule` and `flask --app wsgi statistics refresh`."""

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

monitoring_cli = AppGroup("monitoring", help="Timeliness of datasets and reminders.")
statistics_cli = AppGroup("statistics", help="Statistics tables.")


@monitoring_cli.command("run")
@click.option("--at", "at", default=None, help="run as of this UTC time (YYYY-MM-DDTHH:MM)")
@click.option("--no-reminders", is_flag=True, help="compute states, send nothing")
def run(at, no_reminders):
    """The daily run: states, history, quality, AI section, tables, reminders (idempotent)."""
    from portal.services.statistics import daily

    now = datetime.fromisoformat(at) if at else None
    summary = daily.run(current_app.config, now, remind=not no_reminders)
    click.echo(
        f"{summary['day']}: {summary['monitored']} of {summary['datasets']} datasets monitored, "
        f"{summary['changed']} changed state; reminders to {summary['authors']} author(s), "
        f"summaries to {summary['operators']} operator(s), {summary['emails']} e-mail(s); "
        f"{summary['seconds']} s"
    )


@monitoring_cli.command("schedule")
def schedule():
    """Run the daily run every day and refresh the tables every few minutes (one process)."""
    from portal.services.statistics import schedule as scheduler

    click.echo("statistics scheduler started", err=True)
    scheduler.forever(current_app.config)


@statistics_cli.command("refresh")
def refresh():
    """Recompute the statistics tables now."""
    from portal.services.statistics import daily

    daily.refresh_tables()
    click.echo("statistics tables recomputed")


def register(app):
    app.cli.add_command(monitoring_cli)
    app.cli.add_command(statistics_cli)
