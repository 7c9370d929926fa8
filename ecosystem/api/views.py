"""The public read-only JSON API, version 1 (documented at /api/v1/openapi.json).

Views stay thin: parse the list parameters against the domain's allowlists, ask the
domain's service for public data only, shape it (`serializers`), answer with caching
validators (`http`).
"""

from flask import Blueprint, abort, request
from flask_babel import gettext as _

from ecosystem.api import parameters, serializers
from ecosystem.api.http import add_cors_headers, api_rate_limit, json_response, latest
from ecosystem.api.openapi import openapi_document
from ecosystem.core.listing import Page
from ecosystem.directory import queries as directory_queries
from ecosystem.events import queries as event_queries
from ecosystem.extensions import csrf, limiter
from ecosystem.startups import profiles as startup_profiles
from ecosystem.timeutil import utcnow

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # read-only: GET, HEAD and OPTIONS
limiter.shared_limit(api_rate_limit, scope="api")(bp)  # one budget per client IP for the whole API
bp.after_app_request(add_cors_headers)  # errors under /api/ too, not only this blueprint's views


def _list_response(list_parameters: parameters.ListParameters, search, serialize):
    """Parse the parameters (400 when bad), search with the domain's service, answer one page."""
    query = parameters.api_list_query(request.args, list_parameters)
    page: Page = search(query)
    items = [serialize(item) for item in page.items]
    return _page_response(query, page, items, latest(*(item.updated_at for item in page.items)))


def _page_response(query, page: Page, items: list[dict], last_modified):
    envelope = serializers.list_envelope(request.endpoint, query, page, items)
    return json_response(envelope, last_modified=last_modified)


@bp.get("/openapi.json")
def openapi():
    return json_response(openapi_document())


@bp.get("/startups")
def startup_list():
    return _list_response(parameters.STARTUPS, startup_profiles.search_startups, serializers.startup_resource)


@bp.get("/startups/<slug>")
def startup_detail(slug: str):
    startup = startup_profiles.public_startup(slug)
    if startup is None:
        abort(404, description=_("There is no public startup at this address."))
    return json_response(
        serializers.startup_detail(startup),
        last_modified=latest(startup.updated_at, *(member.joined_at for member in startup.members)),
    )


@bp.get("/directory")
def component_list():
    return _list_response(parameters.DIRECTORY, directory_queries.search_components, serializers.component_resource)


@bp.get("/directory/<slug>")
def component_detail(slug: str):
    component = directory_queries.public_component(slug)
    if component is None:
        abort(404, description=_("There is no directory component at this address."))
    supported = directory_queries.supported_startups(component)
    return json_response(
        serializers.component_detail(component, supported),
        last_modified=latest(component.updated_at, *(startup.updated_at for startup in supported)),
    )


def _no_items(query) -> Page:
    return Page(items=[], total=0, page=query.page, per_page=query.per_page)


@bp.get("/events")
def event_list():
    query = parameters.api_list_query(request.args, parameters.EVENTS)
    now = utcnow()
    page: Page = event_queries.search_events(query, now)
    taken = event_queries.seats_taken(page.items)
    items = [serializers.event_resource(event, taken, now) for event in page.items]
    changed = latest(*(serializers.event_changed_at(event, now) for event in page.items))
    return _page_response(query, page, items, changed)


@bp.get("/events/<slug>")
def event_detail(slug: str):
    event = event_queries.public_event(slug)  # no viewer: never a draft
    if event is None:
        abort(404, description=_("There is no published event at this address."))
    now = utcnow()
    return json_response(
        serializers.event_resource(event, event_queries.seats_taken([event]), now),
        last_modified=serializers.event_changed_at(event, now),
    )


@bp.get("/mentors")
def mentor_list():
    # The mentoring domain has not landed: the list is empty, its parameters are checked already.
    return _list_response(parameters.MENTORS, _no_items, dict)
