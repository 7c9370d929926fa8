"""Applications to a delegation call: who may apply, saving and submitting them, withdrawing, offers,
nominations and traveller swaps.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import User
from ecosystem.auth.permissions import can
from ecosystem.clubs.membership import led_team_ids, teams_led_by
from ecosystem.core.urls import external_url
from ecosystem.core.validation import PHONE_MESSAGE, clean_phone, is_phone
from ecosystem.delegations import decisions, documents
from ecosystem.delegations.calls import is_window_open
from ecosystem.delegations.decks import DECK_MAX_BYTES, check_deck, delete_deck, store_deck
from ecosystem.delegations.models import (
    Allocation,
    Application,
    ApplicationStatus,
    Category,
    DelegationCall,
    Traveller,
)
from ecosystem.delegations.policies import DelegationError, checked_text
from ecosystem.directory.models import component_startups
from ecosystem.extensions import db
from ecosystem.i18n import format_when
from ecosystem.mail.services import queue_mail
from ecosystem.startups.membership import owned_startup_ids, startups_with_members
from ecosystem.timeutil import utcnow


def has_applied(*, startup_id: int | None = None, team_id: int | None = None) -> bool:
    """Any application of this startup or student team, drafts included (they may not be deleted then)."""
    column, value = (Application.startup_id, startup_id) if startup_id is not None else (Application.team_id, team_id)
    return db.session.scalar(select(Application.id).where(column == value).limit(1)) is not None


def applications_of(user) -> list[Application]:
    """The applications `user` may act on as applicant (startups they own, teams of clubs they lead)."""
    if user is None or not user.is_authenticated:
        return []
    statement = (
        select(Application)
        .where(
            Application.startup_id.in_(owned_startup_ids(user.id)) | Application.team_id.in_(led_team_ids(user.id))
        )
        .options(
            selectinload(Application.call),
            selectinload(Application.startup),
            selectinload(Application.team),
            selectinload(Application.allocation),
        )
        .order_by(Application.created_at.desc(), Application.id.desc())
    )
    return list(db.session.scalars(statement))


# ---------------------------------------------------------------------------
# Applications (a startup's owner, a club leader for a team of the club)
# ---------------------------------------------------------------------------

PRODUCT_NAME_MAX = 160
PRODUCT_DESCRIPTION_MAX = 5_000
BOOTH_SIZE_MAX = 40
OTHER_NEEDS_MAX = 500
LEGAL_NAME_MAX = 120
TRAVELLER_ROLE_MAX = 80
DIETARY_MAX = 200
TRAVELLERS_MAX = 20


@dataclass(frozen=True)
class Applicant:
    """A startup or a student team that may apply; `key` is "startup-<id>" or "team-<id>"."""

    key: str
    name: str
    startup: object | None = None
    team: object | None = None

    @property
    def members(self) -> list[User]:
        holder = self.startup or self.team
        return [member.user for member in holder.members]

    @property
    def unit_ids(self) -> set[int]:
        if self.team is not None:
            return {self.team.club.university_id}

        return set(db.session.scalars(
            select(component_startups.c.component_id).where(component_startups.c.startup_id == self.startup.id)
        ))


def applicants_for(user) -> list[Applicant]:
    """The startups `user` owns and the teams of the clubs they lead."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    startups = startups_with_members(user.id, owned_only=True)
    teams = teams_led_by(user.id)
    return [Applicant(f"startup-{s.id}", s.name, startup=s) for s in startups] + [
        Applicant(f"team-{t.id}", f"{t.name} ({t.club.name})", team=t) for t in teams
    ]


def allocation_choices(call: DelegationCall, applicant: Applicant | None) -> list[Allocation]:
    """The open pool and the allocations of the applicant's own units."""
    units = applicant.unit_ids if applicant else set()
    return [a for a in call.allocations if a.is_open_pool or (a.unit_id is not None and a.unit_id in units)]


@dataclass
class TravellerData:
    user_id: int | None
    legal_name: str
    phone: str
    role: str = ""
    dietary_needs: str = ""
    row: int | None = None  # the form's row index, so that a message lands on its row's field


