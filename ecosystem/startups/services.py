"""Startup profiles: registration, editing, search, members, ownership, verification.

Rules kept here (views only parse forms and show messages):

- the slug comes from the name with Vietnamese letters folded and stays unique, also
  when two people register the same name at the same moment (insert in a SAVEPOINT,
  retry with the next suffix on a unique violation);
- a verified startup's name and tax code change only through a coordinator;
- hidden profiles are seen by their members, coordinators and admins only, and never
  appear in a list;
- one owner at a time (a partial unique index); the owner transfers ownership to a
  member in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import can, policy
from ecosystem.auth.services import grant_role, normalize_email
from ecosystem.core.errors import DomainError
from ecosystem.core.guards import deletion_refusal
from ecosystem.core.listing import (
    ListQuery,
    Page,
    apply_text_search,
    folded_text,
    ordered,
    paginate,
    parse_list_query,
)
from ecosystem.core.locks import for_update, lock
from ecosystem.core.slugs import insert_with_unique_slug
from ecosystem.core.text import fold, make_slug
from ecosystem.core.uploads import LOGO, delete_image, saving_with_image, store_upload
from ecosystem.core.urls import is_web_address
from ecosystem.core.validation import (
    EMAIL_MESSAGE,
    PHONE_MESSAGE,
    clean_phone,
    is_email_address,
    is_id_text,
    is_phone,
)
from ecosystem.extensions import db
from ecosystem.i18n import label_of, labels_in_every_language
from ecosystem.invitations import services as invitations
from ecosystem.invitations.models import Invitation
from ecosystem.places.models import Locality
from ecosystem.places.provinces import HOME_PROVINCE, PROVINCES
from ecosystem.places.services import keepable_locality
from ecosystem.startups.models import VERIFICATION_NOTE_MAX, MemberRole, Sector, Stage, Startup, StartupMember
from ecosystem.timeutil import utcnow

INVITATION_TARGET = "startup"

SECTOR_LABELS = {
    Sector.AGRITECH: _l("High-tech agriculture"),
    Sector.EDTECH: _l("Education technology"),
    Sector.FINTECH: _l("Financial technology"),
    Sector.HEALTHTECH: _l("Health technology"),
    Sector.TOURISM: _l("Tourism"),
    Sector.MANUFACTURING: _l("Manufacturing and supporting industries"),
    Sector.ECOMMERCE: _l("E-commerce"),
    Sector.CLEANTECH: _l("Green and clean technology"),
    Sector.SOFTWARE: _l("IT and software"),
    Sector.FOOD_OCOP: _l("Food and OCOP products"),
    Sector.OTHER: _l("Other sector"),
}

STAGE_LABELS = {
    Stage.IDEA: _l("Idea"),
    Stage.PROTOTYPE: _l("Prototype"),
    Stage.MVP: _l("Minimum viable product (MVP)"),
    Stage.EARLY_REVENUE: _l("Early revenue"),
    Stage.GROWTH: _l("Growth"),
}

MEMBER_ROLE_LABELS = {MemberRole.OWNER: _l("Owner"), MemberRole.MEMBER: _l("Co-founder")}

# Limits shared with the forms (the columns' sizes).
NAME_MAX = 120
TAGLINE_MAX = 200
DESCRIPTION_MAX = 10_000
LOCALITY_TEXT_MAX = 120
WEBSITE_MAX = 300
TITLE_MAX = 80
FIRST_FOUNDING_YEAR = 1990
# MST: 10 digits, or 10 digits, a dash and 3 digits (a branch).
TAX_CODE_PATTERN = re.compile(r"^\d{10}(-\d{3})?$")
# Paths under /startups/ that are pages, not profiles.
RESERVED_SLUGS = frozenset({"new", "verification"})

# List parameters, shared with the JSON API (`ecosystem/api`).
STARTUP_SORTS: dict[str, tuple[ColumnElement, ...]] = {
    "relevance": (Startup.search_name.asc(), Startup.id.asc()),  # the search rank goes first (see below)
    "name": (Startup.search_name.asc(), Startup.id.asc()),
    "newest": (Startup.created_at.desc(), Startup.id.desc()),
    "founded": (Startup.founded_year.desc().nulls_last(), Startup.search_name.asc(), Startup.id.asc()),
}
SORT_LABELS = {
    "relevance": _l("Best match"),
    "name": _l("Name (A–Z)"),
    "newest": _l("Recently added"),
    "founded": _l("Founding year (most recent first)"),
}


STARTUP_FACETS = {
    "sector": frozenset(Sector),
    "stage": frozenset(Stage),
    "locality": is_id_text,
    "province": frozenset(PROVINCES),
    "verified": frozenset({"yes"}),
}


def current_year() -> int:
    return date.today().year


class StartupError(DomainError):
    """A rule of the startups refused the change."""


@dataclass
class StartupData:
    name: str
    tagline: str = ""
    description: str = ""
    sector: str = Sector.OTHER
    stage: str = Stage.IDEA
    founded_year: int | None = None
    province: str = HOME_PROVINCE
    locality_id: int | None = None
    locality_text: str | None = None
    website: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    tax_code: str | None = None
    is_public: bool = True

    @classmethod
    def from_startup(cls, startup: Startup) -> StartupData:
        return cls(**{name: getattr(startup, name) for name in cls.__dataclass_fields__})


# ---------------------------------------------------------------------------
# Permissions (checked per object; admins pass every check)
# ---------------------------------------------------------------------------


def membership(startup: Startup, user) -> StartupMember | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return next((member for member in startup.members if member.user_id == user.id), None)


def is_owner(startup: Startup, user) -> bool:
    member = membership(startup, user)
    return member is not None and member.role == MemberRole.OWNER


@policy("startup.edit")
def _may_edit(user: User, startup: Startup) -> bool:
    return user.has_role(Role.COORDINATOR) or membership(startup, user) is not None


@policy("startup.manage_members")
def _may_manage_members(user: User, startup: Startup) -> bool:
    return is_owner(startup, user)


@policy("startup.delete")
def _may_delete(user: User, startup: Startup) -> bool:
    return is_owner(startup, user)


@policy("startup.verify")
def _may_verify(user: User, startup: Startup | None = None) -> bool:
    return user.has_role(Role.COORDINATOR)


@policy("startup.view_hidden")
def _may_view_hidden(user: User, startup: Startup) -> bool:
    return user.has_role(Role.COORDINATOR) or membership(startup, user) is not None


def may_change_locked_fields(user, startup: Startup) -> bool:
    """Name and tax code of a verified startup: coordinators (and admins) only."""
    return not startup.is_verified or can(user, "startup.verify", startup)


# ---------------------------------------------------------------------------
# Validation of the data (the forms check the same rules field by field)
# ---------------------------------------------------------------------------


def valid_website(value: str) -> bool:
    return is_web_address(value, WEBSITE_MAX)


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _optional(value: str | None) -> str | None:
    value = _clean_text(value)
    return value or None


def _checked(data: StartupData, current_locality_id: int | None = None) -> StartupData:
    """Normalised data, or StartupError naming the field at fault.

    `current_locality_id`: the profile's commune or ward, kept even if the department retired it since.
    """
    name = " ".join(_clean_text(data.name).split())
    if not name:
        raise StartupError(_l("Please enter the startup's name."), "name")
    if len(name) > NAME_MAX:
        raise StartupError(_l("A name has at most %(max)d characters.", max=NAME_MAX), "name")
    tagline = _clean_text(data.tagline)
    if len(tagline) > TAGLINE_MAX:
        raise StartupError(_l("The tagline has at most %(max)d characters.", max=TAGLINE_MAX), "tagline")
    description = _clean_text(data.description).replace("\r\n", "\n")
    if len(description) > DESCRIPTION_MAX:
        raise StartupError(
            _l("The description has at most %(max)d characters.", max=DESCRIPTION_MAX), "description"
        )
    if data.sector not in STARTUP_FACETS["sector"]:
        raise StartupError(_l("Please choose a sector from the list."), "sector")
    if data.stage not in STARTUP_FACETS["stage"]:
        raise StartupError(_l("Please choose a stage from the list."), "stage")
    if data.founded_year is not None and not FIRST_FOUNDING_YEAR <= data.founded_year <= current_year():
        raise StartupError(
            _l("The founding year is between %(first)d and %(last)d.", first=FIRST_FOUNDING_YEAR,
               last=current_year()),
            "founded_year",
        )
    if data.province not in PROVINCES:
        raise StartupError(_l("Please choose a province from the list."), "province")
    locality_id, locality_text = None, None
    if data.province == HOME_PROVINCE:
        locality = keepable_locality(data.locality_id, current_locality_id)
        if locality is None or locality.province != HOME_PROVINCE:
            raise StartupError(_l("Please choose the commune or ward from the list."), "locality_id")
        locality_id = locality.id
    else:
        locality_text = _optional(data.locality_text)
        if not locality_text:
            raise StartupError(
                _l("Please enter the commune or ward (startups outside Thái Nguyên)."), "locality_text"
            )
        if len(locality_text) > LOCALITY_TEXT_MAX:
            raise StartupError(
                _l("The commune or ward has at most %(max)d characters.", max=LOCALITY_TEXT_MAX), "locality_text"
            )
    website = _optional(data.website)
    if website and not valid_website(website):
        raise StartupError(_l("The website starts with http:// or https://, for example https://example.vn."),
                           "website")
    email = _optional(data.contact_email)
    if email:
        email = normalize_email(email)
        if not is_email_address(email):
            raise StartupError(EMAIL_MESSAGE, "contact_email")
    phone = _optional(data.contact_phone)
    if phone:
        phone = clean_phone(phone)
        if not is_phone(phone):
            raise StartupError(PHONE_MESSAGE, "contact_phone")
    tax_code = _optional(data.tax_code)
    if tax_code and not TAX_CODE_PATTERN.match(tax_code):
        raise StartupError(
            _l("A tax code (MST) has 10 digits, or 10 digits, a dash and 3 digits (0101234567-001)."), "tax_code"
        )
    return StartupData(
        name=name, tagline=tagline, description=description, sector=str(data.sector), stage=str(data.stage),
        founded_year=data.founded_year, province=data.province, locality_id=locality_id,
        locality_text=locality_text, website=website, contact_email=email, contact_phone=phone,
        tax_code=tax_code, is_public=bool(data.is_public),
    )


def _refresh_search_columns(startup: Startup) -> None:
    locality = db.session.get(Locality, startup.locality_id) if startup.locality_id else None
    startup.search_name = fold(startup.name)[:NAME_MAX]
    startup.search_text = folded_text(
        startup.name, startup.tagline, startup.description, *labels_in_every_language(startup.sector, SECTOR_LABELS),
        locality.name if locality else startup.locality_text, startup.province,
    )


def _apply(startup: Startup, data: StartupData) -> None:
    for name in StartupData.__dataclass_fields__:
        setattr(startup, name, getattr(data, name))
    _refresh_search_columns(startup)


# ---------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------


def _insert_with_unique_slug(startup: Startup) -> None:
    if not insert_with_unique_slug(startup, Startup.slug, make_slug(startup.name, max_length=80), RESERVED_SLUGS):
        raise StartupError(_l("Too many startups are being registered with this name right now. Please try again."))


def create_startup(owner: User, data: StartupData, logo_stream=None, *, commit: bool = True) -> Startup:
    """Register a startup owned by `owner` (who gets the founder role).

    Commits, unless `commit=False`: then the rows are only flushed and the caller's
    transaction decides (converting a club team into a startup does more in the same one).
    Raises StartupError (with `field`) when the data breaks a rule.
    """
    data = _checked(data)
    logo = _store_logo(logo_stream)
    try:
        startup = Startup(created_by_id=owner.id, logo=logo)
        _apply(startup, data)
        _insert_with_unique_slug(startup)
        add_member(startup, owner, MemberRole.OWNER)
        grant_role(owner, Role.FOUNDER)
        if commit:
            db.session.commit()
        else:
            db.session.flush()
    except BaseException:
        if commit:
            db.session.rollback()  # with commit=False the caller's transaction decides
        delete_image(logo, LOGO)
        raise
    return startup


def _store_logo(logo_stream) -> str | None:
    return store_upload(logo_stream, LOGO, lambda message: StartupError(message, "logo"))


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def public_startup_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Startup).where(Startup.is_public.is_(True)))


def search_startups(query: ListQuery, viewer=None) -> Page:
    """One page of public startups for `query`: 3 queries whatever the number of rows.

    Hidden profiles never appear in a list, whoever looks (`viewer` sees them on their
    own pages: `startups_of(user)` and the profile itself).
    """
    statement = (
        select(Startup)
        .where(Startup.is_public.is_(True))
        .options(selectinload(Startup.locality))
    )
    facets = query.facets
    if "sector" in facets:
        statement = statement.where(Startup.sector == facets["sector"])
    if "stage" in facets:
        statement = statement.where(Startup.stage == facets["stage"])
    if "locality" in facets:
        statement = statement.where(Startup.locality_id == int(facets["locality"]))
    if "province" in facets:
        statement = statement.where(Startup.province == facets["province"])
    if facets.get("verified") == "yes":
        statement = statement.where(Startup.verified_at.is_not(None))
    statement, rank = apply_text_search(statement, query.terms, Startup.search_name, Startup.search_text)
    return paginate(db.session, ordered(statement, query, STARTUP_SORTS, rank), query)


def startup_list_query(args, *, default_per_page: int = 24, max_per_page: int = 100) -> ListQuery:
    """List parameters for startups (relevance first when searching, else by name). Raises BadListQuery."""
    default_sort = "relevance" if (args.get("q") or "").strip() else "name"
    return parse_list_query(
        args, sorts=STARTUP_SORTS, default_sort=default_sort, facets=STARTUP_FACETS,
        default_per_page=default_per_page, max_per_page=max_per_page,
    )


def _with_members():
    return (
        selectinload(Startup.locality),
        selectinload(Startup.members).selectinload(StartupMember.user),
    )


def get_by_slug(slug: str) -> Startup | None:
    if not slug or len(slug) > 90:
        return None
    return db.session.scalar(select(Startup).where(Startup.slug == slug).options(*_with_members()))


def public_startup(slug: str) -> Startup | None:
    """A public profile by slug (None for hidden or unknown ones), members loaded."""
    startup = get_by_slug(slug)
    return startup if startup is not None and startup.is_public else None


def startup_for_viewer(slug: str, viewer) -> Startup | None:
    """The profile if `viewer` may see it: public ones to everyone, hidden ones to members and the department."""
    startup = get_by_slug(slug)
    if startup is None:
        return None
    if startup.is_public or can(viewer, "startup.view_hidden", startup):
        return startup
    return None


def startups_of(user) -> list[Startup]:
    """The startups `user` belongs to, hidden ones included."""
    if user is None or not user.is_authenticated:
        return []
    statement = (
        select(Startup)
        .join(StartupMember)
        .where(StartupMember.user_id == user.id)
        .order_by(Startup.search_name)
    )
    return list(db.session.scalars(statement))


def sector_label(value: str) -> str:
    return label_of(SECTOR_LABELS, value)


def stage_label(value: str) -> str:
    return label_of(STAGE_LABELS, value)


# ---------------------------------------------------------------------------
# Editing, verification, visibility, deletion
# ---------------------------------------------------------------------------


def update_startup(startup: Startup, data: StartupData, editor: User, logo_stream=None,
                   remove_logo: bool = False) -> Startup:
    """Save the profile. On a verified startup only a coordinator changes the name or the tax code. Commits."""
    data = _checked(data, current_locality_id=startup.locality_id)
    if not may_change_locked_fields(editor, startup):
        if data.name != startup.name:
            raise StartupError(
                _l("The startup is verified: only the department can change its name. Please contact a coordinator."),
                "name",
            )
        if data.tax_code != startup.tax_code:
            raise StartupError(
                _l("The startup is verified: only the department can change its tax code. "
                   "Please contact a coordinator."),
                "tax_code",
            )
    with saving_with_image(startup.logo, _store_logo(logo_stream), remove_logo, LOGO) as logo:
        _apply(startup, data)
        startup.logo = logo
    return startup


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


def delete_startup(startup: Startup) -> None:
    """Delete the profile, its members and open invitations, then its logo file. Commits.

    A startup that applied to a Techfest delegation is kept: its application belongs to the delegation's
    record (the owner can hide the profile instead)."""
    try:
        # The row stays locked from the check to the delete: an application being written meanwhile
        # waits for it (its foreign key), and one written before is seen (the key is RESTRICT anyway).
        startup = _lock_startup(startup)
        if startup is None:
            raise StartupError(_l("This startup does not exist."))
        refusal = deletion_refusal("startup", startup)  # delegations: it applied to a Techfest call
        if refusal is not None:
            raise StartupError(refusal)
        logo = startup.logo
        for invitation in invitations.open_invitations(INVITATION_TARGET, startup.id):
            invitations.revoke(invitation)
        db.session.delete(startup)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    delete_image(logo, LOGO)


def _lock_startup(startup: Startup) -> Startup:
    """The startup's row, locked until the end of the transaction (PostgreSQL)."""
    return lock(startup, "startups.startups")


