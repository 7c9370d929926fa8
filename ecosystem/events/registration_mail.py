"""The e-mails that tell a person what was decided about their registration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ecosystem.auth.models import User
from ecosystem.core.urls import external_url
from ecosystem.events.models import Event, Registration, RegistrationStatus
from ecosystem.events.tickets import ticket_files
from ecosystem.extensions import db
from ecosystem.mail.services import queue_mail


def send_notices(decided: list[tuple[Registration, str]]) -> None:
    """E-mail each person what was decided, once it is committed and the locks are released: rendering a
    ticket (its QR code, its calendar file) never holds the event's lock. A decision changed meanwhile has
    sent (or will send) its own e-mail."""
    try:
        for registration, status in decided:
            db.session.refresh(registration)
            if registration.status == status:
                notify(registration, registration.event, registration.attendee)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def notify(registration: Registration, event: Event, attendee: User) -> None:
    templates = {
        RegistrationStatus.CONFIRMED: ("events/mail/confirmed", _l("Your ticket for %(event)s", event=event.title)),
        RegistrationStatus.WAITLISTED: ("events/mail/waitlisted", _l("You are on the waitlist of %(event)s",
                                                                     event=event.title)),
        RegistrationStatus.AWAITING_PAYMENT: ("events/mail/awaiting_payment",
                                              _l("Pay to keep your seat at %(event)s", event=event.title)),
        RegistrationStatus.PENDING_APPROVAL: ("events/mail/pending_approval",
                                              _l("Your registration for %(event)s awaits approval",
                                                 event=event.title)),
    }
    template, subject = templates[RegistrationStatus(registration.status)]
    attachments = ticket_attachments(registration) if registration.status == RegistrationStatus.CONFIRMED else []
    queue_mail(
        attendee.email, subject, template, attendee.locale, attachments=attachments,
        event=event, registration=registration, attendee=attendee,
        event_url=external_url("events.detail", slug=event.slug),
        ticket_url=external_url("tickets.show", code=registration.ticket_code) if registration.ticket_code else None,
        pay_url=(external_url("payments.pay", registration_id=registration.id)
                 if registration.status == RegistrationStatus.AWAITING_PAYMENT else None),
    )


def ticket_attachments(registration: Registration) -> list[tuple[str, str, bytes]]:
    """The QR code and calendar file sent with a ticket (the tickets module provides them)."""
    return ticket_files(registration)