@dataclass
class ApplicationData:
    product_name: str
    category: str
    product_description: str = ""
    allocation_id: int | None = None
    booth_size: str = ""
    needs_power: bool = False
    needs_accommodation: bool = False
    other_needs: str = ""
    travellers: list[TravellerData] = field(default_factory=list)


def _checked_travellers(applicant: Applicant, travellers: list[TravellerData]) -> list[TravellerData]:
    """The travellers, cleaned; a refusal names the field of its row ("travellers-2-phone") when the row is
    known, else the travellers as a whole."""
    if len(travellers) > TRAVELLERS_MAX:
        raise DelegationError(_l("At most %(max)d travellers.", max=TRAVELLERS_MAX), "travellers")
    member_ids = {user.id for user in applicant.members}
    seen = set()
    cleaned = []
    for position, traveller in enumerate(travellers):
        number = (traveller.row if traveller.row is not None else position) + 1

        def at(name: str, row=traveller.row) -> str:
            return f"travellers-{row}-{name}" if row is not None else "travellers"

        if traveller.user_id not in member_ids:
            raise DelegationError(
                _l("Traveller %(row)d is not a member of %(name)s.", row=number, name=applicant.name), at("user_id")
            )
        if traveller.user_id in seen:
            raise DelegationError(_l("Traveller %(row)d is listed twice.", row=number), at("user_id"))
        seen.add(traveller.user_id)
        legal_name = " ".join((traveller.legal_name or "").split())
        if not legal_name or len(legal_name) > LEGAL_NAME_MAX:
            raise DelegationError(_l("Traveller %(row)d: enter the name as on the ID card or passport (at most "
                                     "%(max)d characters).", row=number, max=LEGAL_NAME_MAX), at("legal_name"))
        phone = clean_phone(traveller.phone)
        if not is_phone(phone):
            raise DelegationError(PHONE_MESSAGE, at("phone"))
        message = _l("Traveller %(row)d: a text is too long.", row=number)
        cleaned.append(TravellerData(
            user_id=traveller.user_id, legal_name=legal_name, phone=phone,
            role=checked_text(traveller.role, TRAVELLER_ROLE_MAX, message, at("role")),
            dietary_needs=checked_text(traveller.dietary_needs, DIETARY_MAX, message, at("dietary_needs")),
            row=traveller.row,
        ))
    return cleaned


def _checked_application(call: DelegationCall, applicant: Applicant, data: ApplicationData) -> ApplicationData:
    product_name = " ".join((data.product_name or "").split())
    if not product_name or len(product_name) > PRODUCT_NAME_MAX:
        raise DelegationError(_l("Please enter the product's name (at most %(max)d characters).",
                                 max=PRODUCT_NAME_MAX), "product_name")
    if data.category not in set(Category):
        raise DelegationError(_l("Please choose a category from the list."), "category")
    if data.allocation_id is not None and data.allocation_id not in {
        a.id for a in allocation_choices(call, applicant)
    }:
        raise DelegationError(_l("Please choose the open pool or the allocation of your own unit."), "allocation_id")
    return ApplicationData(
        product_name=product_name, category=data.category, allocation_id=data.allocation_id,
        product_description=checked_text(data.product_description, PRODUCT_DESCRIPTION_MAX, _l(
            "The description has at most %(max)d characters.", max=PRODUCT_DESCRIPTION_MAX), "product_description"),
        booth_size=checked_text(data.booth_size, BOOTH_SIZE_MAX,
                                _l("At most %(max)d characters.", max=BOOTH_SIZE_MAX), "booth_size"),
        needs_power=bool(data.needs_power), needs_accommodation=bool(data.needs_accommodation),
        other_needs=checked_text(data.other_needs, OTHER_NEEDS_MAX,
                                 _l("At most %(max)d characters.", max=OTHER_NEEDS_MAX), "other_needs"),
        travellers=_checked_travellers(applicant, data.travellers),
    )


def _check_window(call: DelegationCall) -> None:
    if not is_window_open(call):
        raise DelegationError(_l("Applications to %(call)s are accepted from %(opens)s to %(closes)s only.",
                                 call=call.name, opens=format_when(call.applications_open_at),
                                 closes=format_when(call.applications_close_at)))


