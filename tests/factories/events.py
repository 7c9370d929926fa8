"""Factories for the events domain, built through the services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from ecosystem.auth.models import Role, User
from ecosystem.core.localtime import to_local
from ecosystem.core.text import make_slug
from ecosystem.events import management, ticket_types
from ecosystem.events.models import Event, EventStatus, TicketType
from ecosystem.extensions import db
from tests.factories.users import UserRef, make_user

__all__ = ["EventRef", "make_event", "make_events"]

_sequence = itertools.count(1)


@dataclass(frozen=True)
class EventRef:
    id: int
    slug: str
    title: str
    creator: UserRef
    ticket_type_ids: tuple[int, ...]
    question_ids: tuple[int, ...]


def _local_in(days: float, hour: int = 8) -> datetime:
    """A local (Asia/Ho_Chi_Minh) wall time `days` from today, at `hour`."""
    now = to_local(datetime.now().astimezone())
    return (now + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def make_event(app, creator: UserRef | None = None, *, publish: bool = True, tickets=None, questions=(),
               organisers=(), in_days: float = 14, **fields) -> EventRef:
    """An event created by `creator` (a new coordinator by default), free ticket of 50 seats by default.

    `tickets`: TicketTypeData keyword dicts; `questions`: QuestionData keyword dicts;
    `organisers`: UserRefs named organisers.
    """
    creator = creator or make_user(app, roles=(Role.COORDINATOR,))
    starts = _local_in(in_days)
    values = {
        "title": f"Hội thảo thử nghiệm {next(_sequence)}",
        "kind": "workshop",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "venue_name": "Sở Khoa học và Công nghệ",
        "address": "Số 513 đường Phan Đình Phùng",
        **fields,
    }
    tickets = [{"name": "Vé thường", "capacity": 50}] if tickets is None else tickets
    with app.app_context():
        event = management.create_event(db.session.get(User, creator.id), management.EventData(**values))
        ticket_ids = tuple(ticket_types.add_ticket_type(event, ticket_types.TicketTypeData(**ticket)).id
                           for ticket in tickets)
        question_ids = tuple(ticket_types.add_question(event, ticket_types.QuestionData(**question)).id
                             for question in questions)
        for organiser in organisers:
            management.add_organiser(event, organiser.email)
        if publish:
            management.publish_event(event)
        return EventRef(event.id, event.slug, event.title, creator, ticket_ids, question_ids)


def make_events(app, count: int, creator: UserRef, *, title: str = "Sự kiện hàng loạt") -> None:
    """`count` published events with one free ticket each, in one transaction (list-size tests)."""
    with app.app_context():
        user = db.session.get(User, creator.id)
        starts = _local_in(10)
        for number in range(1, count + 1):
            event = Event(
                created_by_id=user.id, status=EventStatus.PUBLISHED, slug=make_slug(f"{title} {number}"),
            )
            management._apply(event, management._checked(management.EventData(
                title=f"{title} {number}", kind="networking", starts_at=starts + timedelta(hours=number),
                ends_at=starts + timedelta(hours=number + 2), venue_name="Trung tâm Hội nghị tỉnh",
            )))
            event.ticket_types.append(TicketType(name="Vé", capacity=10))
            db.session.add(event)
        db.session.commit()
