"""Command line: `flask --app wsgi users create-admin EMAIL`, `flask --app wsgi db init`."""

import click
from flask.cli import AppGroup

users_cli = AppGroup("users", help="Manage users.")
db_cli = AppGroup("db", help="Database chores.")


@users_cli.command("create-admin")
@click.argument("email")
def create_admin(email):
    """Create (or find) an admin and print a new personal API token as the last line."""
    from portal.services import users

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
    from portal.services import search_index

    count = search_index.reindex_all()
    click.echo(f"search terms recomputed for {count} datasets")


def register(app):
    """Attach the command groups."""
    app.cli.add_command(users_cli)
    app.cli.add_command(db_cli)
    from portal import cli_statistics

    cli_statistics.register(app)
