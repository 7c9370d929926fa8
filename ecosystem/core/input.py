"""Hostile text is cleaned where it enters: control characters never reach a form, a service or the database.

A NUL in a name is a 500 on PostgreSQL (text cannot hold it), and other C0 control characters are never
typed by a person. The application's request class drops them (tab, line feed and carriage return stay)
from every form field, query parameter (`?q=` of the API and the lists), upload file name, JSON body and
URL path value. The raw body (`request.get_data()`, the Stripe webhook's signed payload) stays byte-exact.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict

# C0 controls and DEL, except \t \n \r.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def drop_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def clean_value(value: Any) -> Any:
    """Strings cleaned; lists, tuples and dicts (JSON) cleaned inside; an upload's file name cleaned."""
    if isinstance(value, str):
        return drop_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(clean_value(item) for item in value)
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    if isinstance(value, FileStorage) and value.filename:
        value.filename = drop_control_characters(value.filename)
    return value


def _pairs(mapping) -> list[tuple[Any, Any]]:
    if mapping is None:
        return []
    if isinstance(mapping, MultiDict):
        return list(mapping.items(multi=True))
    if isinstance(mapping, dict):
        return [(key, item) for key, value in mapping.items()
                for item in (value if isinstance(value, list | tuple) else [value])]
    return list(mapping)


class CleanMultiDict(ImmutableMultiDict):
    """The storage of `request.args`, `request.form` and `request.files`: keys and values cleaned."""

    def __init__(self, mapping=None) -> None:
        super().__init__([(clean_value(key), clean_value(value)) for key, value in _pairs(mapping)])


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        return clean_value(super().get_json(force=force, silent=silent, cache=cache))


def _clean_url_values(endpoint: str | None, values: dict | None) -> None:
    if values:
        for key, value in values.items():
            values[key] = clean_value(value)


def register_input_cleaning(app: Flask) -> None:
    app.request_class = CleanRequest
    app.url_value_preprocessor(_clean_url_values)
