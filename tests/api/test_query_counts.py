"""API lists run the same number of SQL statements for 5 and for 500 rows."""

from __future__ import annotations

import itertools

import pytest

from ecosystem.auth.models import Role
from ecosystem.core.listing import folded_text
from ecosystem.core.text import fold
from ecosystem.directory.models import Component, ComponentService, ComponentStatus
from ecosystem.extensions import db
from ecosystem.startups.models import Startup
from tests.factories import locality_id, make_user
from tests.factories.events import make_events

_numbers = itertools.count(1)


def selects(statements: list[str]) -> list[str]:
    """The queries (the test harness adds SAVEPOINT statements around each request)."""
    return [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]


def _add_startups(app, count: int) -> None:
    """Rows written straight to the table (500 registrations through the service would be slow)."""
    place = locality_id(app, "Phường Phan Đình Phùng")
    with app.app_context():
        for _ in range(count):
            number = next(_numbers)
            name = f"Phần mềm Hàng loạt {number}"
            db.session.add(Startup(
                slug=f"phan-mem-hang-loat-{number}", name=name, tagline="Phần mềm quản lý", sector="software",
                stage="mvp", province="Thái Nguyên", locality_id=place, logo=f"logo{number}.webp",
                contact_email=f"lienhe{number}@hangloat.vn", search_name=fold(name),
                search_text=folded_text(name, "Phần mềm quản lý", "software"),
            ))
        db.session.commit()


def _add_components(app, count: int) -> None:
    place = locality_id(app, "Phường Gia Sàng")
    with app.app_context():
        for _ in range(count):
            number = next(_numbers)
            name = f"Vườn ươm Hàng loạt {number}"
            component = Component(
                slug=f"vuon-uom-hang-loat-{number}", name=name, kind="incubator", province="Thái Nguyên",
                locality_id=place, status=ComponentStatus.APPROVED, search_name=fold(name),
                search_text=folded_text(name, "ươm tạo"),
            )
            component.services = [ComponentService(name="Ươm tạo", slug="uom-tao"),
                                  ComponentService(name="Cố vấn", slug="co-van")]
            db.session.add(component)
        db.session.commit()


def _add_events(app, count: int) -> None:
    """Published events with one ticket type each (`make_events`: one transaction)."""
    creator = make_user(app, roles=(Role.COORDINATOR,))
    make_events(app, count, creator, title=f"Sự kiện hàng loạt đợt {next(_numbers)}")


@pytest.mark.parametrize(
    "path, add, expected_selects",
    [
        # COUNT, the page, its communes.
        ("/api/v1/startups?per_page=100&q=hang+loat&sector=software", _add_startups, 3),
        ("/api/v1/startups?per_page=2&page=2&sort=newest", _add_startups, 3),
        # COUNT, the page, its services, its communes.
        ("/api/v1/directory?per_page=100&q=hang+loat&kind=incubator&service=uom-tao", _add_components, 4),
        # COUNT, the page, its ticket types, the seats taken (no commune: none is set).
        ("/api/v1/events?per_page=100&q=hang+loat&kind=networking", _add_events, 4),
        ("/api/v1/events?per_page=3&page=2&sort=latest", _add_events, 4),
    ],
)
def test_a_list_runs_the_same_queries_for_5_and_500_rows(app, client, count_queries, path, add, expected_selects):
    add(app, 5)
    client.get(path)  # warm up: first-request work is not part of the count
    with count_queries() as few:
        response = client.get(path)
    assert response.status_code == 200
    add(app, 495)
    with count_queries() as many:
        response = client.get(path)
    assert response.status_code == 200
    assert response.get_json()["items"] and response.get_json()["total"] == 500
    assert len(few) == len(many), (few, many)
    assert len(selects(many)) == expected_selects, many


def test_the_detail_of_a_component_runs_a_fixed_number_of_queries(app, client, count_queries, catalogue):
    path = f"/api/v1/directory/{catalogue.incubator.slug}"
    client.get(path)
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    # The component, its services, its commune, its public startups.
    assert len(selects(statements)) == 4, statements


def test_the_detail_of_an_event_runs_a_fixed_number_of_queries(app, client, count_queries, event_catalogue):
    path = f"/api/v1/events/{event_catalogue.techfest.slug}"
    client.get(path)
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    # The event, its commune, ticket types, questions and organisers (`public_event`), the seats taken.
    assert len(selects(statements)) == 6, statements
