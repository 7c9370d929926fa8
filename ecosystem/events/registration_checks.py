"""Checks of a registration request that need no lock: who may be registered, the answers to the event's
questions, and who may hold a ticket of an audience-restricted type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ecosystem.auth.models import User
from ecosystem.clubs.membership import is_club_member
from ecosystem.core.errors import DomainError
from ecosystem.events.models import Answer, Audience, Event, QuestionKind
from ecosystem.startups.profiles import startups_of


class RegistrationError(DomainError):
    """A registration rule refused the change."""


@dataclass
class AttendeeRequest:
    user: User
    ticket_type_id: int
    answers: dict[int, str] = field(default_factory=dict)  # question id → answer


# Who may hold a ticket of an audience-restricted type; the startups and clubs domains answer.
def _is_founder(user: User) -> bool:
    return bool(startups_of(user))


def _is_student(user: User) -> bool:
    return is_club_member(user.id)


AUDIENCE_CHECKS: dict[str, Callable[[User], bool]] = {
    Audience.EVERYONE: lambda user: True,
    Audience.STARTUPS: _is_founder,
    Audience.STUDENTS: _is_student,
}


AUDIENCE_LABELS = {
    Audience.EVERYONE: _l("everyone"),
    Audience.STARTUPS: _l("founders of a startup"),
    Audience.STUDENTS: _l("students of a university club"),
}



def check_answers(event: Event, answers: dict[int, str]) -> list[Answer]:
    checked = []
    for question in event.questions:
        value = (answers.get(question.id) or "").strip()
        if not value:
            if question.required:
                raise RegistrationError(_l("Please answer “%(question)s”.", question=question.label))
            continue
        if len(value) > 2000:
            raise RegistrationError(_l("An answer has at most 2000 characters."))
        if question.kind == QuestionKind.CHOICE and value not in question.choice_list:
            raise RegistrationError(_l("Choose one of the offered answers to “%(question)s”.", question=question.label))
        if question.kind == QuestionKind.YES_NO and value not in ("yes", "no"):
            raise RegistrationError(_l("Answer “%(question)s” with yes or no.", question=question.label))
        checked.append(Answer(question_id=question.id, value=value))
    return checked


def check_attendees(buyer: User, attendees: list[AttendeeRequest], may_register_others) -> None:
    """Who the buyer may register. Someone the buyer may not register is never named: an id is easy to guess."""
    if not attendees:
        raise RegistrationError(_l("Choose at least one attendee."))
    seen: set[int] = set()
    for attendee in attendees:
        if attendee.user.id != buyer.id and not may_register_others(buyer, attendee.user):
            raise RegistrationError(_l("You may register only yourself and members of your startup or team."))
        if attendee.user.id in seen:
            raise RegistrationError(_l("%(name)s is listed twice.", name=attendee.user.full_name))
        seen.add(attendee.user.id)
