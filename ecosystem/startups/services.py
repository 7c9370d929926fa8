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

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import can, policy
from ecosystem.auth.services import normalize_email
from ecosystem.core.errors import DomainError
from ecosystem.core.listing import (
    folded_text,
)
from ecosystem.core.locks import lock
from ecosystem.core.text import fold
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
from ecosystem.i18n import labels_in_every_language
from ecosystem.places.models import Locality
from ecosystem.places.provinces import HOME_PROVINCE, PROVINCES
from ecosystem.places.services import keepable_locality
from ecosystem.startups.models import MemberRole, Sector, Stage, Startup, StartupMember

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


def _lock_startup(startup: Startup) -> Startup:
    """The startup's row, locked until the end of the transaction (PostgreSQL)."""
    return lock(startup, "startups.startups")
