"""Command line: `flask --app wsgi users create-admin EMAIL`, `flask --app wsgi db init`."""

import click
from flask.cli import AppGroup

users_cli = AppGroup("users", help="Manage users.")
db_cli = AppGroup("db", help="Database chores.")
jobs_cli = AppGroup("jobs", help="Upload jobs.")


@jobs_cli.command("worker")
def jobs_worker():
    """Run queued upload jobs until stopped (SIGTERM lets running jobs end)."""
    import signal
    import threading

    from flask import current_app

    from portal.worker import serve

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    serve(current_app.config, stop)


@users_cli.command("create-admin")
@click.argument("email")
def create_admin(email):
    """Create (or find) an admin and print a new personal API token as the last line."""
    from portal.services.identity import users

    user, token = users.create_admin(email)
    click.echo(f"admin {user.email} (id {user.id}); a new personal API token follows:")
    click.echo(token)


@db_cli.command("init")
def init_db():
    """Ensure indexes and load the reference data into an empty database."""
    from portal.services import startup

    startup.prepare()
    click.echo("indexes ensured; reference data present")


@db_cli.command("reindex")
def reindex():
    """Recompute every dataset's search terms (after an organization rename, say)."""
    from portal.services.discovery import search_index

    count = search_index.reindex_all()
    click.echo(f"search terms recomputed for {count} datasets")


def register(app):
    """Attach the command groups."""
    app.cli.add_command(users_cli)
    app.cli.add_command(db_cli)
    app.cli.add_command(jobs_cli)
    from portal import cli_statistics

    cli_statistics.register(app)
