"""Reminder e-mails 24 hours before an event, queued exactly once per person.

`send_reminders` is safe to run as often as you like, from several processes at
once: each reminder carries the outbox's unique `dedupe_key`
(`event-reminder:<registration id>`). Rows already reminded are skipped up
front; a concurrent run that inserts the same key first makes our insert fail
inside its own SAVEPOINT, which is rolled back alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ecosystem.core.urls import external_url
from ecosystem.events.models import Event, EventStatus, Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage
from ecosystem.mail.services import queue_mail_once
from ecosystem.timeutil import utcnow

REMINDER_AHEAD = timedelta(hours=24)


def reminder_key(registration: Registration) -> str:
    return f"event-reminder:{registration.id}"


def due_reminders(now: datetime) -> list[Registration]:
    """Confirmed tickets of published events starting within the next 24 hours, not yet reminded."""
    candidates = list(db.session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at <= now + REMINDER_AHEAD,
        )
        .options(selectinload(Registration.attendee), selectinload(Registration.event))
        .order_by(Registration.id)
    ))
    if not candidates:
        return []
    keys = [reminder_key(registration) for registration in candidates]
    sent = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))
    return [registration for registration in candidates if reminder_key(registration) not in sent]


def send_reminders(now: datetime | None = None) -> int:
    """Queue the reminders that are due; returns how many this run queued."""
    now = now or utcnow()
    queued = 0
    for registration in due_reminders(now):
        event, attendee = registration.event, registration.attendee
        queued += queue_mail_once(
            attendee.email, _l("Reminder: %(event)s", event=event.title), "events/mail/reminder",
            attendee.locale, reminder_key(registration),
            event=event, attendee=attendee, registration=registration,
            event_url=external_url("events.detail", slug=event.slug),
            ticket_url=external_url("tickets.show", code=registration.ticket_code),
        )
    db.session.commit()
    return queued
