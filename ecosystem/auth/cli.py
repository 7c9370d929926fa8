"""`flask users ...` commands."""

import secrets

import click
from flask import Blueprint

from ecosystem.auth.models import Role
from ecosystem.auth.services import create_confirmed_user, find_user_by_email, grant_role
from ecosystem.extensions import db

bp = Blueprint("users_cli", __name__, cli_group="users")


@bp.cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Quản trị viên", show_default=True, help="Full name.")
@click.option(
    "--password",
    envvar="ADMIN_PASSWORD",
    default=None,
    help="Password (or ADMIN_PASSWORD). When omitted a random one is generated and printed.",
)
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create an administrator account, or make an existing account administrator."""
    existing = find_user_by_email(email)
    if existing is not None:
        grant_role(existing, Role.ADMIN)
        db.session.commit()
        click.echo(f"{existing.email} is now an administrator.")
        return
    if password is not None and len(password) < 10:
        raise click.BadParameter("at least 10 characters", param_hint="--password")
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    user = create_confirmed_user(email, password, name, {Role.ADMIN})
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")
    if generated:
        click.echo(f"Password: {password}")
