"""HTTP behaviour of the API: JSON bodies, validators (ETag, Last-Modified) with 304s, caching, CORS.

Every answer under `/api/` (errors included) carries `Access-Control-Allow-Origin: *`: the API is
public, read-only and never uses cookies or credentials, so any web page may read it.
"""

from __future__ import annotations

import json
from datetime import datetime

from flask import Response, current_app, request

API_PREFIX = "/api/"
CACHE_MAX_AGE = 60
JSON_MIMETYPE = "application/json"
CORS_ALLOWED_METHODS = "GET, HEAD, OPTIONS"
CORS_ALLOWED_HEADERS = "Accept, Accept-Language, If-Modified-Since, If-None-Match"
CORS_EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
CORS_PREFLIGHT_MAX_AGE = 86400


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def json_text(payload: object) -> str:
    """Compact JSON with Vietnamese letters written as they are, not as \\u escapes."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def json_response(payload: object, *, last_modified: datetime | None = None) -> Response:
    """A cacheable 200 with a strong ETag (hash of the body) and Last-Modified when known.

    Answers 304 Not Modified when the client's If-None-Match (preferred) or
    If-Modified-Since shows it already holds this body.
    """
    response = Response(json_text(payload), mimetype=JSON_MIMETYPE)
    response.headers["Content-Type"] = f"{JSON_MIMETYPE}; charset=utf-8"
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_MAX_AGE
    response.add_etag()
    if last_modified is not None:
        response.last_modified = last_modified
    return response.make_conditional(request)


def latest(*moments: datetime | None) -> datetime | None:
    """The most recent of the given times (None when there is none): a list's Last-Modified."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def api_rate_limit() -> str:
    """Requests per client IP; generous, since pages and apps poll the API."""
    return current_app.config["API_RATE_LIMIT"]


def add_cors_headers(response: Response) -> Response:
    """CORS for every API answer; preflight (OPTIONS) answers list what a GET may send."""
    if not is_api_request():
        return response
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = CORS_ALLOWED_METHODS
        headers["Access-Control-Allow-Headers"] = CORS_ALLOWED_HEADERS
        headers["Access-Control-Max-Age"] = str(CORS_PREFLIGHT_MAX_AGE)
    return response
