"""Security headers on every response."""

from flask import Flask, Response, current_app


def content_security_policy() -> str:
    extra_script = " ".join(current_app.config.get("CSP_EXTRA_SCRIPT_SRC", ()))
    extra_frame = " ".join(current_app.config.get("CSP_EXTRA_FRAME_SRC", ()))
    extra_connect = " ".join(current_app.config.get("CSP_EXTRA_CONNECT_SRC", ()))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {extra_script}".strip(),
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' {extra_connect}".strip(),
            f"frame-src 'self' {extra_frame}".strip(),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(set_security_headers)
