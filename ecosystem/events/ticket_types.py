"""Events: an event's ticket types and the questions its registration form asks."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ecosystem.events.models import Audience, Event, Question, QuestionKind, Registration, TicketType
from ecosystem.events.registration import lock_event
from ecosystem.events.services import (
    AUDIENCE_LABELS,
    CAPACITY_MAX,
    CHOICES_MAX,
    LIMIT_MAX,
    PRICE_MAX,
    QUESTION_KIND_LABELS,
    QUESTION_MAX,
    TICKET_DESCRIPTION_MAX,
    TICKET_NAME_MAX,
    EventError,
    _text,
)
from ecosystem.extensions import db

# ---------------------------------------------------------------------------
# Ticket types
# ---------------------------------------------------------------------------


@dataclass
class TicketTypeData:
    name: str
    price_vnd: int | None = 0
    capacity: int | None = None
    per_person_limit: int | None = 1
    audience: str = Audience.EVERYONE
    requires_approval: bool = False
    description: str = ""


def _checked_ticket(data: TicketTypeData) -> dict:
    name = " ".join(_text(data.name).split())
    if not name:
        raise EventError(_l("Please name the ticket type."), "name")
    if len(name) > TICKET_NAME_MAX:
        raise EventError(_l("A ticket name has at most %(max)d characters.", max=TICKET_NAME_MAX), "name")
    description = _text(data.description)
    if len(description) > TICKET_DESCRIPTION_MAX:
        raise EventError(
            _l("The ticket description has at most %(max)d characters.", max=TICKET_DESCRIPTION_MAX), "description"
        )
    if data.price_vnd is None or not 0 <= data.price_vnd <= PRICE_MAX:
        raise EventError(_l("The price is a whole number of đồng from 0 (free) to 1,000,000,000."), "price_vnd")
    if data.capacity is None or not 1 <= data.capacity <= CAPACITY_MAX:
        raise EventError(_l("The capacity is a whole number from 1 to %(max)d.", max=CAPACITY_MAX), "capacity")
    if data.per_person_limit is None or not 1 <= data.per_person_limit <= LIMIT_MAX:
        raise EventError(
            _l("The limit per person is a whole number from 1 to %(max)d.", max=LIMIT_MAX), "per_person_limit"
        )
    if data.audience not in AUDIENCE_LABELS:
        raise EventError(_l("Please choose who may buy this ticket from the list."), "audience")
    return {
        "name": name, "description": description, "price_vnd": data.price_vnd, "capacity": data.capacity,
        "per_person_limit": data.per_person_limit, "audience": str(data.audience),
        "requires_approval": bool(data.requires_approval),
    }


def add_ticket_type(event: Event, data: TicketTypeData) -> TicketType:
    values = _checked_ticket(data)
    ticket_type = TicketType(position=len(event.ticket_types), **values)
    event.ticket_types.append(ticket_type)
    db.session.commit()
    return ticket_type


def get_ticket_type(event: Event, ticket_type_id: int) -> TicketType | None:
    return next((item for item in event.ticket_types if item.id == ticket_type_id), None)


def update_ticket_type(event: Event, ticket_type_id: int, data: TicketTypeData) -> TicketType:
    ticket_type = get_ticket_type(event, ticket_type_id)
    if ticket_type is None:
        raise EventError(_l("This ticket type does not belong to the event."))
    values = _checked_ticket(data)
    if values["price_vnd"] != ticket_type.price_vnd and _registrations_of_type(ticket_type):
        raise EventError(_l("People hold this ticket: its price can no longer change."), "price_vnd")
    for name, value in values.items():
        setattr(ticket_type, name, value)
    db.session.commit()
    return ticket_type


def _registrations_of_type(ticket_type: TicketType) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.ticket_type_id == ticket_type.id)
    )


def delete_ticket_type(event: Event, ticket_type_id: int) -> None:
    """Delete a ticket type nobody registered with. The check and the delete happen under the event's lock,
    the one `register` takes, so no registration slips in between (the foreign key refuses it anyway)."""
    try:
        event = lock_event(event)
        ticket_type = get_ticket_type(event, ticket_type_id)
        if ticket_type is None:
            raise EventError(_l("This ticket type does not belong to the event."))
        if _registrations_of_type(ticket_type):
            raise EventError(_l("People registered with this ticket type: it cannot be deleted."))
        event.ticket_types.remove(ticket_type)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


# ---------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------


@dataclass
class QuestionData:
    label: str
    kind: str = QuestionKind.TEXT
    choices: str = ""
    required: bool = False


def _checked_question(data: QuestionData) -> dict:
    label = " ".join(_text(data.label).split())
    if not label:
        raise EventError(_l("Please write the question."), "label")
    if len(label) > QUESTION_MAX:
        raise EventError(_l("A question has at most %(max)d characters.", max=QUESTION_MAX), "label")
    if data.kind not in QUESTION_KIND_LABELS:
        raise EventError(_l("Please choose a kind of question from the list."), "kind")
    choices = ""
    if data.kind == QuestionKind.CHOICE:
        if len(data.choices or "") > CHOICES_MAX:
            raise EventError(_l("The choices have at most %(max)d characters.", max=CHOICES_MAX), "choices")
        lines = list(dict.fromkeys(line.strip() for line in (data.choices or "").splitlines() if line.strip()))
        if len(lines) < 2:
            raise EventError(_l("A choice question needs at least two choices, one a line."), "choices")
        choices = "\n".join(lines)
    return {"label": label, "kind": str(data.kind), "choices": choices, "required": bool(data.required)}


def add_question(event: Event, data: QuestionData) -> Question:
    values = _checked_question(data)
    question = Question(position=len(event.questions), **values)
    event.questions.append(question)
    db.session.commit()
    return question


def get_question(event: Event, question_id: int) -> Question | None:
    return next((item for item in event.questions if item.id == question_id), None)


def update_question(event: Event, question_id: int, data: QuestionData) -> Question:
    question = get_question(event, question_id)
    if question is None:
        raise EventError(_l("This question does not belong to the event."))
    for name, value in _checked_question(data).items():
        setattr(question, name, value)
    db.session.commit()
    return question


def _move(items: list, item, direction: str) -> None:
    """Swap `item` with its neighbour above ("up") or below ("down"); positions become 0..n-1."""
    if direction not in ("up", "down"):
        raise EventError(_l("Move up or down."))
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    ordered_items = list(items)
    if 0 <= other < len(ordered_items):
        ordered_items[index], ordered_items[other] = ordered_items[other], ordered_items[index]
    for position, each in enumerate(ordered_items):
        each.position = position


def move_ticket_type(event: Event, ticket_type_id: int, direction: str) -> None:
    """The order in which the event page offers its ticket types. Commits."""
    ticket_type = get_ticket_type(event, ticket_type_id)
    if ticket_type is None:
        raise EventError(_l("This ticket type does not belong to the event."))
    _move(event.ticket_types, ticket_type, direction)
    db.session.commit()


def move_question(event: Event, question_id: int, direction: str) -> None:
    """The order in which the registration form asks its questions. Commits."""
    question = get_question(event, question_id)
    if question is None:
        raise EventError(_l("This question does not belong to the event."))
    _move(event.questions, question, direction)
    db.session.commit()


def delete_question(event: Event, question_id: int) -> None:
    question = get_question(event, question_id)
    if question is None:
        raise EventError(_l("This question does not belong to the event."))
    event.questions.remove(question)
    db.session.commit()
