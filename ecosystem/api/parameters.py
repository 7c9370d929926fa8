"""Query parameters of the API lists, checked exactly as the OpenAPI document describes them.

Each list reuses its domain's allowlists (sorts, facets) and query parser; the JSON
schema of every parameter is built from those allowlists, and a value the schema
refuses is refused here too (400) before the domain parses it. So the document and
the answers cannot drift apart. Parameters not listed are ignored.

Mentors have no domain yet: their allowlists live here until that domain lands (then they
move to `mentoring/services.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_babel import lazy_gettext as _l

from ecosystem.core.listing import MAX_PAGE, MAX_QUERY_LENGTH, BadListQuery, ListQuery, parse_list_query
from ecosystem.directory import queries as directory_queries
from ecosystem.directory import services as directory
from ecosystem.events import queries as event_queries
from ecosystem.events import services as events
from ecosystem.startups import profiles as startup_profiles
from ecosystem.startups import services as startups
from ecosystem.startups.models import Sector

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_ID = 999_999_999  # the ids the domains' facets accept: at most 9 digits
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Characters a search never needs (NUL, other controls, separators): read as spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Facet:
    name: str
    schema: dict  # the JSON schema of the value in the OpenAPI document
    description: str
    check: Callable[[str], bool] | frozenset[str] | None = None  # what the domain's parser is given


@dataclass(frozen=True)
class ListParameters:
    """One API list: the domain's sorts and facets, and how its query is parsed."""

    sorts: tuple[str, ...]
    default_sort: str
    sort_description: str
    facets: tuple[Facet, ...] = ()
    parse: Callable[[Mapping[str, str]], ListQuery] | None = None

    def facet(self, name: str) -> Facet:
        return next(facet for facet in self.facets if facet.name == name)

    def parse_query(self, args: Mapping[str, str]) -> ListQuery:
        if self.parse is not None:
            return self.parse(args)
        return parse_list_query(
            args, sorts=dict.fromkeys(self.sorts), default_sort=self.default_sort,
            facets={facet.name: facet.check for facet in self.facets if facet.check is not None},
            default_per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE,
        )


def enum_schema(values) -> dict:
    return {"type": "string", "enum": sorted(str(value) for value in values)}


def id_schema() -> dict:
    return {"type": "integer", "minimum": 0, "maximum": MAX_ID}


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))


def _is_service_tag(value: str) -> bool:
    return len(value) <= directory.SERVICE_NAME_MAX and bool(directory.SERVICE_SLUG_PATTERN.match(value))


