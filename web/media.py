"""Audio files for nodes and previews: GET /media/<sha256>.mp3 with ETag and Range support."""

from __future__ import annotations

import re

from flask import Blueprint, abort, send_file
from flask.typing import ResponseReturnValue

from web.context import radio_ctx

bp = Blueprint("media", __name__)
# The name is a content hash and nothing else: it can never be a path, a dot-dot or an upper-case alias.
SHA256 = re.compile(r"[0-9a-f]{64}")
# Content-addressed files never change under the same name, so caches may keep them for good.
MAX_AGE_S = 365 * 24 * 3600


@bp.get("/media/<sha>.mp3")
def serve(sha: str) -> ResponseReturnValue:
    if not SHA256.fullmatch(sha):
        abort(400)
    try:
        path = radio_ctx().audio_library.path_for(sha)
    except (KeyError, ValueError, FileNotFoundError):
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="audio/mpeg", conditional=True, etag=True, max_age=MAX_AGE_S)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE_S}, immutable"
    return response
