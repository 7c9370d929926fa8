"""The schema components of the OpenAPI document (`components.schemas`): one per API object, with
`additionalProperties: false`, the enumerations taken from the domain allowlists."""

from __future__ import annotations

from ecosystem.api import parameters
from ecosystem.core.listing import MAX_PAGE
from ecosystem.events import services as events
from ecosystem.events.models import EventStatus
from ecosystem.places.provinces import PROVINCES
from ecosystem.startups import services as startups
from ecosystem.startups.models import MemberRole, Sector

SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX = 90


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


def object_schema(properties: dict, description: str = "") -> dict:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
URI = {"type": "string", "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}
SLUG = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX}
PROVINCE = {"type": "string", "enum": list(PROVINCES)}
SECTOR = {"type": "string", "enum": sorted(str(sector) for sector in Sector)}
VND = {"type": "integer", "minimum": 0}


def _place_properties() -> dict:
    return {
        "province": PROVINCE,
        "locality_id": {**nullable({"type": "integer"}), "description": "The commune or ward (see `locality`)."},
        "locality": nullable({**STRING, "description": "The commune or ward (xã, phường)."}),
    }


def _contact_properties() -> dict:
    return {
        "website": nullable(URI),
        "contact_email": nullable({"type": "string", "format": "email"}),
        "contact_phone": nullable(STRING),
    }


def _startup_properties() -> dict:
    return {
        "slug": SLUG,
        "name": {"type": "string", "minLength": 1, "maxLength": startups.NAME_MAX},
        "tagline": {"type": "string", "maxLength": startups.TAGLINE_MAX},
        "description": {**STRING, "description": "Markdown, as written by the startup (not HTML)."},
        "sector": parameters.STARTUPS.facet("sector").schema,
        "stage": parameters.STARTUPS.facet("stage").schema,
        "founded_year": nullable({"type": "integer", "minimum": startups.FIRST_FOUNDING_YEAR}),
        **_place_properties(),
        **_contact_properties(),
        "tax_code": nullable({
            "type": "string", "pattern": startups.TAX_CODE_PATTERN.pattern,
            "description": "Mã số thuế (MST): 10 digits, or 10 digits, a dash and 3 digits.",
        }),
        "verified": {"type": "boolean", "description": "Verified by the Department of Science and Technology."},
        "verified_at": nullable(DATE_TIME),
        "url": {**URI, "description": "The startup's page on this site."},
        "logo_url": nullable(URI),
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
    }


TEAM_MEMBER = object_schema(
    {
        "name": {"type": "string"},
        "title": nullable({**STRING, "description": "CEO, CTO, ..."}),
        "role": {"type": "string", "enum": sorted(str(role) for role in MemberRole)},
    },
    "A member of a startup's team, as its public page shows them.",
)


def _component_properties() -> dict:
    return {
        "slug": SLUG,
        "name": {"type": "string", "minLength": 1, "maxLength": 160},
        "kind": parameters.DIRECTORY.facet("kind").schema,
        "description": {**STRING, "description": "Markdown (not HTML)."},
        "services": {
            "type": "array",
            "description": "Services offered, as tags (filter with `service=<slug>`).",
            "items": object_schema({"slug": {"type": "string"}, "name": {"type": "string"}}),
        },
        "address": nullable(STRING),
        **_place_properties(),
        **_contact_properties(),
        "url": {**URI, "description": "The component's page on this site."},
        "logo_url": nullable(URI),
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
    }


def _event_schema() -> dict:
    return object_schema(
        {
            "slug": SLUG,
            "title": {"type": "string", "minLength": 1, "maxLength": events.TITLE_MAX},
            "summary": {"type": "string", "maxLength": events.SUMMARY_MAX},
            "kind": parameters.EVENTS.facet("kind").schema,
            "status": {
                "type": "string", "enum": [EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value],
                "description": "`cancelled`: the event will not take place (it stays listed).",
            },
            "starts_at": DATE_TIME,
            "ends_at": DATE_TIME,
            "venue_name": nullable({"type": "string", "maxLength": events.VENUE_MAX}),
            "address": nullable({"type": "string", "maxLength": events.ADDRESS_MAX}),
            "locality": nullable({**STRING, "description": "The commune or ward (xã, phường)."}),
            "online": {"type": "boolean", "description": "Can be followed online (the link is on its page)."},
            "url": {**URI, "description": "The event's page (registration, tickets)."},
            "ics_url": nullable({**URI, "description": "The event as an iCalendar file (null: cancelled)."}),
            "cover_url": nullable(URI),
            "price_min_vnd": {**VND, "description": "The cheapest ticket in VND (0: free)."},
            "price_max_vnd": {**VND, "description": "The dearest ticket in VND (0: free)."},
            "seats_left": nullable({"type": "integer", "minimum": 0, "description": "null: cancelled."}),
            "registration_open": {"type": "boolean"},
        },
        "A published (or cancelled) event.",
    )


def _mentor_schema() -> dict:
    return object_schema(
        {
            "id": {"type": "integer", "minimum": 1, "description": "The mentor profile's id (not an account id)."},
            "name": {"type": "string", "minLength": 1},
            "headline": STRING,
            "expertise": {"type": "array", "items": STRING},
            "sectors": {"type": "array", "items": SECTOR, "uniqueItems": True},
            "languages": {
                "type": "array",
                "items": {"type": "string", "enum": sorted(parameters.MENTOR_LANGUAGES)},
                "uniqueItems": True,
            },
            "accepting_requests": {"type": "boolean", "description": "Has capacity left this month."},
            "url": {**URI, "description": "The mentor's page on this site."},
            "photo_url": nullable(URI),
            "updated_at": DATE_TIME,
        },
        "A public mentor profile. (The mentoring domain has not landed yet: lists are empty.)",
    )


def _list_schema(item: str) -> dict:
    return object_schema(
        {
            "items": {"type": "array", "items": ref(item), "maxItems": parameters.MAX_PER_PAGE},
            "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            "per_page": {"type": "integer", "minimum": 1, "maximum": parameters.MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 1},
            "links": ref("Links"),
        },
        f"One page of {item} objects.",
    )


def component_schemas() -> dict:
    return {
        "Error": object_schema(
            {
                "error": object_schema(
                    {
                        "code": {"type": "integer", "minimum": 400, "maximum": 599},
                        "message": {"type": "string", "minLength": 1},
                    }
                )
            },
            "Every error (400, 404, 405, 429, 500, ...).",
        ),
        "Links": object_schema(
            {
                "self": URI,
                "next": nullable(URI),
                "prev": nullable(URI),
            },
            "This page, and the next and previous ones (null when there is none).",
        ),
        "Startup": object_schema(_startup_properties(), "A public startup profile."),
        "StartupDetail": object_schema(
            {**_startup_properties(), "team": {"type": "array", "items": ref("TeamMember")}},
            "A public startup profile with its team.",
        ),
        "TeamMember": TEAM_MEMBER,
        "StartupList": _list_schema("Startup"),
        "StartupReference": object_schema({"slug": SLUG, "name": STRING, "url": URI}),
        "Component": object_schema(_component_properties(), "An approved component of the ecosystem directory."),
        "ComponentDetail": object_schema(
            {
                **_component_properties(),
                "startups": {
                    "type": "array",
                    "items": ref("StartupReference"),
                    "description": "Public startups the component supports.",
                },
            },
            "A component with the startups it supports.",
        ),
        "ComponentList": _list_schema("Component"),
        "Event": _event_schema(),
        "EventList": _list_schema("Event"),
        "Mentor": _mentor_schema(),
        "MentorList": _list_schema("Mentor"),
    }