# ---------------------------------------------------------------------------
# Members, invitations, ownership
# ---------------------------------------------------------------------------


def add_member(startup: Startup, user: User, role: str = MemberRole.MEMBER, title: str | None = None) -> StartupMember:
    """Add `user` to the startup. Does not commit (the caller's transaction does)."""
    member = StartupMember(user=user, role=str(role), title=_optional(title))
    startup.members.append(member)
    return member


def invite_member(startup: Startup, email: str, inviter: User) -> Invitation:
    """Send a co-founder invitation by e-mail. Commits."""
    email = normalize_email(email)
    if any(member.user.email == email for member in startup.members):
        raise StartupError(_l("%(email)s is already a member of this startup.", email=email), "email")
    try:
        invitation = invitations.invite(INVITATION_TARGET, startup.id, email, MemberRole.MEMBER, inviter)
    except invitations.InvitationError as error:
        raise StartupError(error.message, "email") from error
    db.session.commit()
    return invitation


def open_invitations(startup: Startup) -> list[Invitation]:
    return invitations.open_invitations(INVITATION_TARGET, startup.id)


def revoke_invitation(startup: Startup, invitation_id: int) -> Invitation:
    invitation = next((item for item in open_invitations(startup) if item.id == invitation_id), None)
    if invitation is None:
        raise StartupError(_l("This invitation is no longer open."))
    invitations.revoke(invitation)
    db.session.commit()
    return invitation


