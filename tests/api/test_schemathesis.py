"""Schemathesis against the OpenAPI document served by the app: every operation, every check.

The schema is loaded from the app itself (`/api/v1/openapi.json` through WSGI), with a
catalogue (startups, directory, events) in the database, and each operation gets a bounded number of generated requests
(valid and invalid parameters, unsupported methods, ...). Any failed check fails the test.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from ecosystem.extensions import limiter
from tests.api.conftest import build_catalogue, build_event_catalogue

# Bounded so `make test` stays fast; API_FUZZ_EXAMPLES=500 for a deeper run.
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "50"))
# The same examples on every run (a gate must not flake); nothing stored under .hypothesis/.
SETTINGS = {
    "max_examples": MAX_EXAMPLES,
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}


@pytest.fixture
def api_schema(request, app):
    # schemathesis 4.32 reads (and rewrites, for its reports) pytest < 9's `node._nodeid`.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    catalogue = build_catalogue(app)
    build_event_catalogue(app, catalogue.coordinator)
    # Generated requests come in bursts from one address: the rate limit is tested elsewhere.
    limiter.enabled = False
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    finally:
        limiter.enabled = True


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(**SETTINGS)
def test_the_api_conforms_to_its_openapi_document(case):
    case.call_and_validate()


def test_the_api_conforms_when_following_links(api_schema):
    """Stateful: a list, then the detail of its first item (the OpenAPI links), checked the same way."""
    state_machine = api_schema.as_state_machine()
    state_machine.run(
        settings=settings(**SETTINGS, stateful_step_count=4)
    )
