"""Quotas and decisions of a delegation call, taken under a row lock on the call.

The province's totals are split into allocations whose sums never exceed the
totals; accepting an application takes booths and places from its allocation.
Every such decision locks the call's row first (`SELECT ... FOR UPDATE`), so two
coordinators accepting the last place at the same moment cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ecosystem.auth.models import User
from ecosystem.clubs.membership import leaders_of
from ecosystem.core.errors import DomainError
from ecosystem.core.locks import hook, lock
from ecosystem.core.urls import external_url
from ecosystem.delegations.models import (
    PLACE_STATUSES,
    Allocation,
    Application,
    ApplicationStatus,
    Category,
    DelegationCall,
    Traveller,
)
from ecosystem.extensions import db
from ecosystem.mail.services import queue_mail, queue_mail_once
from ecosystem.startups.membership import owners_of
from ecosystem.timeutil import utcnow

OFFER_LIFETIME = timedelta(days=3)


class DecisionError(DomainError):
    """A quota or decision rule refused the change."""


class QuotaFull(DecisionError):
    pass


@dataclass
class AllocationRow:
    name: str
    booths: int
    places: int
    unit_id: int | None = None
    representative_id: int | None = None
    is_open_pool: bool = False
    id: int | None = None  # an existing allocation to update


def lock_call(call: DelegationCall) -> DelegationCall:
    return lock(call, "delegations.quota")


def set_allocations(call: DelegationCall, rows: list[AllocationRow]) -> list[Allocation]:
    """Replace the call's split of its quota. The sums never exceed the totals; an allocation
    keeps at least what its accepted applications already use. Commits."""
    call = lock_call(call)
    if any(row.booths < 0 or row.places < 0 for row in rows):
        raise DecisionError(_l("Booths and places are whole numbers from 0."))
    if sum(row.booths for row in rows) > call.total_booths:
        raise QuotaFull(_l("The allocations add up to more booths (%(sum)d) than the province has (%(total)d).",
                           sum=sum(row.booths for row in rows), total=call.total_booths))
    if sum(row.places for row in rows) > call.total_places:
        raise QuotaFull(_l("The allocations add up to more places (%(sum)d) than the province has (%(total)d).",
                           sum=sum(row.places for row in rows), total=call.total_places))
    existing = {allocation.id: allocation for allocation in call.allocations}
    kept = []
    for position, row in enumerate(rows):
        allocation = existing.pop(row.id, None) if row.id else None
        if allocation is None:
            allocation = Allocation(call=call)
            db.session.add(allocation)
        booths_taken, places_taken = places_used(allocation) if allocation.id else (0, 0)
        if row.booths < booths_taken or row.places < places_taken:
            raise DecisionError(_l("“%(name)s” already uses %(booths)d booth(s) and %(places)d place(s).",
                                   name=allocation.name, booths=booths_taken, places=places_taken))
        allocation.name, allocation.booths, allocation.places = row.name.strip(), row.booths, row.places
        allocation.unit_id, allocation.representative_id = row.unit_id, row.representative_id
        allocation.is_open_pool, allocation.position = row.is_open_pool, position
        kept.append(allocation)
    for removed in existing.values():
        if any(places_used(removed)):
            raise DecisionError(_l("“%(name)s” has accepted applications and cannot be removed.", name=removed.name))
        call.allocations.remove(removed)
    db.session.commit()
    return kept


def places_used(allocation: Allocation) -> tuple[int, int]:
    """(booths, travelling places) taken in `allocation` by accepted or offered applications."""
    taking = select(Application.id).where(
        Application.allocation_id == allocation.id, Application.status.in_(PLACE_STATUSES)
    )
    booths = db.session.scalar(
        select(func.count()).select_from(Application)
        .where(Application.id.in_(taking), Application.category == Category.BOOTH)
    )
    places = db.session.scalar(
        select(func.count()).select_from(Traveller).where(Traveller.application_id.in_(taking))
    )
    return booths or 0, places or 0


def _needs(application: Application) -> tuple[int, int]:
    return (1 if application.category == Category.BOOTH else 0), len(application.travellers)


def _take_place(call: DelegationCall, application: Application) -> None:
    allocation = application.allocation
    if allocation is None or allocation.call_id != call.id:
        raise DecisionError(_l("Put the application in an allocation of this call first."))
    booths_used, places_used_now = places_used(allocation)
    hook("delegations.quota_counted")
    booths_needed, places_needed = _needs(application)
    if booths_used + booths_needed > allocation.booths or places_used_now + places_needed > allocation.places:
        raise QuotaFull(
            _l("“%(allocation)s” has no room left: %(booths)d of %(total_booths)d booth(s) and %(places)d of "
               "%(total_places)d place(s) are taken.", allocation=allocation.name, booths=booths_used,
               total_booths=allocation.booths, places=places_used_now, total_places=allocation.places)
        )


def _decide(application: Application, status: ApplicationStatus, coordinator: User, message: str | None,
            subject) -> None:
    application.status = status
    application.decided_at = utcnow()
    application.decided_by_id = coordinator.id
    application.decision_message = (message or "").strip() or None
    mail_applicant(application, subject, "delegations/mail/decision")


def mail_applicant(application: Application, subject, template: str, dedupe_prefix: str | None = None,
                   **context) -> int:
    """Queue `template` to the applicant's contacts (owner, or club leaders); returns how many were queued.

    With `dedupe_prefix`, each contact gets the message at most once, even from two workers at a time.
    """
    queued = 0
    endpoints = _endpoints()
    for recipient in applicant_contacts(application):
        message = dict(
            application=application, call=application.call, person=recipient,
            call_url=external_url("delegations.detail", slug=application.call.slug)
            if "delegations.detail" in endpoints else "",
            application_url=external_url("delegations.application", application_id=application.id)
            if "delegations.application" in endpoints else "",
            **context,
        )
        if dedupe_prefix is None:
            queue_mail(recipient.email, subject, template, recipient.locale, **message)
        elif not queue_mail_once(recipient.email, subject, template, recipient.locale,
                                 f"{dedupe_prefix}:{recipient.id}", **message):
            continue
        queued += 1
    return queued


def _endpoints() -> set[str]:
    return set(current_app.view_functions)


def applicant_contacts(application: Application) -> list[User]:
    if application.startup is not None:
        return owners_of(application.startup)

    return leaders_of(application.team.club)


def _locked_application(application: Application) -> tuple[DelegationCall, Application]:
    call = lock_call(application.call)
    db.session.refresh(application)
    return call, application


def accept_application(application: Application, coordinator: User, message: str | None = None,
                       allocation_id: int | None = None) -> None:
    """Accept into `allocation_id` (or the allocation the application is in), or QuotaFull. Commits."""
    try:
        call, application = _locked_application(application)
        if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.RESERVE):
            raise DecisionError(_l("Only a submitted or reserve application can be accepted."))
        if allocation_id is not None:
            allocation = next((a for a in call.allocations if a.id == allocation_id), None)
            if allocation is None:
                raise DecisionError(_l("Choose an allocation of this call."))
            application.allocation = allocation
        _take_place(call, application)
        application.reserve_rank = None
        _decide(application, ApplicationStatus.ACCEPTED, coordinator, message,
                _l("Your application to %(call)s is accepted", call=call.name))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def reserve_application(application: Application, rank: int, coordinator: User, message: str | None = None) -> None:
    if rank < 1:
        raise DecisionError(_l("The reserve rank is a whole number from 1."))
    call, application = _locked_application(application)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED):
        db.session.rollback()
        raise DecisionError(_l("Only a submitted or accepted application can be put on the reserve list."))
    application.reserve_rank = rank
    _decide(application, ApplicationStatus.RESERVE, coordinator, message,
            _l("Your application to %(call)s is on the reserve list", call=call.name))
    db.session.commit()


def reject_application(application: Application, coordinator: User, message: str | None = None) -> None:
    call, application = _locked_application(application)
    if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
        db.session.rollback()
        raise DecisionError(_l("A draft or withdrawn application cannot be rejected."))
    application.reserve_rank = None
    _decide(application, ApplicationStatus.REJECTED, coordinator, message,
            _l("Your application to %(call)s", call=call.name))
    db.session.commit()


def _offer_to_next_reserve(call: DelegationCall, allocation: Allocation | None, now: datetime) -> Application | None:
    if allocation is None:
        return None
    reserves = db.session.scalars(
        select(Application)
        .where(Application.allocation_id == allocation.id, Application.status == ApplicationStatus.RESERVE)
        .order_by(Application.reserve_rank, Application.id)
    )
    for reserve in reserves:
        try:
            with db.session.begin_nested():
                _take_place(call, reserve)
        except QuotaFull:
            continue  # this reserve needs more than was freed; the next may fit
        reserve.status = ApplicationStatus.OFFERED
        reserve.offer_expires_at = now + OFFER_LIFETIME
        mail_applicant(reserve, _l("A place in %(call)s is offered to you", call=call.name),
                        "delegations/mail/offer")
        return reserve
    return None


def withdraw_application(application: Application, by: User) -> Application | None:
    """The applicant withdraws; a freed place is offered to the first reserve that fits. Commits."""
    now = utcnow()
    call, application = _locked_application(application)
    if application.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED):
        db.session.rollback()
        raise DecisionError(_l("This application is already closed."))
    held_place = application.status in PLACE_STATUSES
    application.status = ApplicationStatus.WITHDRAWN
    application.offer_expires_at = None
    db.session.flush()
    offered = _offer_to_next_reserve(call, application.allocation, now) if held_place else None
    db.session.commit()
    return offered


def confirm_offer(application: Application, by: User) -> None:
    call, application = _locked_application(application)
    if application.status != ApplicationStatus.OFFERED or application.offer_expires_at <= utcnow():
        db.session.rollback()
        raise DecisionError(_l("This offer is no longer open."))
    application.status = ApplicationStatus.ACCEPTED
    application.offer_expires_at = None
    application.decided_at = utcnow()
    db.session.commit()


def expire_offers(now: datetime | None = None) -> int:
    """Offers not confirmed in time pass to the next reserve. Returns how many expired."""
    now = now or utcnow()
    expired_ids = list(db.session.scalars(
        select(Application.id).where(Application.status == ApplicationStatus.OFFERED,
                                     Application.offer_expires_at < now)
    ))
    for application_id in expired_ids:
        application = db.session.get(Application, application_id)
        call, application = _locked_application(application)
        if application.status == ApplicationStatus.OFFERED and application.offer_expires_at < now:
            application.status = ApplicationStatus.WITHDRAWN
            application.offer_expires_at = None
            db.session.flush()
            _offer_to_next_reserve(call, application.allocation, now)
        db.session.commit()
    return len(expired_ids)

