"""Reading the directory: search with its list parameters (allowlists shared with the API), facets,
a component's page, suggestions awaiting review and universities.

The list parameters other domains reuse (the JSON API):
`COMPONENT_SORTS`, `DEFAULT_COMPONENT_SORT`, `services.COMPONENT_KIND_VALUES` and
`COMPONENT_FACETS` (pass them to `core.listing.parse_list_query`), then
`search_components(query)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from ecosystem.core.listing import ListQuery, Page, apply_text_search, ordered, paginate
from ecosystem.core.text import search_terms
from ecosystem.core.validation import (
    is_id_text,
)
from ecosystem.directory.models import (
    Component,
    ComponentKind,
    ComponentService,
    ComponentStatus,
    component_startups,
)
from ecosystem.directory.services import (
    COMPONENT_KIND_VALUES,
    COMPONENT_SLUG_PATTERN,
    SERVICE_NAME_MAX,
    SERVICE_SLUG_PATTERN,
    may_view,
)
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.startups.models import Startup

# ---------------------------------------------------------------------------
# List parameters: allowlists shared with the API
# ---------------------------------------------------------------------------

COMPONENT_SORTS = {
    "relevance": _l("Best match"),  # by rank when searching, by name otherwise
    "name": _l("Name (A–Z)"),
    "newest": _l("Recently added"),
}
DEFAULT_COMPONENT_SORT = "relevance"
_COMPONENT_ORDER = {
    "relevance": (Component.search_name, Component.id),  # after the rank when searching
    "name": (Component.search_name, Component.id),
    "newest": (Component.created_at.desc(), Component.id.desc()),
}


def is_known_service_tag(value: str) -> bool:
    """A `?service=` value: the slug of a service some approved component offers."""
    if len(value) > SERVICE_NAME_MAX or not SERVICE_SLUG_PATTERN.fullmatch(value):
        return False
    statement = select(
        exists().where(
            ComponentService.slug == value,
            ComponentService.component_id == Component.id,
            Component.status == ComponentStatus.APPROVED,
        )
    )
    return bool(db.session.scalar(statement))


def is_known_locality(value: str) -> bool:
    """A `?locality=` value: the id of a commune or ward."""
    if not is_id_text(value):
        return False
    return db.session.get(Locality, int(value)) is not None


COMPONENT_FACETS = {
    "kind": COMPONENT_KIND_VALUES,
    "service": is_known_service_tag,
    "locality": is_known_locality,
}


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _listing_options():
    return (selectinload(Component.services), selectinload(Component.locality))


def approved_component_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Component).where(Component.status == ComponentStatus.APPROVED))


def search_components(query: ListQuery) -> Page:
    """Approved components matching `query` (q, facets kind/service/locality, sort, page).

    Always the same number of SQL statements: a count, the page, its services and localities.
    """
    statement = select(Component).where(Component.status == ComponentStatus.APPROVED).options(*_listing_options())
    kind = query.facets.get("kind")
    if kind:
        statement = statement.where(Component.kind == kind)
    service = query.facets.get("service")
    if service:
        statement = statement.where(
            Component.services.any(ComponentService.slug == service)
        )
    locality = query.facets.get("locality")
    if locality:
        statement = statement.where(Component.locality_id == int(locality))
    # NUL and other control characters cannot reach PostgreSQL: drop them from the terms.
    statement, rank = apply_text_search(statement, query.terms, Component.search_name, Component.search_text)
    return paginate(db.session, ordered(statement, query, _COMPONENT_ORDER, rank), query)


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str


def service_tag_options() -> list[FacetOption]:
    """Every service offered by an approved component, for the `service` facet."""
    statement = (
        select(ComponentService.slug, func.min(ComponentService.name))
        .join(Component, Component.id == ComponentService.component_id)
        .where(Component.status == ComponentStatus.APPROVED)
        .group_by(ComponentService.slug)
        .order_by(ComponentService.slug)
    )
    return [FacetOption(slug, name) for slug, name in db.session.execute(statement)]


def locality_options() -> list[FacetOption]:
    """The communes and wards where approved components are, for the `locality` facet."""
    used = select(Component.locality_id).where(Component.status == ComponentStatus.APPROVED)
    statement = select(Locality).where(Locality.id.in_(used)).order_by(Locality.search_name)
    return [FacetOption(str(locality.id), locality.name) for locality in db.session.scalars(statement)]


def public_component(slug: str) -> Component | None:
    """An approved component by slug, with what its page shows."""
    if not COMPONENT_SLUG_PATTERN.fullmatch(slug):
        return None
    statement = (
        select(Component)
        .where(Component.slug == slug, Component.status == ComponentStatus.APPROVED)
        .options(*_listing_options())
    )
    return db.session.scalar(statement)


def component_for(user, slug: str) -> Component | None:
    """The component behind `slug` if `user` may see it (pending ones: suggester and curators)."""
    if not COMPONENT_SLUG_PATTERN.fullmatch(slug):
        return None
    statement = select(Component).where(Component.slug == slug).options(*_listing_options())
    component = db.session.scalar(statement)
    return component if component is not None and may_view(user, component) else None


def supported_startups(component: Component, include_hidden: bool = False) -> list[Startup]:
    """Startups the component supports; hidden profiles only for curators."""
    linked = select(component_startups.c.startup_id).where(component_startups.c.component_id == component.id)
    statement = select(Startup).where(Startup.id.in_(linked)).order_by(Startup.search_name, Startup.id)
    if not include_hidden:
        statement = statement.where(Startup.is_public.is_(True))
    return list(db.session.scalars(statement))


def find_startups_to_link(component: Component, text: str, limit: int = 20) -> list[Startup]:
    """Startups whose name matches `text` (accent-insensitive), not yet linked to `component`."""
    terms = tuple(search_terms(text))
    if not terms:
        return []
    linked = {startup.id for startup in component.startups}
    statement, rank = apply_text_search(select(Startup), terms, Startup.search_name, Startup.search_name)
    statement = statement.order_by(rank, Startup.search_name).limit(limit + len(linked))
    return [startup for startup in db.session.scalars(statement) if startup.id not in linked][:limit]


def pending_suggestions() -> list[Component]:
    """The review queue, oldest first."""
    statement = (
        select(Component)
        .where(Component.status == ComponentStatus.PENDING)
        .options(selectinload(Component.suggested_by), *_listing_options())
        .order_by(Component.created_at, Component.id)
    )
    return list(db.session.scalars(statement))


def pending_count() -> int:
    statement = select(func.count()).select_from(Component).where(Component.status == ComponentStatus.PENDING)
    return db.session.scalar(statement) or 0


def get_component(component_id: int) -> Component | None:
    return db.session.get(Component, component_id)


def universities() -> list[Component]:
    """Approved universities and colleges, by name: what a club can belong to."""
    statement = (
        select(Component)
        .where(Component.kind == ComponentKind.UNIVERSITY, Component.status == ComponentStatus.APPROVED)
        .order_by(Component.search_name, Component.id)
    )
    return list(db.session.scalars(statement))


def get_university(component_id: int | None) -> Component | None:
    """An approved university or college by id, or None."""
    if component_id is None:
        return None
    component = db.session.get(Component, component_id)
    if component is None or component.kind != ComponentKind.UNIVERSITY or component.status != ComponentStatus.APPROVED:
        return None
    return component