def _write(application: Application, data: ApplicationData) -> None:
    for name in ("product_name", "product_description", "category", "allocation_id", "needs_power",
                 "needs_accommodation"):
        setattr(application, name, getattr(data, name))
    application.booth_size = data.booth_size or None
    application.other_needs = data.other_needs or None
    application.travellers.clear()
    db.session.flush()
    for traveller in data.travellers:
        application.travellers.append(Traveller(
            user_id=traveller.user_id, legal_name=traveller.legal_name, phone=traveller.phone,
            role=traveller.role or None, dietary_needs=traveller.dietary_needs or None,
        ))


def get_application(application_id: int) -> Application | None:
    if not 0 < application_id < 2**31:
        return None
    return db.session.scalar(
        select(Application).where(Application.id == application_id).options(
            selectinload(Application.travellers).selectinload(Traveller.user),
            selectinload(Application.call).selectinload(DelegationCall.allocations),
            selectinload(Application.allocation),
        )
    )


def save_application(call: DelegationCall, applicant: Applicant, user: User, data: ApplicationData, *,
                     deck_stream=None, submit: bool = False, application: Application | None = None,
                     pending_deck=None) -> Application:
    """Create or update a draft; with `submit`, submit it (inside the window only). Commits.

    The deck is `deck_stream` (a new file) or else `pending_deck`, the user's deck kept after a failed form
    (`documents.keep_pending_deck`), which is used up once the application is saved.
    """
    _check_window(call)
    if application is not None and application.status != ApplicationStatus.DRAFT:
        raise DelegationError(_l("A submitted application cannot be changed any more."))
    data = _checked_application(call, applicant, data)
    if deck_stream is None and pending_deck is not None and pending_deck.user_id == user.id:
        path = documents.pending_path(pending_deck)
        if path is not None:
            with path.open("rb") as pending_file:
                deck_stream = io.BytesIO(pending_file.read(DECK_MAX_BYTES + 1))
        else:
            pending_deck = None
    else:
        pending_deck = None
    pending_name = pending_deck.stored_name if pending_deck is not None else None
    deck = check_deck(deck_stream) if deck_stream is not None else None
    if submit and not data.travellers:
        raise DelegationError(_l("Please name at least one member who travels."), "travellers")
    if submit and deck is None and (application is None or not application.pitch_deck):
        raise DelegationError(_l("Please attach the pitch deck (PDF)."), "pitch_deck")
    new_deck = store_deck(deck) if deck is not None else None
    old_deck = application.pitch_deck if application is not None else None
    try:
        if application is None:
            application = Application(
                call_id=call.id, submitted_by_id=user.id,
                startup_id=applicant.startup.id if applicant.startup else None,
                team_id=applicant.team.id if applicant.team else None,
            )
            db.session.add(application)
        _write(application, data)
        if new_deck:
            application.pitch_deck = new_deck
        if submit:
            application.status = ApplicationStatus.SUBMITTED
            application.submitted_at = utcnow()
            application.submitted_by_id = user.id
        if pending_deck is not None:
            documents.forget_pending(pending_deck)
        db.session.flush()
        if submit:
            _mail_submission(application, user)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        delete_deck(new_deck)
        raise DelegationError(_l("%(name)s already has an application to this call.", name=applicant.name)) from error
    except BaseException:
        db.session.rollback()
        delete_deck(new_deck)
        raise
    if new_deck and old_deck:
        delete_deck(old_deck)
    if pending_name is not None:
        documents.delete_pending_file(pending_name)
    return application


def _mail_submission(application: Application, user: User) -> None:
    queue_mail(
        user.email, _l("Your application to %(call)s is received", call=application.call.name),
        "delegations/mail/submitted", user.locale, application=application, call=application.call, person=user,
        application_url=external_url("delegations.application", application_id=application.id),
    )


def applicant_of(application: Application) -> Applicant:
    if application.startup is not None:
        return Applicant(f"startup-{application.startup_id}", application.startup.name, startup=application.startup)
    team = application.team
    return Applicant(f"team-{team.id}", f"{team.name} ({team.club.name})", team=team)


