"""Events: registrations for organisers: the CSV roster, status labels, answers, organisations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ecosystem.clubs.membership import club_names_of, team_names_of
from ecosystem.core.exports import csv_bytes
from ecosystem.core.localtime import to_local
from ecosystem.events.models import Event, Question, QuestionKind, Registration, RegistrationStatus
from ecosystem.events.queries import event_registrations
from ecosystem.events.services import registration_status_label
from ecosystem.i18n import label_of
from ecosystem.startups.membership import startup_names_of


def registrations_csv(event: Event) -> bytes:
    """The registrations as CSV with a BOM, so Excel opens Vietnamese text correctly; every cell (names,
    e-mail addresses, answers, question labels) goes through the formula guard."""
    questions = list(event.questions)
    rows = [[
        str(_l("Name")), str(_l("E-mail")), str(_l("Phone")), str(_l("Organisation")), str(_l("Ticket")),
        str(_l("Status")), str(_l("Registered at")), str(_l("Registered by")),
        *[question.label for question in questions],
    ]]
    registrations = event_registrations(event)
    organisations = organisations_of(registration.attendee_id for registration in registrations)
    for registration in registrations:
        answers = {answer.question_id: answer.value for answer in registration.answers}
        rows.append([
            registration.attendee.full_name, registration.attendee.email, registration.attendee.phone or "",
            organisations.get(registration.attendee_id, ""),
            registration.ticket_type.name, registration_label(registration),
            to_local(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            registration.order.buyer.email,
            *[answer_text(question, answers[question.id]) if question.id in answers else ""
              for question in questions],
        ])
    return csv_bytes(rows)


def registration_label(registration: Registration) -> str:
    """The status as organisers read it: a declined registration says so rather than "Cancelled"."""
    if registration.status == RegistrationStatus.CANCELLED and registration.declined_at is not None:
        return str(_l("Declined"))
    return registration_status_label(registration.status)


# ---------------------------------------------------------------------------
# Registrations for organisers: answers, phone, organisation
# ---------------------------------------------------------------------------

YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No")}


def answer_text(question: Question, value: str) -> str:
    """An answer as people read it: "Có"/"Không" for a yes-or-no question, else as given."""
    if question.kind == QuestionKind.YES_NO:
        return label_of(YES_NO_LABELS, value)
    return value


def organisations_of(user_ids) -> dict[int, str]:
    """Each person's organisation for rosters: their startups, else their club teams (team · club), else their
    clubs. Three queries whatever the number of people."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    names: dict[int, list[str]] = {}
    for rows in (startup_names_of(ids), team_names_of(ids), club_names_of(ids)):
        found: dict[int, list[str]] = {}
        for user_id, name in rows:
            found.setdefault(user_id, []).append(name)
        for user_id, values in found.items():
            names.setdefault(user_id, values)
    return {user_id: "; ".join(dict.fromkeys(values)) for user_id, values in names.items()}
