"""Every API answer a test receives is checked against the OpenAPI document.

`OpenAPICheckingClient` is the test client of the API tests (see conftest.py): after each
request under /api/v1 it finds the documented operation and checks the status code (it
must be documented), the documented headers and the JSON body against the operation's
schema (JSON Schema 2020-12, the OpenAPI 3.1 dialect, formats checked). Objects have
`additionalProperties: false`, so a field the document does not know fails the test.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from urllib.parse import quote, urlsplit

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ecosystem.api.openapi import openapi_document

API_ROOT = "/api/v1"
DOCUMENT_URI = "urn:ecosystem:api:v1:openapi"

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})",
                        value):
        return False
    return datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(char.isspace() for char in value)


@FORMATS.checks("email")
def _is_email(value) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None


class ResponseMismatch(AssertionError):
    pass


class OpenAPIResponseChecker:
    def __init__(self, document: dict) -> None:
        self.document = document
        self.registry = Registry().with_resource(
            DOCUMENT_URI, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        self.paths = [
            (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"), template)
            for template in document["paths"]
        ]
        self.checked = 0

    # --- the document -----------------------------------------------------------------------------

    def _at(self, pointer: str):
        node = self.document
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def _follow(self, node: dict, pointer: str) -> tuple[dict, str]:
        while "$ref" in node:
            pointer = node["$ref"].removeprefix("#")
            node = self._at(pointer)
        return node, pointer

    def validate(self, instance, schema: dict, pointer: str, what: str) -> None:
        """Validate against the schema at `pointer` in the document (its $refs resolve there)."""
        ref = schema["$ref"] if set(schema) == {"$ref"} else "#" + quote(pointer, safe="/~")
        validator = Draft202012Validator(
            {"$ref": DOCUMENT_URI + ref}, registry=self.registry, format_checker=FORMATS
        )
        errors = sorted(validator.iter_errors(instance), key=lambda error: list(error.absolute_path))
        if errors:
            details = "\n".join(
                f"- at {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}" for error in errors[:10]
            )
            raise ResponseMismatch(f"{what} does not match the OpenAPI document:\n{details}")

    # --- one answer -------------------------------------------------------------------------------

    def find(self, api_path: str) -> str | None:
        return next((template for pattern, template in self.paths if pattern.match(api_path)), None)

    def check(self, response) -> None:
        request = response.request
        path, method = request.path, request.method.lower()
        if not path.startswith(API_ROOT + "/"):
            return
        what = f"{request.method} {path} → {response.status_code}"
        if response.headers.get("Access-Control-Allow-Origin") != "*":
            raise ResponseMismatch(f"{what}: no Access-Control-Allow-Origin: *")
        template = self.find(path.removeprefix(API_ROOT))
        if template is None:
            self._check_error(response, 404, what)
            return
        path_item = self.document["paths"][template]
        if method == "options":
            if response.status_code != 200 or "GET" not in response.headers.get("Allow", ""):
                raise ResponseMismatch(f"{what}: an OPTIONS request is answered 200 with Allow")
            return
        operation = path_item.get("get" if method == "head" else method)
        if operation is None:
            self._check_error(response, 405, what)
            if "GET" not in response.headers.get("Allow", ""):
                raise ResponseMismatch(f"{what}: a 405 names the allowed methods (Allow)")
            return
        status = str(response.status_code)
        if status not in operation["responses"]:
            raise ResponseMismatch(f"{what}: status {status} is not documented for {operation['operationId']}")
        pointer = f"/paths/{template.replace('/', '~1')}/{'get' if method == 'head' else method}/responses/{status}"
        spec, pointer = self._follow(operation["responses"][status], pointer)
        for name, header in spec.get("headers", {}).items():
            header, header_pointer = self._follow(header, f"{pointer}/headers/{name}")
            value = response.headers.get(name)
            if value is None:
                if header.get("required"):
                    raise ResponseMismatch(f"{what}: the documented header {name} is missing")
                continue
            self.validate(value, header["schema"], header_pointer + "/schema", f"{what}: header {name}")
        content = spec.get("content")
        if not content:
            if response.get_data():
                raise ResponseMismatch(f"{what}: a body where the document says there is none")
        elif method != "head":
            if response.mimetype not in content:
                raise ResponseMismatch(f"{what}: content type {response.mimetype} is not documented")
            media = content[response.mimetype]
            self.validate(
                response.get_json(), media["schema"],
                f"{pointer}/content/{response.mimetype.replace('/', '~1')}/schema", f"{what}: body",
            )
        self.checked += 1

    def _check_error(self, response, status: int, what: str) -> None:
        if response.status_code != status:
            raise ResponseMismatch(f"{what}: expected {status}")
        self.validate(response.get_json(), {"$ref": "#/components/schemas/Error"}, "", f"{what}: error body")
        self.checked += 1


@cache
def response_checker() -> OpenAPIResponseChecker:
    return OpenAPIResponseChecker(openapi_document())


class OpenAPICheckingClient(FlaskClient):
    """The Flask test client, checking each API answer against the OpenAPI document."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        response_checker().check(response)
        return response