def _is_iso_date(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# --- startups: `startups.services` decides everything (sorts, facets, default sort) ------------------

STARTUPS = ListParameters(
    sorts=tuple(startups.STARTUP_SORTS),
    default_sort="name",
    sort_description="`relevance` (the default when `q` is given: name matches first), `name` (the default "
    "otherwise), `newest` (recently added first), `founded` (most recent founding year first).",
    facets=(
        Facet("sector", enum_schema(startups.STARTUP_FACETS["sector"]), "Only startups of this sector."),
        Facet("stage", enum_schema(startups.STARTUP_FACETS["stage"]), "Only startups at this stage."),
        Facet("locality", id_schema(), "Only startups in this commune or ward (its `locality_id`)."),
        Facet("province", enum_schema(startups.STARTUP_FACETS["province"]), "Only startups of this province."),
        Facet("verified", enum_schema(startups.STARTUP_FACETS["verified"]),
              "`yes`: only startups verified by the department."),
    ),
    parse=lambda args: startup_profiles.startup_list_query(
        args, default_per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE
    ),
)

# --- directory: the domain's sorts and kinds; unknown service tags and locality ids match nothing -----

DIRECTORY = ListParameters(
    sorts=tuple(directory_queries.COMPONENT_SORTS),
    default_sort=directory_queries.DEFAULT_COMPONENT_SORT,
    sort_description="`relevance` (the default: name matches first when `q` is given, else by name), "
    "`name`, `newest` (recently added first).",
    facets=(
        Facet("kind", enum_schema(directory_queries.COMPONENT_FACETS["kind"]), "Only components of this kind.",
              directory_queries.COMPONENT_FACETS["kind"]),
        Facet("service",
              {"type": "string", "pattern": directory.SERVICE_SLUG_PATTERN.pattern,
               "maxLength": directory.SERVICE_NAME_MAX},
              "Only components offering this service (the `slug` of a service tag); an unknown tag matches "
              "nothing.",
              _is_service_tag),
        Facet("locality", id_schema(),
              "Only components in this commune or ward (its `locality_id`); an unknown id matches nothing.",
              _is_id),
    ),
)

# --- events: `events.services` and `events.queries` decide (sorts, facets, default sort); published and cancelled only

EVENTS = ListParameters(
    sorts=tuple(events.EVENT_SORTS),
    default_sort="soonest",
    sort_description="`relevance` (the default when `q` is given: title matches first), `soonest` (the default "
    "otherwise: soonest start first), `latest` (latest start first).",
    facets=(
        Facet("kind", enum_schema(events.EVENT_FACETS["kind"]), "Only events of this kind."),
        Facet("when", enum_schema(events.EVENT_FACETS["when"]),
              "`upcoming` (the default): events not ended yet; `past`: events that have ended."),
        Facet("locality", id_schema(),
              "Only events in this commune or ward (its id, as in the startups' `locality_id`); an unknown id "
              "matches nothing."),
    ),
    parse=lambda args: event_queries.event_list_query(
        args, default_per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE
    ),
)

# --- mentors: no domain yet (the list is empty), parameters already checked ---------------------------

MENTOR_LANGUAGES = frozenset({"vi", "en", "fr", "ja", "ko", "zh"})
MENTORS = ListParameters(
    sorts=("name", "newest"),
    default_sort="name",
    sort_description="`name` (the default), `newest` (recently joined first).",
    facets=(
        Facet("sector", enum_schema(frozenset(Sector)), "Only mentors who know this sector.", frozenset(Sector)),
        Facet("language", enum_schema(MENTOR_LANGUAGES), "Only mentors speaking this language (ISO 639-1).",
              MENTOR_LANGUAGES),
    ),
)


# --- the check -------------------------------------------------------------------------------------


def _whole_number_error(name: str, maximum: int) -> BadListQuery:
    return BadListQuery(
        _l("“%(name)s” must be a whole number from 1 to %(maximum)d.", name=name, maximum=maximum)
    )


def _schema_allows(schema: dict, value: str) -> bool:
    """The parameter schemas used here: an enum, an id (integer) or a pattern/format string."""
    if "enum" in schema:
        return value in schema["enum"]
    if schema.get("type") == "integer":
        return _is_id(value) and schema["minimum"] <= int(value) <= schema["maximum"]
    if schema.get("format") == "date":
        return _is_iso_date(value)
    if "pattern" in schema:
        return len(value) <= schema["maxLength"] and re.search(schema["pattern"], value) is not None
    return True


def _check_as_documented(args: Mapping[str, str], parameters: ListParameters) -> dict[str, str]:
    """The known parameters, each checked against its documented schema; BadListQuery otherwise."""
    q = args.get("q")
    if q is not None and len(q) > MAX_QUERY_LENGTH:
        raise BadListQuery(_l("The search text has at most %(max)d characters.", max=MAX_QUERY_LENGTH))
    for name, maximum in (("page", MAX_PAGE), ("per_page", MAX_PER_PAGE)):
        raw = args.get(name)
        if raw is not None and not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= maximum):
            raise _whole_number_error(name, maximum)
    sort = args.get("sort")
    if sort is not None and sort not in parameters.sorts:
        raise BadListQuery(
            _l("Unknown sort order “%(sort)s”. Use one of: %(allowed)s.", sort=sort[:40],
               allowed=", ".join(parameters.sorts))
        )
    for facet in parameters.facets:
        raw = args.get(facet.name)
        if raw is not None and not _schema_allows(facet.schema, raw):
            raise BadListQuery(_l("Unknown value for “%(name)s”: “%(value)s”.", name=facet.name, value=raw[:40]))
    known = {"q", "page", "per_page", "sort", *(facet.name for facet in parameters.facets)}
    checked = {name: args[name] for name in known if name in args}
    if q is not None:
        checked["q"] = _CONTROL.sub(" ", q)
    return checked


def api_list_query(args: Mapping[str, str], parameters: ListParameters) -> ListQuery:
    """The list query of one API request, or a 400 with a message naming the bad parameter."""
    try:
        return parameters.parse_query(_check_as_documented(args, parameters))
    except BadListQuery as error:
        abort(400, description=str(error.message))
