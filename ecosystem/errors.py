"""Error pages in the user's language; JSON errors for API clients."""

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you entered and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you are looking for does not exist or has moved.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request.")),
    413: (_l("File too large"), _l("What you sent is larger than this site accepts.")),
    422: (_l("Invalid data"), _l("Some of the data you sent is not valid.")),
    429: (
        _l("Too many attempts"),
        _l("You tried too many times in a short while. Please wait a few minutes and try again."),
    ),
    500: (_l("Something went wrong"), _l("An error occurred on our side. It has been logged; please try again later.")),
    503: (_l("Service unavailable"), _l("The service is temporarily unavailable. Please try again later.")),
}


def _wants_json() -> bool:
    accepted = request.accept_mimetypes
    return request.path.startswith("/api/") or accepted["application/json"] > accepted["text/html"]


def render_error(code: int, detail: str | None = None):
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if _wants_json():
        return {"error": {"code": code, "message": str(detail or message)}}, code
    return render_template("errors/error.html", code=code, title=title, message=message, detail=detail), code


def handle_http_error(error: HTTPException):
    code = error.code or 500
    # abort(400, description=...) in our code carries a message meant for the user;
    # Werkzeug's stock English descriptions are replaced by the translated texts.
    detail = error.description if error.description != type(error).description else None
    body, code = render_error(code, detail)
    # Keep the exception's own headers (Allow on a 405, Retry-After, ...), not its HTML content type.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return body, code, headers


def handle_csrf_error(error: CSRFError):
    return render_error(
        400, _l("The form has expired or was not sent from this site. Please reload the page and try again.")
    )


def handle_rate_limit(error: HTTPException):
    return render_error(429)


def handle_unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    return render_error(500)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(429, handle_rate_limit)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected_error)
