"""What the API shows of each object: public fields only, in the shapes `openapi.py` documents.

Never here: people's e-mail addresses or phone numbers (a startup's or component's own
published contact is shown), user or member ids, hidden profiles, pending or rejected
suggestions. A startup's team (names, titles, roles) and tax code appear on its public page,
so its detail shows them too. An event shows what its public page shows, never its attendees
nor its bank account. Visibility itself is decided by the domains' services.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ecosystem.core.listing import ListQuery, Page
from ecosystem.core.uploads import COVER, LOGO
from ecosystem.core.urls import external_url
from ecosystem.directory.models import Component
from ecosystem.events import queries as event_queries
from ecosystem.events.models import Event, EventStatus
from ecosystem.events.registration import registration_open
from ecosystem.startups.models import Startup


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 with its offset, to the second: `2025-07-01T02:30:00+00:00`."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def logo_url(name: str | None) -> str | None:
    return external_url("core.media", folder=LOGO.folder, name=name) if name else None


def startup_resource(startup: Startup) -> dict:
    return {
        "slug": startup.slug,
        "name": startup.name,
        "tagline": startup.tagline or "",
        "description": startup.description or "",
        "sector": startup.sector,
        "stage": startup.stage,
        "founded_year": startup.founded_year,
        "province": startup.province,
        "locality_id": startup.locality_id,
        "locality": startup.locality.name if startup.locality else startup.locality_text,
        "website": startup.website,
        "contact_email": startup.contact_email,
        "contact_phone": startup.contact_phone,
        "tax_code": startup.tax_code,
        "verified": startup.is_verified,
        "verified_at": timestamp(startup.verified_at),
        "url": external_url("startups.detail", slug=startup.slug),
        "logo_url": logo_url(startup.logo),
        "created_at": timestamp(startup.created_at),
        "updated_at": timestamp(startup.updated_at),
    }


def startup_detail(startup: Startup) -> dict:
    """A startup with its team, as its public page shows it (members loaded by the service)."""
    team = [
        {"name": member.user.full_name, "title": member.title, "role": member.role} for member in startup.members
    ]
    return {**startup_resource(startup), "team": team}


def startup_reference(startup: Startup) -> dict:
    """A startup named inside another object (a component's supported startups)."""
    return {
        "slug": startup.slug,
        "name": startup.name,
        "url": external_url("startups.detail", slug=startup.slug),
    }


def component_resource(component: Component) -> dict:
    return {
        "slug": component.slug,
        "name": component.name,
        "kind": component.kind,
        "description": component.description or "",
        "services": [{"slug": service.slug, "name": service.name} for service in component.services],
        "address": component.address,
        "province": component.province,
        "locality_id": component.locality_id,
        "locality": component.locality.name if component.locality else None,
        "website": component.website,
        "contact_email": component.contact_email,
        "contact_phone": component.contact_phone,
        "url": external_url("directory.detail", slug=component.slug),
        "logo_url": logo_url(component.logo),
        "created_at": timestamp(component.created_at),
        "updated_at": timestamp(component.updated_at),
    }


def component_detail(component: Component, supported: list[Startup]) -> dict:
    return {**component_resource(component), "startups": [startup_reference(startup) for startup in supported]}


def event_seats_left(event: Event, taken: dict[int, int]) -> int | None:
    """Seats left over all ticket types, within the event's overall capacity; None once cancelled.

    `taken`: seats taken per ticket type (`events.queries.seats_taken`, one query for a page)."""
    if event.status == EventStatus.CANCELLED:
        return None
    left = sum(max(0, ticket_type.capacity - taken.get(ticket_type.id, 0)) for ticket_type in event.ticket_types)
    if event.capacity is not None:
        used = sum(taken.get(ticket_type.id, 0) for ticket_type in event.ticket_types)
        left = min(left, max(0, event.capacity - used))
    return left


def event_resource(event: Event, taken: dict[int, int], now: datetime) -> dict:
    """A published or cancelled event (its ticket types and commune loaded by the service)."""
    prices = event_queries.price_range(event) or (0, 0)
    published = event.status == EventStatus.PUBLISHED
    return {
        "slug": event.slug,
        "title": event.title,
        "summary": event.summary or "",
        "kind": event.kind,
        "status": event.status,
        "starts_at": timestamp(event.starts_at),
        "ends_at": timestamp(event.ends_at),
        "venue_name": event.venue_name,
        "address": event.address,
        "locality": event.locality.name if event.locality else None,
        "online": bool(event.online_url),
        "url": external_url("events.detail", slug=event.slug),
        "ics_url": external_url("event_tools.event_calendar", slug=event.slug) if published else None,
        "cover_url": external_url("core.media", folder=COVER.folder, name=event.cover) if event.cover else None,
        "price_min_vnd": prices[0],
        "price_max_vnd": prices[1],
        "seats_left": event_seats_left(event, taken),
        "registration_open": registration_open(event, now),
    }


def event_changed_at(event: Event, now: datetime) -> datetime:
    """When the event's answer last changed: its last edit, or a registration boundary passed since
    (`registration_open` turns then). Seat counts are not dated: the `ETag` follows them."""
    passed = (event.registration_opens_at, event.registration_closes_at, event.ends_at)
    return max((event.updated_at, *(moment for moment in passed if moment is not None and moment <= now)))


def list_parameters(query: ListQuery, page_number: int) -> dict:
    """The query string of one page of the same list (known parameters only)."""
    values: dict[str, object] = {}
    if query.q:
        values["q"] = query.q
    values.update(query.facets)
    values.update(sort=query.sort, per_page=query.per_page, page=page_number)
    return values


def list_envelope(endpoint: str, query: ListQuery, page: Page, items: list[dict]) -> dict:
    """`{"items", "page", "per_page", "total", "pages", "links": {"self", "next", "prev"}}`."""

    def link(number: int) -> str:
        return external_url(endpoint, **list_parameters(query, number))

    return {
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
        "links": {
            "self": link(page.page),
            "next": link(page.next_num) if page.has_next else None,
            "prev": link(min(page.prev_num, page.pages)) if page.has_prev else None,
        },
    }