def submit_application(application: Application, user: User) -> None:
    """Submit a saved draft as it is. Commits."""
    call = application.call
    _check_window(call)
    if application.status != ApplicationStatus.DRAFT:
        raise DelegationError(_l("Only a draft can be submitted."))
    if not application.travellers:
        raise DelegationError(_l("Please name at least one member who travels."))
    if not application.pitch_deck:
        raise DelegationError(_l("Please attach the pitch deck (PDF)."))
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = utcnow()
    application.submitted_by_id = user.id
    _mail_submission(application, user)
    db.session.commit()


def withdraw(application: Application, user: User) -> None:
    try:
        decisions.withdraw_application(application, user)
    except decisions.DecisionError as error:
        db.session.rollback()
        raise DelegationError(error.message) from error


def confirm_offer(application: Application, user: User) -> None:
    """A reserve takes the place offered to it, before the offer expires. Commits."""
    try:
        decisions.confirm_offer(application, user)
    except decisions.DecisionError as error:
        db.session.rollback()
        raise DelegationError(error.message) from error


# ---------------------------------------------------------------------------
# Nominations (a unit's representative) and member swaps
# ---------------------------------------------------------------------------


def allocations_represented_by(call: DelegationCall, user) -> list[Allocation]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return [a for a in call.allocations if a.representative_id == user.id]


def nomination_candidates(call: DelegationCall, user) -> list[Application]:
    """Submitted applications of the call that chose one of `user`'s allocations, or none, or the open pool."""
    mine = [a.id for a in allocations_represented_by(call, user)]
    if not mine:
        return []
    pools = [a.id for a in call.allocations if a.is_open_pool]
    statement = (
        select(Application)
        .where(Application.call_id == call.id, Application.status == ApplicationStatus.SUBMITTED)
        .where(Application.allocation_id.in_(mine + pools) | Application.allocation_id.is_(None))
        .options(selectinload(Application.startup), selectinload(Application.team),
                 selectinload(Application.allocation).selectinload(Allocation.unit))
        .order_by(Application.submitted_at, Application.id)
    )
    return list(db.session.scalars(statement))


def nominate(application: Application, allocation: Allocation, user: User) -> None:
    """Put a submitted application into `allocation`; only that allocation's representative may. Commits."""
    if allocation.call_id != application.call_id or not can(user, "allocation.nominate", allocation):
        raise DelegationError(_l("You can nominate only into the allocation you represent."))
    if application.status != ApplicationStatus.SUBMITTED:
        raise DelegationError(_l("Only a submitted application can be nominated."))
    if application not in nomination_candidates(application.call, user) and not user.is_admin:
        raise DelegationError(_l("This application chose another allocation."))
    application.allocation_id = allocation.id
    application.nominated_by_id = user.id
    db.session.commit()


def swap_traveller(application: Application, traveller_id: int, replacement: TravellerData, user: User) -> None:
    """Replace a traveller of an accepted application by another member, until the roster is locked. Commits."""
    if application.status not in (ApplicationStatus.ACCEPTED, ApplicationStatus.OFFERED):
        raise DelegationError(_l("Members can be swapped only after the application is accepted."))
    locked_at = application.call.roster_locked_at
    if locked_at is not None and utcnow() >= locked_at:
        raise DelegationError(_l("The roster is locked since %(when)s.", when=format_when(locked_at)))
    traveller = next((t for t in application.travellers if t.id == traveller_id), None)
    if traveller is None:
        raise DelegationError(_l("Please choose a traveller of this application."), "traveller_id")
    others = [t.user_id for t in application.travellers if t.id != traveller_id]
    if replacement.user_id in others:
        raise DelegationError(_l("This member already travels."), "user_id")
    (checked,) = _checked_travellers(applicant_of(application), [replacement])
    traveller.user_id, traveller.legal_name, traveller.phone = checked.user_id, checked.legal_name, checked.phone
    traveller.role, traveller.dietary_needs = checked.role or None, checked.dietary_needs or None
    db.session.commit()


def window_message(call: DelegationCall) -> str:
    try:
        _check_window(call)
    except DelegationError as error:
        return str(error.message)
    return ""


def swap_open(application: Application) -> bool:
    locked_at = application.call.roster_locked_at
    return application.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.OFFERED) and (
        locked_at is None or utcnow() < locked_at
    )
