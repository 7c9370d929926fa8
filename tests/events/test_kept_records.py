"""Records of money, seats and selections are never deleted along with what they point at (ON DELETE
RESTRICT), on both databases: the services refuse first; the database is the backstop."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ecosystem.auth.models import User
from ecosystem.clubs.models import Team
from ecosystem.delegations.models import Application, ApplicationStatus, Category
from ecosystem.events import services, ticket_types
from ecosystem.events.models import Event, Order, Registration, TicketType
from ecosystem.extensions import db
from ecosystem.payments.models import Payment
from ecosystem.startups.models import Startup
from tests.events.ticket_support import new_event, register
from tests.factories import add_club_member, make_call, make_club, make_startup, make_team, make_user


def _refused_by_the_database(statement) -> None:
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(statement)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_ticket_type_an_event_or_a_user_with_registrations_cannot_take_them_along(app):
    event_id, _slug, ticket_type_id = new_event(app)
    buyer = make_user(app)
    register(app, event_id, buyer.id)
    with app.app_context():
        _refused_by_the_database(delete(TicketType).where(TicketType.id == ticket_type_id))
        _refused_by_the_database(delete(Event).where(Event.id == event_id))
        _refused_by_the_database(delete(User).where(User.id == buyer.id))
        _refused_by_the_database(delete(Order))
        assert (_count(Registration), _count(Order)) == (1, 1)


def test_a_paid_registration_cannot_be_deleted_with_its_payment(app):
    event_id, _slug, _ticket_type_id = new_event(app, price=250_000)
    [(registration_id, _status, _code)] = register(app, event_id, make_user(app).id)
    with app.app_context():
        db.session.add(Payment(registration_id=registration_id, provider="bank-transfer", amount_vnd=250_000,
                               idempotency_key=f"kept-{registration_id}"))
        db.session.commit()
        _refused_by_the_database(delete(Registration).where(Registration.id == registration_id))
        assert (_count(Registration), _count(Payment)) == (1, 1)


def test_deleting_a_ticket_type_someone_holds_is_refused_and_an_unused_one_is_deleted(app):
    event_id, _slug, ticket_type_id = new_event(app)
    register(app, event_id, make_user(app).id)
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        unused = TicketType(name="Vé phụ", capacity=3)
        event.ticket_types.append(unused)
        db.session.commit()
        unused_id = unused.id
        with pytest.raises(services.EventError):
            ticket_types.delete_ticket_type(event, ticket_type_id)
        ticket_types.delete_ticket_type(db.session.get(Event, event_id), unused_id)
        assert db.session.get(TicketType, unused_id) is None
        assert db.session.get(TicketType, ticket_type_id) is not None and _count(Registration) == 1


def test_a_startup_a_team_or_a_call_that_applied_cannot_take_the_application_along(app):
    startup = make_startup(app)
    club = make_club(app)
    team = make_team(app, club, members=[add_club_member(app, club)])
    call = make_call(app)
    with app.app_context():
        db.session.add_all([
            Application(call_id=call.id, startup_id=startup.id, product_name="Trà", category=Category.BOOTH,
                        status=ApplicationStatus.SUBMITTED),
            Application(call_id=call.id, team_id=team.id, product_name="Robot", category=Category.BOOTH,
                        status=ApplicationStatus.DRAFT),
        ])
        db.session.commit()
        _refused_by_the_database(delete(Startup).where(Startup.id == startup.id))
        _refused_by_the_database(delete(Team).where(Team.id == team.id))
        from ecosystem.delegations.models import DelegationCall

        _refused_by_the_database(delete(DelegationCall).where(DelegationCall.id == call.id))
        assert _count(Application) == 2
