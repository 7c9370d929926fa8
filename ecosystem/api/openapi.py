"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

Written as Python data so that every enumeration comes from the domain allowlists
(`parameters.py`) and cannot go stale. Every object has `additionalProperties: false`:
the test suite validates each API response it sees against its operation's schema,
so a field added to a serializer but not here fails the tests.
"""

from __future__ import annotations

from functools import cache

from ecosystem.api import parameters
from ecosystem.api.http import CACHE_MAX_AGE
from ecosystem.api.schemas import STRING, component_schemas, ref
from ecosystem.core.listing import MAX_PAGE, MAX_QUERY_LENGTH

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"

DESCRIPTION = f"""\
The public, read-only API of the startup ecosystem of Thái Nguyên province: startups, the ecosystem
directory, events and mentors. Only public data appears: no hidden profiles, no suggestions waiting
for review, no personal e-mail addresses or phone numbers (a startup's or organisation's own published
contact is shown).

**Lists** answer `{{"items": [...], "page", "per_page", "total", "pages", "links": {{"self", "next",
"prev"}}}}`. They take `q` (search, accent- and case-insensitive: `thai nguyen` finds "Thái Nguyên"),
their facets, `sort`, `page` (from 1) and `per_page` (1 to {parameters.MAX_PER_PAGE}, default
{parameters.DEFAULT_PER_PAGE}). A page after the last one is an empty list.

**Parameters** are checked: a value outside the documented schema (an unknown sort or facet value, a page
that is not a whole number, an empty value except for `q`, ...) is answered 400. Parameters not documented
here are ignored.

**Errors** have one shape: `{{"error": {{"code": 404, "message": "..."}}}}`, also for 405, 429 and 500. The
message is written for people and may be in Vietnamese.

**Caching**: answers carry `ETag` (a hash of the body), `Last-Modified` (the latest change of what
they show, when known) and `Cache-Control: public, max-age={CACHE_MAX_AGE}`; send `If-None-Match` or
`If-Modified-Since` to get `304 Not Modified`.

**CORS**: every answer carries `Access-Control-Allow-Origin: *`; preflight requests are answered.

**Rate limit**: 300 requests per minute per client IP address by default; beyond, 429 with
`Retry-After`.

