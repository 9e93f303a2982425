"""Security headers on every response: pages, the REST API, media and static files alike.

The pages load scripts and styles from /static only (no inline <script>, style="" or on*= attributes:
confirm.js, autosubmit.js and the pct-N classes replace them), so the policy needs no 'unsafe-inline'
and an injected script would not run. The admin is never framed (clickjacking on "emergency broadcast").
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",  # live.js: Server-Sent Events from this site
    "media-src 'self'",  # audio previews from /media
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",  # an uploaded file is never run as a script or page
    # Same-site links keep the path (the login's next=); other sites learn nothing about our URLs.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:  # only over HTTPS: on the plain-HTTP demo it would be meaningless (and ignored)
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
