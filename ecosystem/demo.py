"""`flask seed-demo`: idempotent demo data. Each domain adds its own step here."""

import click
from flask.cli import with_appcontext

from ecosystem.auth.demo import DEMO_PASSWORD, seed_users
from ecosystem.clubs.demo import seed as seed_clubs
from ecosystem.delegations.demo import seed as seed_delegations
from ecosystem.directory.demo import seed as seed_directory
from ecosystem.events.demo import seed as seed_events
from ecosystem.extensions import db
from ecosystem.places.services import load_reference_localities
from ecosystem.startups.demo import seed as seed_startups


def seed_demo() -> tuple[list, list[str]]:
    """Every domain's demo data; returns (accounts, report lines). Commits."""
    accounts = seed_users()
    load_reference_localities()
    db.session.commit()
    # Order matters: clubs belong to universities of the directory, which links startups;
    # events register the people of startups and clubs; delegations take startups to Techfest.
    lines = [*seed_startups(), *seed_directory(), *seed_clubs(), *seed_events(), *seed_delegations()]
    db.session.commit()
    return accounts, lines


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load demo data (safe to run again: existing rows are kept)."""
    accounts, lines = seed_demo()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD})")
    for email, roles in accounts:
        click.echo(f"  {email:<28} {roles}")
    for line in lines:
        click.echo(line)