Times are ISO 8601 with their offset (UTC, `+00:00`); money is whole Vietnamese đồng (VND).
"""


# --- parameters, headers, responses -------------------------------------------------------------------


def _query(name: str, schema: dict, description: str, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema, **extra}


COMMON_PARAMETERS = {
    "q": _query(
        "q", {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        "Search text, accent- and case-insensitive; every word must match. Control characters count as spaces.",
        example="thai nguyen",
    ),
    "page": _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number."),
    "per_page": _query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": parameters.MAX_PER_PAGE, "default": parameters.DEFAULT_PER_PAGE},
        "Items per page.",
    ),
    "IfNoneMatch": {
        "name": "If-None-Match", "in": "header", "required": False, "schema": STRING,
        "description": "An `ETag` received before: 304 when the answer has not changed.",
    },
    "IfModifiedSince": {
        "name": "If-Modified-Since", "in": "header", "required": False, "schema": STRING,
        "description": "An HTTP date (a `Last-Modified` received before): 304 when nothing changed since.",
    },
}


def _common(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _list_parameters(list_parameters: parameters.ListParameters) -> list[dict]:
    sort_schema = {"type": "string", "enum": list(list_parameters.sorts)}
    if list_parameters.parse is None:  # a fixed default (the startups' depends on `q`)
        sort_schema["default"] = list_parameters.default_sort
    return [
        _common("q"),
        *(_query(facet.name, facet.schema, facet.description) for facet in list_parameters.facets),
        _query("sort", sort_schema, "Order: " + list_parameters.sort_description),
        _common("page"),
        _common("per_page"),
        _common("IfNoneMatch"),
        _common("IfModifiedSince"),
    ]


HEADERS = {
    "ETag": {"description": "A hash of the body.", "required": True, "schema": STRING},
    "Last-Modified": {
        "description": "The latest change of what the answer shows (absent for an empty list).",
        "required": False,
        "schema": STRING,
    },
    "Cache-Control": {"required": True, "schema": {"type": "string", "const": f"public, max-age={CACHE_MAX_AGE}"}},
    "Access-Control-Allow-Origin": {"required": True, "schema": {"type": "string", "const": "*"}},
}


def _header(name: str) -> dict:
    return {"$ref": f"#/components/headers/{name}"}


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "headers": {"Access-Control-Allow-Origin": _header("Access-Control-Allow-Origin")},
        "content": {"application/json": {"schema": ref("Error")}},
    }


RESPONSES = {
    "NotModified": {
        "description": "Not modified: the copy the client holds (If-None-Match / If-Modified-Since) is current.",
        "headers": {"ETag": _header("ETag"), "Cache-Control": _header("Cache-Control")},
    },
    "BadRequest": _error_response("A parameter has a value outside its schema; the message names it."),
    "NotFound": _error_response("No public object has this slug."),
    "TooManyRequests": _error_response("Rate limit reached; retry after the `Retry-After` seconds."),
}


def _ok(schema: str, description: str, links: dict | None = None) -> dict:
    response = {
        "description": description,
        "headers": {name: _header(name) for name in HEADERS},
        "content": {"application/json": {"schema": ref(schema)}},
    }
    if links:
        response["links"] = links
    return response


def _detail_link(detail_operation_id: str) -> dict:
    """OpenAPI link from a list to the detail of its first item (used by clients and by schemathesis)."""
    return {
        detail_operation_id: {
            "operationId": detail_operation_id,
            "parameters": {"slug": "$response.body#/items/0/slug"},
            "description": "The first item's own document.",
        }
    }


def _response(name: str) -> dict:
    return {"$ref": f"#/components/responses/{name}"}


def _list_operation(operation_id: str, tag: str, summary: str, schema: str,
                    list_parameters: parameters.ListParameters, detail_operation_id: str | None = None) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "tags": [tag],
            "summary": summary,
            "parameters": _list_parameters(list_parameters),
            "responses": {
                "200": _ok(
                    schema, "One page of results.", _detail_link(detail_operation_id) if detail_operation_id else None
                ),
                "304": _response("NotModified"),
                "400": _response("BadRequest"),
                "429": _response("TooManyRequests"),
            },
        }
    }


def _detail_operation(operation_id: str, tag: str, summary: str, schema: str) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "tags": [tag],
            "summary": summary,
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}},
                _common("IfNoneMatch"),
                _common("IfModifiedSince"),
            ],
            "responses": {
                "200": _ok(schema, "The object."),
                "304": _response("NotModified"),
                "404": _response("NotFound"),
                "429": _response("TooManyRequests"),
            },
        }
    }


@cache
def openapi_document() -> dict:
    return {
        "openapi": OPENAPI_VERSION,
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Thái Nguyên startup ecosystem: public API",
            "version": API_VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": "/api/v1", "description": "This site"}],
        "tags": [
            {"name": "startups", "description": "Public startup profiles."},
            {"name": "directory", "description": "The ecosystem directory: incubators, funds, universities, ..."},
            {"name": "events", "description": "Published events: workshops, pitching nights, Techfest, ..."},
            {"name": "mentors", "description": "Mentors (empty until the mentoring module lands)."},
            {"name": "meta", "description": "This document."},
        ],
        "paths": {
            "/startups": _list_operation(
                "listStartups", "startups", "Search public startups", "StartupList", parameters.STARTUPS, "getStartup"
            ),
            "/startups/{slug}": _detail_operation("getStartup", "startups", "One public startup", "StartupDetail"),
            "/directory": _list_operation(
                "listComponents", "directory", "Search the ecosystem directory", "ComponentList",
                parameters.DIRECTORY, "getComponent",
            ),
            "/directory/{slug}": _detail_operation(
                "getComponent", "directory", "One directory component", "ComponentDetail"
            ),
            "/events": _list_operation(
                "listEvents", "events", "Search events", "EventList", parameters.EVENTS, "getEvent"
            ),
            "/events/{slug}": _detail_operation("getEvent", "events", "One published or cancelled event", "Event"),
            "/mentors": _list_operation("listMentors", "mentors", "Search mentors", "MentorList", parameters.MENTORS),
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenapiDocument",
                    "tags": ["meta"],
                    "summary": "This OpenAPI document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 document.",
                            "headers": {name: _header(name) for name in HEADERS if name != "Last-Modified"},
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "304": _response("NotModified"),
                        "429": _response("TooManyRequests"),
                    },
                }
            },
        },
        "components": {
            "schemas": component_schemas(),
            "parameters": COMMON_PARAMETERS,
            "headers": HEADERS,
            "responses": RESPONSES,
        },
    }
