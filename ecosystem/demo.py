"""`flask seed-demo`: idempotent demo data. Each domain adds its own step here."""

import click
from flask.cli import with_appcontext

from ecosystem.auth.demo import DEMO_PASSWORD, seed_users
from ecosystem.extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load demo data (safe to run again: existing rows are kept)."""
    accounts = seed_users()
    db.session.commit()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD})")
    for email, roles in accounts:
        click.echo(f"  {email:<28} {roles}")
