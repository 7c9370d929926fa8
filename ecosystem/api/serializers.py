"""What the API shows of each object: public fields only, in the shapes `openapi.py` documents.

Never here: people's e-mail addresses or phone numbers (a startup's or component's own
published contact is shown), user or member ids, hidden profiles, pending or rejected
suggestions. A startup's team (names, titles, roles) and tax code appear on its public page,
so its detail shows them too. Visibility itself is decided by the domains' services.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ecosystem.core.listing import ListQuery, Page
from ecosystem.core.uploads import LOGO
from ecosystem.core.urls import external_url
from ecosystem.directory.models import Component
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
