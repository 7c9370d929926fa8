"""Verification of startups by the department: checklist, badge, queue."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import User
from ecosystem.core.listing import (
    ListQuery,
    Page,
    paginate,
)
from ecosystem.extensions import db
from ecosystem.startups.models import VERIFICATION_NOTE_MAX, Startup
from ecosystem.startups.services import TAX_CODE_PATTERN, StartupError, _lock_startup, _optional
from ecosystem.timeutil import utcnow


@dataclass(frozen=True)
class VerificationCheck:
    """One line of the department's checklist: what is checked, whether it holds, what was found."""

    key: str
    heading: str  # short, for a column
    label: str
    passed: bool
    found: str


def verification_checklist(startup: Startup) -> list[VerificationCheck]:
    """What a coordinator checks before verifying: a well-formed tax code, a contact, the commune or ward."""
    tax_code = (startup.tax_code or "").strip()
    contacts = [value for value in (startup.contact_email, startup.contact_phone) if value]
    place = startup.locality.name if startup.locality else startup.locality_text
    return [
        VerificationCheck(
            "tax_code", _l("Tax code"), _l("Tax code (MST): 10 digits, or 10 digits, a dash and 3 digits"),
            bool(TAX_CODE_PATTERN.match(tax_code)),
            tax_code or _l("missing"),
        ),
        VerificationCheck(
            "contact", _l("Contact"), _l("Contact: an e-mail address or a phone number"), bool(contacts),
            " · ".join(contacts) or _l("missing"),
        ),
        VerificationCheck("place", _l("Commune or ward"), _l("Commune or ward"), bool(place), place or _l("missing")),
    ]


def verify_startup(startup: Startup, coordinator: User, note: str | None = None) -> Startup:
    """The department vouches for the startup (badge), recording who did and their note. Commits.

    Refused (StartupError) when a check of `verification_checklist` fails, when the note is too long,
    or when someone verified it meanwhile (the row is locked from the check to the write).
    """
    note = _optional(note)
    if note is not None:
        note = note.replace("\r\n", "\n")
        if len(note) > VERIFICATION_NOTE_MAX:
            raise StartupError(_l("A note has at most %(max)d characters.", max=VERIFICATION_NOTE_MAX), "note")
    try:
        locked = _lock_startup(startup)
        if locked is None:
            raise StartupError(_l("This startup does not exist."))
        if locked.verified_at is not None:
            raise StartupError(_l("%(name)s is already verified.", name=locked.name))
        failed = [str(check.label) for check in verification_checklist(locked) if not check.passed]
        if failed:
            raise StartupError(_l("Not verified: the profile lacks %(missing)s. Ask the founder to complete it.",
                                  missing="; ".join(failed)))
        locked.verified_at = utcnow()
        locked.verified_by_id = coordinator.id
        locked.verification_note = note
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return locked


def unverify_startup(startup: Startup, coordinator: User) -> None:
    """Withdraw the badge (the note of the withdrawn verification goes with it). Commits."""
    if startup.verified_at is not None:
        startup.verified_at = None
        startup.verified_by_id = None
        startup.verification_note = None
        db.session.commit()


def verification_queue(query: ListQuery) -> Page:
    """Startups waiting for the department's verification, hidden ones included, oldest first.

    Three queries whatever the number of rows (count, page, localities)."""
    statement = (
        select(Startup)
        .where(Startup.verified_at.is_(None))
        .options(selectinload(Startup.locality))
        .order_by(Startup.created_at.asc(), Startup.id.asc())
    )
    return paginate(db.session, statement, query)
