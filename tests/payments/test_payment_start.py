"""No payment starts for a cancelled event or a registration that is not awaiting payment (issue 9, item 5)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ecosystem.auth.models import User
from ecosystem.events.models import Event, EventStatus, Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.payments.models import Payment
from ecosystem.payments.services import PaymentError, start_payment
from tests.factories.users import make_user
from tests.payments.conftest import make_awaiting, make_paid_event


def _payments(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Payment))


def test_no_payment_starts_for_a_cancelled_event(app, client, auth, stripe_off):
    user = make_user(app, locale="en")
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    with app.app_context():
        # The event is cancelled while this registration still waits (a cancellation racing the payment page).
        db.session.get(Event, event_id).status = EventStatus.CANCELLED
        db.session.commit()
        with pytest.raises(PaymentError, match="cancelled"), force_locale("en"):
            start_payment(db.session.get(Registration, registration_id), db.session.get(User, user.id))
    auth.login(user.email, user.password)
    response = client.get(f"/payments/registrations/{registration_id}/pay", follow_redirects=True)
    assert response.status_code == 200
    assert "This event is cancelled: nothing can be paid for it." in response.get_data(as_text=True)
    assert _payments(app) == 0


@pytest.mark.parametrize("status", [RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED,
                                    RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING_APPROVAL])
def test_no_payment_starts_for_a_registration_not_awaiting_payment(app, client, auth, stripe_off, status):
    user = make_user(app, locale="en")
    event_id, ticket_type_id = make_paid_event(app)
    registration_id = make_awaiting(app, event_id, ticket_type_id, user.id)
    with app.app_context():
        db.session.get(Registration, registration_id).status = status
        db.session.commit()
        with pytest.raises(PaymentError, match="not waiting for a payment"), force_locale("en"):
            start_payment(db.session.get(Registration, registration_id), db.session.get(User, user.id))
    auth.login(user.email, user.password)
    response = client.get(f"/payments/registrations/{registration_id}/pay", follow_redirects=True)
    assert response.status_code == 200
    assert "This registration is not waiting for a payment." in response.get_data(as_text=True)
    assert _payments(app) == 0
