"""The ecosystem directory: curation by coordinators, suggestions by members.

Coordinators create, edit and delete components directly (approved at once). Any
confirmed member may suggest a component: it stays `pending`, invisible to the
public, until a coordinator approves or rejects it; the suggester is told by e-mail.
Reading the directory (search, facets, pages) is in `directory.queries`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import can, policy
from ecosystem.core.errors import DomainError
from ecosystem.core.listing import folded_text
from ecosystem.core.slugs import insert_with_unique_slug
from ecosystem.core.text import fold, make_slug
from ecosystem.core.uploads import LOGO, delete_image, saving_with_image, store_upload
from ecosystem.core.urls import external_url, is_web_address
from ecosystem.core.validation import (
    EMAIL_MESSAGE,
    PHONE_MESSAGE,
    clean_phone,
    is_email_address,
    is_phone,
)
from ecosystem.directory.models import (
    Component,
    ComponentKind,
    ComponentService,
    ComponentStatus,
)
from ecosystem.extensions import db
from ecosystem.mail.services import queue_mail
from ecosystem.places.models import Locality
from ecosystem.places.provinces import HOME_PROVINCE, PROVINCES
from ecosystem.places.services import keepable_locality
from ecosystem.startups.models import Startup
from ecosystem.timeutil import utcnow

# ---------------------------------------------------------------------------
# Labels and limits
# ---------------------------------------------------------------------------

KIND_LABELS = {
    ComponentKind.INCUBATOR: _l("Incubator"),
    ComponentKind.ACCELERATOR: _l("Accelerator"),
    ComponentKind.INVESTOR: _l("Investor / fund"),
    ComponentKind.UNIVERSITY: _l("University or college"),
    ComponentKind.RESEARCH_INSTITUTE: _l("Research institute"),
    ComponentKind.COWORKING: _l("Co-working space"),
    ComponentKind.SUPPORT_ORGANISATION: _l("Support organisation"),
    ComponentKind.MEDIA: _l("Media"),
    ComponentKind.GOVERNMENT_AGENCY: _l("Government agency"),
    ComponentKind.ENTERPRISE_PARTNER: _l("Enterprise partner"),
}

STATUS_LABELS = {
    ComponentStatus.PENDING: _l("Waiting for review"),
    ComponentStatus.APPROVED: _l("Approved"),
    ComponentStatus.REJECTED: _l("Not accepted"),
}

# Vietnamese words people search with, folded, so "vuon uom" finds every incubator
# even when its name does not say so. Kept out of the displayed text.
KIND_SEARCH_WORDS = {
    ComponentKind.INCUBATOR: "vuon uom uom tao incubator",
    ComponentKind.ACCELERATOR: "tang toc khoi nghiep accelerator",
    ComponentKind.INVESTOR: "nha dau tu quy dau tu investor fund",
    ComponentKind.UNIVERSITY: "truong dai hoc cao dang university college",
    ComponentKind.RESEARCH_INSTITUTE: "vien nghien cuu research institute",
    ComponentKind.COWORKING: "khong gian lam viec chung coworking",
    ComponentKind.SUPPORT_ORGANISATION: "to chuc ho tro support",
    ComponentKind.MEDIA: "truyen thong bao chi media",
    ComponentKind.GOVERNMENT_AGENCY: "co quan nha nuoc government",
    ComponentKind.ENTERPRISE_PARTNER: "doanh nghiep doi tac enterprise partner",
}

NAME_MAX = 160
DESCRIPTION_MAX = 10_000
ADDRESS_MAX = 255
WEBSITE_MAX = 300
REVIEW_NOTE_MAX = 500
SERVICE_NAME_MAX = 60
SERVICES_MAX = 12
PENDING_SUGGESTIONS_MAX = 10
# Paths of the blueprint that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new", "suggest", "review"})
SERVICE_SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
COMPONENT_SLUG_PATTERN = re.compile(r"^[a-z0-9-]{1,90}$")

COMPONENT_KIND_VALUES = frozenset(kind.value for kind in ComponentKind)


# ---------------------------------------------------------------------------
# Errors, input, policies
# ---------------------------------------------------------------------------


class DirectoryError(DomainError):
    """A rule of the directory was broken; `message` is for the user (translated)."""


class ComponentInUse(DirectoryError):
    pass


@dataclass
class ComponentData:
    """What a form (or the demo, or a test) gives to create or edit a component."""

    name: str
    kind: str
    description: str = ""
    services: list[str] = field(default_factory=list)
    address: str | None = None
    province: str = HOME_PROVINCE
    locality_id: int | None = None
    website: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


def split_services(text: str | None) -> list[str]:
    """ "Ươm tạo, đầu tư thiên thần ,, " → ["Ươm tạo", "đầu tư thiên thần"]."""
    return [" ".join(part.split()) for part in (text or "").split(",") if part.strip()]


@policy("directory.curate")
def _may_curate(user: User, component: object) -> bool:
    return user.has_role(Role.COORDINATOR)


@policy("directory.suggest")
def _may_suggest(user: User, component: object) -> bool:
    return True  # `can` already requires a signed-in account with a confirmed e-mail


def may_view(user, component: Component) -> bool:
    """Approved components are public; others only for their suggester and curators."""
    if component.status == ComponentStatus.APPROVED:
        return True
    if user is None or not user.is_authenticated:
        return False
    return component.suggested_by_id == user.id or can(user, "directory.curate", component)


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_controls(value: str | None) -> str:
    return _CONTROL_CHARACTERS.sub("", value or "")


def _clean(value: str | None) -> str | None:
    value = " ".join(_without_controls(value).split())
    return value or None


def _checked(data: ComponentData, current_locality_id: int | None = None) -> ComponentData:
    """Normalise and check every field; DirectoryError names the first bad one."""
    name = _clean(data.name)
    if not name:
        raise DirectoryError(_l("Please enter the name."), "name")
    if len(name) > NAME_MAX:
        raise DirectoryError(_l("A name has at most %(max)d characters.", max=NAME_MAX), "name")
    if data.kind not in COMPONENT_KIND_VALUES:
        raise DirectoryError(_l("Please choose a kind from the list."), "kind")
    description = _without_controls(data.description).strip()
    if len(description) > DESCRIPTION_MAX:
        raise DirectoryError(
            _l("The description has at most %(max)d characters.", max=DESCRIPTION_MAX), "description"
        )
    services: dict[str, str] = {}
    for service in data.services:
        service = _clean(service)
        if not service:
            continue
        if len(service) > SERVICE_NAME_MAX:
            raise DirectoryError(
                _l("A service has at most %(max)d characters.", max=SERVICE_NAME_MAX), "services"
            )
        slug = make_slug(service, max_length=SERVICE_NAME_MAX)
        services.setdefault(slug, service)
    if len(services) > SERVICES_MAX:
        raise DirectoryError(_l("List at most %(max)d services.", max=SERVICES_MAX), "services")
    address = _clean(data.address)
    if address and len(address) > ADDRESS_MAX:
        raise DirectoryError(_l("An address has at most %(max)d characters.", max=ADDRESS_MAX), "address")
    if data.province not in PROVINCES:
        raise DirectoryError(_l("Please choose a province from the list."), "province")
    locality_id = data.locality_id
    if locality_id is not None:
        if data.province != HOME_PROVINCE:
            raise DirectoryError(
                _l("Choose a commune or ward only for %(province)s.", province=HOME_PROVINCE), "locality_id"
            )
        if keepable_locality(locality_id, current_locality_id) is None:
            raise DirectoryError(_l("Please choose a commune or ward from the list."), "locality_id")
    website = _clean(data.website)
    if website:
        if "://" not in website:
            website = f"https://{website}"
        if not is_web_address(website, WEBSITE_MAX):
            raise DirectoryError(
                _l("Enter a web address such as https://example.vn (at most %(max)d characters).", max=WEBSITE_MAX),
                "website",
            )
    email = _clean(data.contact_email)
    if email:
        email = email.lower()
        if not is_email_address(email):
            raise DirectoryError(EMAIL_MESSAGE, "contact_email")
    phone = clean_phone(data.contact_phone) or None
    if phone and not is_phone(phone):
        raise DirectoryError(PHONE_MESSAGE, "contact_phone")
    return ComponentData(
        name=name, kind=data.kind, description=description, services=list(services.values()),
        address=address, province=data.province, locality_id=locality_id, website=website,
        contact_email=email, contact_phone=phone,
    )


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _refresh_search_columns(component: Component) -> None:
    locality = db.session.get(Locality, component.locality_id) if component.locality_id else None
    component.search_name = fold(component.name)[:NAME_MAX]
    component.search_text = folded_text(
        component.name,
        component.description,
        " ".join(service.name for service in component.services),
        KIND_SEARCH_WORDS.get(ComponentKind(component.kind), ""),
        component.address,
        locality.name if locality else None,
        component.province,
    )


def _apply(component: Component, data: ComponentData) -> None:
    component.name = data.name
    component.kind = data.kind
    component.description = data.description
    component.address = data.address
    component.province = data.province
    component.locality_id = data.locality_id
    component.website = data.website
    component.contact_email = data.contact_email
    component.contact_phone = data.contact_phone
    wanted = {make_slug(name, max_length=SERVICE_NAME_MAX): name for name in data.services}
    for service in list(component.services):
        if service.slug not in wanted:
            component.services.remove(service)
        else:
            service.name = wanted.pop(service.slug)
    for slug, name in wanted.items():
        component.services.append(ComponentService(name=name, slug=slug))
    _refresh_search_columns(component)


def _insert_with_unique_slug(component: Component) -> None:
    if not insert_with_unique_slug(component, Component.slug, make_slug(component.name, max_length=80),
                                   RESERVED_SLUGS):
        raise DirectoryError(_l("The address of this page could not be chosen. Please try again."), "name")


def _store_logo(logo) -> str | None:
    return store_upload(logo, LOGO, lambda message: DirectoryError(message, "logo"))


def _save_new(component: Component, data: ComponentData, logo) -> Component:
    """Store the logo first (a refused image writes nothing), then insert and commit."""
    with saving_with_image(None, _store_logo(logo)) as stored_logo:
        component.logo = stored_logo
        _apply(component, data)
        _insert_with_unique_slug(component)
    return component


def create_component(data: ComponentData, by: User | None, logo=None) -> Component:
    """A coordinator adds a component: approved at once."""
    data = _checked(data)
    component = Component(status=ComponentStatus.APPROVED, reviewed_by_id=by.id if by else None,
                          reviewed_at=utcnow())
    return _save_new(component, data, logo)


def suggest_component(data: ComponentData, by: User, logo=None) -> Component:
    """A member suggests a component: it waits, invisible to the public, for a coordinator.

    Refused when the directory already lists that name, or when the member already has
    `PENDING_SUGGESTIONS_MAX` suggestions waiting.
    """
    data = _checked(data)
    duplicate = select(Component.id).where(
        Component.search_name == fold(data.name)[:NAME_MAX],
        Component.status.in_((ComponentStatus.APPROVED, ComponentStatus.PENDING)),
    )
    if db.session.scalar(duplicate.limit(1)) is not None:
        raise DirectoryError(_l("The directory already has (or is reviewing) a component with this name."), "name")
    waiting = select(func.count()).select_from(Component).where(
        Component.suggested_by_id == by.id, Component.status == ComponentStatus.PENDING
    )
    if (db.session.scalar(waiting) or 0) >= PENDING_SUGGESTIONS_MAX:
        raise DirectoryError(
            _l("You already have %(count)d suggestions waiting for review. Please wait for the department's decision.",
               count=PENDING_SUGGESTIONS_MAX)
        )
    return _save_new(Component(status=ComponentStatus.PENDING, suggested_by_id=by.id), data, logo)


def update_component(component: Component, data: ComponentData, logo=None, remove_logo: bool = False) -> None:
    """A coordinator edits a component. The slug stays: links and bookmarks keep working; a commune or ward
    retired since stays when unchanged."""
    data = _checked(data, component.locality_id)
    with saving_with_image(component.logo, _store_logo(logo), remove_logo) as kept_logo:
        _apply(component, data)
        component.logo = kept_logo


def delete_component(component: Component) -> None:
    """Remove a component; a university that clubs belong to cannot be removed."""
    logo = component.logo
    try:
        with db.session.begin_nested():
            db.session.delete(component)
            db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ComponentInUse(
            _l("%(name)s cannot be deleted: other records (such as university clubs) belong to it.",
               name=component.name)
        ) from error
    db.session.commit()
    delete_image(logo)


def review_component(component: Component, approve: bool, note: str | None, by: User) -> None:
    """A coordinator approves or rejects a suggestion; the suggester is told by e-mail."""
    if component.status != ComponentStatus.PENDING:
        raise DirectoryError(_l("This suggestion was already reviewed."))
    note = _without_controls(note).strip() or None
    if note and len(note) > REVIEW_NOTE_MAX:
        raise DirectoryError(_l("A note has at most %(max)d characters.", max=REVIEW_NOTE_MAX), "note")
    if not approve and not note:
        raise DirectoryError(_l("Please tell the suggester why the suggestion is not accepted."), "note")
    component.status = ComponentStatus.APPROVED if approve else ComponentStatus.REJECTED
    component.review_note = note
    component.reviewed_by_id = by.id
    component.reviewed_at = utcnow()
    suggester = db.session.get(User, component.suggested_by_id) if component.suggested_by_id else None
    if suggester is not None:
        template = "suggestion_approved" if approve else "suggestion_rejected"
        subject = (
            _l("Your suggestion “%(name)s” is now in the ecosystem directory", name=component.name)
            if approve
            else _l("About your suggestion “%(name)s” for the ecosystem directory", name=component.name)
        )
        queue_mail(
            suggester.email,
            subject,
            f"directory/mail/{template}",
            suggester.locale,
            recipient_name=suggester.full_name,
            component_name=component.name,
            note=note,
            component_url=external_url("directory.detail", slug=component.slug),
            suggest_url=external_url("directory.suggest"),
        )
    db.session.commit()


def link_startup(component: Component, startup_id: int) -> Startup:
    startup = db.session.get(Startup, startup_id)
    if startup is None:
        raise DirectoryError(_l("This startup does not exist."))
    if startup in component.startups:
        raise DirectoryError(_l("%(name)s is already linked.", name=startup.name))
    component.startups.append(startup)
    db.session.commit()
    return startup


def unlink_startup(component: Component, startup_id: int) -> Startup:
    startup = db.session.get(Startup, startup_id)
    if startup is None or startup not in component.startups:
        raise DirectoryError(_l("This startup is not linked to %(name)s.", name=component.name))
    component.startups.remove(startup)
    db.session.commit()
    return startup
