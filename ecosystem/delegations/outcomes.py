"""What the accepted startups and teams report after a Techfest, and the totals the department counts."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import User
from ecosystem.auth.permissions import can
from ecosystem.delegations.models import Application, ApplicationStatus, DelegationCall
from ecosystem.delegations.policies import DelegationError, checked_text
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow

COUNT_MAX = 100_000
AWARDS_MAX = 500


def may_report(application: Application) -> bool:
    """Results are reported by accepted applicants once the event has begun."""
    return application.status == ApplicationStatus.ACCEPTED and application.call.event_starts_on <= utcnow()


def report_outcomes(application: Application, contacts: int | None, mous: int | None,
                    investment_offers: int | None, awards: str | None, by: User) -> None:
    """Results after the event, by the applicant (or a coordinator). Commits."""
    if not can(by, "application.edit", application):
        raise DelegationError(_l("Only the applicant reports the results."))
    if application.status != ApplicationStatus.ACCEPTED:
        raise DelegationError(_l("Results are reported for accepted applications only."))
    if application.call.event_starts_on > utcnow():
        raise DelegationError(_l("Results can be reported once the event has begun."))
    for name, value in (("outcome_contacts", contacts), ("outcome_mous", mous),
                        ("outcome_investment_offers", investment_offers)):
        if value is not None and not 0 <= value <= COUNT_MAX:
            raise DelegationError(_l("Please enter a whole number from 0 to %(max)d.", max=COUNT_MAX), name)
    application.outcome_awards = checked_text(
        awards, AWARDS_MAX, _l("At most %(max)d characters.", max=AWARDS_MAX), "outcome_awards") or None
    application.outcome_contacts, application.outcome_mous = contacts, mous
    application.outcome_investment_offers = investment_offers
    application.outcomes_reported_at = utcnow()
    db.session.commit()


@dataclass(frozen=True)
class OutcomeTotals:
    accepted: int  # accepted applications, reported or not
    reported: int
    contacts: int
    mous: int
    investment_offers: int
    awards: int  # reports that name at least one award


def outcome_totals(call_ids: list[int] | None = None) -> OutcomeTotals:
    """Totals over the given calls (all calls when None), in one query: for the call page and statistics."""
    reported = Application.outcomes_reported_at.is_not(None)
    statement = select(
        func.count(Application.id),
        func.count(Application.outcomes_reported_at),
        func.coalesce(func.sum(Application.outcome_contacts), 0),
        func.coalesce(func.sum(Application.outcome_mous), 0),
        func.coalesce(func.sum(Application.outcome_investment_offers), 0),
        func.count(Application.id).filter(reported, Application.outcome_awards.is_not(None)),
    ).where(Application.status == ApplicationStatus.ACCEPTED)
    if call_ids is not None:
        statement = statement.where(Application.call_id.in_(call_ids))
    return OutcomeTotals(*(int(value) for value in db.session.execute(statement).one()))


def reports(call: DelegationCall) -> list[Application]:
    """The accepted applications of a call, those that reported first, for the coordinators' table."""
    applications = db.session.scalars(
        select(Application)
        .where(Application.call_id == call.id, Application.status == ApplicationStatus.ACCEPTED)
        .options(selectinload(Application.startup), selectinload(Application.team))
    )
    return sorted(applications, key=lambda a: (a.outcomes_reported_at is None, a.applicant_name.casefold(), a.id))