def remove_member(startup: Startup, member_id: int) -> StartupMember:
    member = next((item for item in startup.members if item.id == member_id), None)
    if member is None:
        raise StartupError(_l("This person is not a member of the startup."))
    if member.role == MemberRole.OWNER:
        raise StartupError(_l("The owner cannot be removed. Transfer the ownership first."))
    startup.members.remove(member)
    db.session.commit()
    return member


def transfer_ownership(startup: Startup, member_id: int, acting_user: User) -> StartupMember:
    """Make a member the owner; the previous owner stays a member. One transaction. Commits."""
    # Lock the member rows: concurrent transfers of the same startup run one after the other
    # (SQLite locks the whole file anyway). Fresh roles, not what the session remembers.
    members = list(db.session.scalars(for_update(
        select(StartupMember).where(StartupMember.startup_id == startup.id).order_by(StartupMember.id),
        "startups.members",
    )))
    new_owner = next((item for item in members if item.id == member_id), None)
    if new_owner is None:
        raise StartupError(_l("Ownership can only go to a member of the startup."), "member_id")
    if new_owner.role == MemberRole.OWNER:
        raise StartupError(_l("This person is already the owner."), "member_id")
    current_owners = [item for item in members if item.role == MemberRole.OWNER]
    if not acting_user.is_admin and not any(item.user_id == acting_user.id for item in current_owners):
        raise StartupError(_l("Only the owner can transfer the ownership."))
    try:
        for owner in current_owners:
            owner.role = MemberRole.MEMBER
        db.session.flush()  # the partial unique index allows one owner: demote first
        new_owner.role = MemberRole.OWNER
        grant_role(new_owner.user, Role.FOUNDER)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise StartupError(_l("The ownership changed meanwhile. Please reload the page and try again.")) from error
    return new_owner


def _describe_for_invitation(startup_id: int) -> str | None:
    startup = db.session.get(Startup, startup_id)
    return startup.name if startup is not None else None


def _accept_invitation(startup_id: int, user: User, role: str) -> str:
    """Invitations add co-founders (never owners). Inside the accepting transaction."""
    startup = db.session.get(Startup, startup_id)
    if startup is None:
        raise invitations.InvitationError(_l("What you were invited to no longer exists."))
    if membership(startup, user) is None:
        add_member(startup, user, MemberRole.MEMBER)
        grant_role(user, Role.FOUNDER)
    return url_for("startups.detail", slug=startup.slug)


invitations.register_target(INVITATION_TARGET, describe=_describe_for_invitation, accept=_accept_invitation)
