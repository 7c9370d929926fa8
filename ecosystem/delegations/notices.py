"""E-mails a delegation sends on a schedule: "your offer expires soon" and "the roster is locked".

Both run from the outbox worker loop and are safe to run often and from several workers: every
message carries an outbox `dedupe_key`, and a call's roster announcement is taken under its row lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ecosystem.core.urls import external_url
from ecosystem.delegations.decisions import applicant_contacts, lock_call, mail_applicant
from ecosystem.delegations.models import Application, ApplicationStatus, CallStatus, DelegationCall
from ecosystem.delegations.rosters import accepted_applications
from ecosystem.extensions import db
from ecosystem.mail.services import queue_mail_once
from ecosystem.timeutil import utcnow

OFFER_REMINDER_AHEAD = timedelta(hours=24)


def remind_expiring_offers(now: datetime | None = None) -> int:
    """Remind reserves whose offer ends within a day, once per offer. Returns how many mails were queued."""
    now = now or utcnow()
    offers = db.session.scalars(
        select(Application)
        .where(Application.status == ApplicationStatus.OFFERED,
               Application.offer_expires_at > now, Application.offer_expires_at <= now + OFFER_REMINDER_AHEAD)
        .order_by(Application.id)
    ).all()
    queued = 0
    for application in offers:
        # The deadline is part of the key: a later offer to the same application is a new offer.
        key = f"delegation-offer-expiring:{application.id}:{int(application.offer_expires_at.timestamp())}"
        queued += mail_applicant(
            application, _l("Your place in %(call)s: confirm before it expires", call=application.call.name),
            "delegations/mail/offer_expiring", dedupe_prefix=key,
        )
    db.session.commit()
    return queued


def _calls_to_announce(now: datetime) -> list[int]:
    return list(db.session.scalars(
        select(DelegationCall.id).where(
            DelegationCall.roster_locked_at <= now,
            DelegationCall.roster_lock_announced_at.is_(None),
            DelegationCall.status == CallStatus.OPEN,
        )
    ))


def announce_locked_rosters(now: datetime | None = None) -> int:
    """Tell every accepted applicant and traveller that the list is final. Returns how many mails were queued."""
    now = now or utcnow()
    queued = 0
    for call_id in _calls_to_announce(now):
        call = lock_call(db.session.get(DelegationCall, call_id))
        if call.roster_lock_announced_at is not None:  # another worker was first
            db.session.rollback()
            continue
        subject = _l("The delegation list for %(call)s is final", call=call.name)
        for application in accepted_applications(call):
            prefix = f"delegation-roster-locked:{application.id}:{int(call.roster_locked_at.timestamp())}"
            queued += mail_applicant(application, subject, "delegations/mail/roster_locked", dedupe_prefix=prefix)
            contacts_notified = {person.id for person in applicant_contacts(application)}
            for traveller in application.travellers:
                if traveller.user_id in contacts_notified:
                    continue
                queued += queue_mail_once(
                    traveller.user.email, subject, "delegations/mail/roster_locked", traveller.user.locale,
                    f"{prefix}:{traveller.user_id}", application=application, call=call, person=traveller.user,
                    call_url=external_url("delegations.detail", slug=call.slug), application_url="",
                )
        call.roster_lock_announced_at = now
        db.session.commit()
    return queued

