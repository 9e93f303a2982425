"""Audio files for nodes and previews: GET /media/<sha256>.mp3 with ETag and Range support."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, send_file
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
    prefix = radio_ctx().settings.media_accel_prefix
    if prefix:
        # nginx sends the file from its `internal` location (sendfile, Range, ETag, If-None-Match): the web only
        # decided that this name exists. deploy/nginx-commune-radio.conf has the matching location.
        response = Response(status=200, mimetype="audio/mpeg")
        # The file's place under the audio directory (the library shards by hash), which nginx aliases.
        relative = path.resolve().relative_to(radio_ctx().settings.audio_dir.resolve()).as_posix()
        response.headers["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{relative}"
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE_S}, immutable"
        return response
    response = send_file(path, mimetype="audio/mpeg", conditional=True, etag=True, max_age=MAX_AGE_S)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE_S}, immutable"
    return response
