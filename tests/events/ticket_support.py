"""Test data for tickets, check-in, calendars and reminders: events built with the ORM,
registrations made through `events.registration.register` (the real seat rules)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from ecosystem.auth.models import User
from ecosystem.events import registration as seats
from ecosystem.events.models import Event, EventOrganiser, EventStatus, Registration, TicketType
from ecosystem.events.registration_checks import AttendeeRequest
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow

_sequence = itertools.count(1)


def new_event(app, starts_in=timedelta(days=3), capacity=20, price=0, status=EventStatus.PUBLISHED,
              organisers=(), title="Hội thảo chuyển đổi số Thái Nguyên", **fields) -> tuple[int, str, int]:
    """(event id, slug, ticket type id)."""
    with app.app_context():
        start = utcnow().replace(microsecond=0) + starts_in
        slug = f"hoi-thao-ve-{next(_sequence)}"
        event = Event(
            slug=slug, title=title, kind="workshop", status=status, starts_at=start,
            ends_at=start + timedelta(hours=3), search_name=title.lower(), search_text=title.lower(),
            summary="Chia sẻ kinh nghiệm chuyển đổi số cho doanh nghiệp nhỏ.",
            description="Buổi **hội thảo** dành cho:\n\n- nhà sáng lập\n- sinh viên",
            venue_name="Trung tâm Hội nghị tỉnh", address="Số 1 đường Hoàng Văn Thụ, phường Phan Đình Phùng",
            ticket_types=[TicketType(name="Vé thường", capacity=capacity, price_vnd=price, per_person_limit=5)],
            organisers=[EventOrganiser(user_id=user_id) for user_id in organisers],
            **fields,
        )
        db.session.add(event)
        db.session.commit()
        return event.id, slug, event.ticket_types[0].id


def register(app, event_id, user_id, others=()) -> list[tuple[int, str, str | None]]:
    """Register `user_id` (and `others` in the same order); [(registration id, status, ticket code)]."""
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        buyer = db.session.get(User, user_id)
        ticket_type_id = event.ticket_types[0].id
        requests = [AttendeeRequest(buyer, ticket_type_id)]
        requests += [AttendeeRequest(db.session.get(User, other), ticket_type_id) for other in others]
        order = seats.register(event, buyer, requests, may_register_others=lambda buyer, other: True)
        return [(item.id, item.status, item.ticket_code) for item in order.registrations]


def registration_state(app, registration_id) -> Registration:
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        db.session.expunge(registration)
        return registration


def english(forms) -> None:
    forms.post("/language", {"lang": "en"}, form_page="/")
