"""`flask seed-demo`: idempotent demo data. Each domain adds its step from its `init_app` (`add_demo_step`).

Steps run in the order they were added, which is the order of the domains in `create_app` (lowest layer
first): a step finds the demo data of the domains below it (clubs belong to universities of the directory,
events register the people of startups and clubs, delegations take startups to Techfest). Each step creates
what is missing and returns the lines to print; the data is committed after each step.
"""

from collections.abc import Callable

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ecosystem.extensions import db

EXTENSION_KEY = "ecosystem.demo_steps"

DemoStep = Callable[[], list[str]]


def add_demo_step(app: Flask, step: DemoStep) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(step)


def seed_demo() -> list[str]:
    """Every domain's demo data; returns the report lines. Commits."""
    lines: list[str] = []
    for step in current_app.extensions.get(EXTENSION_KEY, []):
        lines.extend(step())
        db.session.commit()
    return lines


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load demo data (safe to run again: existing rows are kept)."""
    for line in seed_demo():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
