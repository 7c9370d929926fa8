"""The OpenAPI document itself: valid OpenAPI 3.1, valid JSON schemas, in step with the domains."""

from __future__ import annotations

import pytest
import schemathesis
from jsonschema import Draft202012Validator
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.definitions import OPENAPI_31

from ecosystem.api.openapi import openapi_document
from ecosystem.directory import queries as directory_queries
from ecosystem.directory import services as directory
from ecosystem.events import services as events
from ecosystem.events.models import EventKind
from ecosystem.startups import services as startups
from ecosystem.startups.models import Sector, Stage

CONTRACT_PATHS = {
    "/openapi.json", "/startups", "/startups/{slug}", "/directory", "/directory/{slug}", "/events",
    "/events/{slug}", "/mentors",
}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_served_document_is_the_module_s(document):
    assert document == openapi_document()


def test_it_is_a_valid_openapi_3_1_document(document):
    # The OpenAPI Initiative's schema for 3.1 documents, as bundled by schemathesis.
    Draft202012Validator(OPENAPI_31).validate(document)
    assert document["openapi"].startswith("3.1.")
    assert document["servers"] == [{"url": "/api/v1", "description": "This site"}]


def test_every_schema_is_a_valid_json_schema_2020_12(document):
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for path_item in document["paths"].values():
        for parameter in path_item["get"].get("parameters", []):
            if "schema" in parameter:
                Draft202012Validator.check_schema(parameter["schema"])


def _objects(node, where="#"):
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


def test_every_object_refuses_undocumented_fields(document):
    objects = list(_objects(document["components"]["schemas"]))
    assert len(objects) >= 15
    for where, schema in objects:
        assert schema.get("additionalProperties") is False, where
        assert set(schema["required"]) == set(schema["properties"]), where


def test_the_url_contract_is_documented(document):
    assert set(document["paths"]) == CONTRACT_PATHS
    for path, path_item in document["paths"].items():
        assert set(path_item) == {"get"}, path  # read-only


def test_schemathesis_loads_every_operation_from_the_app(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results)
    # Schemathesis leaves out the operation that served the document itself (tested above).
    assert sorted(result.ok().path for result in results) == sorted(CONTRACT_PATHS - {"/openapi.json"})


def _parameter(document, path, name):
    path_item = document["paths"][path]["get"]
    for parameter in path_item["parameters"]:
        if "$ref" in parameter:
            parameter = document["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        if parameter["name"] == name:
            return parameter
    raise KeyError(name)


def test_the_enumerations_are_the_domains_allowlists(document):
    assert _parameter(document, "/startups", "sort")["schema"]["enum"] == list(startups.STARTUP_SORTS)
    assert set(_parameter(document, "/startups", "sector")["schema"]["enum"]) == set(Sector)
    assert set(_parameter(document, "/startups", "stage")["schema"]["enum"]) == set(Stage)
    assert set(_parameter(document, "/startups", "province")["schema"]["enum"]) == set(
        startups.STARTUP_FACETS["province"]
    )
    assert _parameter(document, "/directory", "sort")["schema"]["enum"] == list(directory_queries.COMPONENT_SORTS)
    assert set(_parameter(document, "/directory", "kind")["schema"]["enum"]) == set(directory.COMPONENT_KIND_VALUES)
    assert _parameter(document, "/events", "sort")["schema"]["enum"] == list(events.EVENT_SORTS)
    for facet in ("kind", "when"):
        assert set(_parameter(document, "/events", facet)["schema"]["enum"]) == set(events.EVENT_FACETS[facet])
    assert set(document["components"]["schemas"]["Event"]["properties"]["kind"]["enum"]) == set(EventKind)
    startup_properties = document["components"]["schemas"]["Startup"]["properties"]
    assert set(startup_properties["sector"]["enum"]) == set(Sector)


@pytest.mark.parametrize("path", ["/startups", "/directory", "/events", "/mentors"])
def test_every_list_parameter_has_its_limits(document, path):
    per_page = _parameter(document, path, "per_page")["schema"]
    assert (per_page["minimum"], per_page["maximum"], per_page["default"]) == (1, 100, 20)
    assert _parameter(document, path, "page")["schema"]["minimum"] == 1
    assert _parameter(document, path, "q")["schema"]["maxLength"] == 200
    for parameter in document["paths"][path]["get"]["parameters"]:
        if "$ref" in parameter:
            continue
        schema = parameter["schema"]
        assert {"enum", "maximum", "pattern", "format"} & set(schema), (path, parameter["name"])
