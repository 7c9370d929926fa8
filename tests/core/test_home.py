"""The home page: the ecosystem's numbers count only what the public may see, in a fixed number of queries."""

from __future__ import annotations

import re

from ecosystem.auth.models import Role
from ecosystem.directory.models import ComponentStatus
from tests.factories import make_club, make_component, make_startup, make_user


def numbers(html: str) -> list[int]:
    return [int(value) for value in re.findall(r"<li><a href=\"[^\"]+\"><strong>(\d+)</strong>", html)]


def selects(statements: list[str]) -> list[str]:
    return [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]


def test_home_counts_public_startups_approved_organisations_and_clubs(app, client, count_queries):
    assert numbers(client.get("/").get_data(as_text=True)) == [0, 0, 0]
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    make_startup(app, verified_by=coordinator)
    make_startup(app, is_public=False)
    make_component(app, status=ComponentStatus.PENDING, suggested_by=make_user(app).id)
    make_club(app)  # its university is an approved component
    with count_queries() as few:
        assert numbers(client.get("/").get_data(as_text=True)) == [1, 1, 1]
    for _ in range(8):
        make_startup(app, verified_by=coordinator)
    with count_queries() as many:
        assert numbers(client.get("/").get_data(as_text=True)) == [9, 1, 1]
    # The verified startups shown (count, page, their communes) and one count per number.
    assert len(selects(few)) == len(selects(many)) == 6, selects(many)
