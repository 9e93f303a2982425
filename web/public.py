"""The residents' page: no login, one page and one podcast feed per commune, only aired and approved items.

/xa/<commune code>/            list (newest first), GET search, <audio> players: no JavaScript needed
/xa/<commune code>/rss.xml     RSS 2.0 with the iTunes namespace, for podcast apps
/xa/<commune code>/nghe/<article id>.mp3   the audio of a public item, and only of a public item

Why a route of its own for audio rather than /media/<sha256>.mp3: /media serves any stored file to whoever
knows its hash and lets caches keep it for a year; a withdrawn bulletin must stop being served at once, and the
public page must never reveal hashes of other files. Nothing here links to the admin: its own small template
base (public/base.html) and stylesheet (public.css), and its own rate limit per client address.
"""

from __future__ import annotations

from email.utils import format_datetime
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from radio.db.models import Area
from station.public_archive import MAX_QUERY_CHARS, PublicItem, find_commune, find_item, list_items
from web.api import rate_limit
from web.audio_assets import format_duration
from web.authz import remote_addr
from web.context import get_db, radio_ctx

bp = Blueprint("public", __name__, url_prefix="/xa")
ENDPOINTS = frozenset({"public.page", "public.feed", "public.audio"})
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# Public lists change when something airs: short enough that a withdrawal shows within minutes.
LIST_MAX_AGE_S = 60
AUDIO_MAX_AGE_S = 600


@bp.before_request
def _limit() -> ResponseReturnValue | None:
    return rate_limit.refuse_over_limit(
        f"public:{remote_addr()}", radio_ctx().settings.public_rate_per_address,
        lambda wait_s: Response(_("Quá nhiều yêu cầu. Hãy thử lại sau %(seconds)s giây.", seconds=wait_s),
                                mimetype="text/plain"))


def _commune_or_404(code: str) -> Area:
    commune = find_commune(get_db(), code)
    if commune is None:
        abort(404)
    return commune


@bp.get("/<code>/")
def page(code: str) -> ResponseReturnValue:
    commune = _commune_or_404(code)
    query = request.args.get("q", "")[:MAX_QUERY_CHARS]
    items = list_items(get_db(), commune.id, query)
    response = Response(render_template("public/page.html", commune=commune, items=items, query=query))
    response.headers["Cache-Control"] = f"public, max-age={LIST_MAX_AGE_S}"
    response.vary.add("Cookie")  # the language may come from the lang cookie: caches must keep both versions
    return response


@bp.get("/<code>/nghe/<int:article_id>.mp3")
def audio(code: str, article_id: int) -> ResponseReturnValue:
    commune = _commune_or_404(code)
    item = find_item(get_db(), commune.id, article_id)
    if item is None:
        abort(404)
    try:
        path = radio_ctx().audio_library.path_for(item.sha256)
    except (KeyError, ValueError, FileNotFoundError):
        abort(404)
    if not path.is_file():
        abort(404)
    # Range requests (conditional=True): podcast apps and <audio> seek and resume over 3G.
    response = send_file(path, mimetype="audio/mpeg", conditional=True, etag=item.sha256,
                         max_age=AUDIO_MAX_AGE_S, download_name=f"{article_id}.mp3")
    response.headers["Cache-Control"] = f"public, max-age={AUDIO_MAX_AGE_S}"
    return response


@bp.get("/<code>/rss.xml")
def feed(code: str) -> ResponseReturnValue:
    commune = _commune_or_404(code)
    items = list_items(get_db(), commune.id)
    body = build_feed(commune, items)
    response = Response(body, mimetype="application/rss+xml")
    response.headers["Cache-Control"] = f"public, max-age={LIST_MAX_AGE_S}"
    return response


def build_feed(commune: Area, items: list[PublicItem]) -> bytes:
    """RSS 2.0 + iTunes tags: one <item> per public article with an MP3 enclosure (url, length, type)."""
    tz = radio_ctx().tz
    ET.register_namespace("itunes", ITUNES)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    title = _("Đài truyền thanh %(name)s", name=commune.name)
    page_url = url_for("public.page", code=commune.code, _external=True)
    _text(channel, "title", title)
    _text(channel, "link", page_url)
    _text(channel, "description", _("Các bản tin đã phát trên loa của %(name)s.", name=commune.name))
    _text(channel, "language", "vi")
    _text(channel, f"{{{ITUNES}}}author", title)
    _text(channel, f"{{{ITUNES}}}explicit", "false")
    ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": "News"})
    if items:
        _text(channel, "lastBuildDate", format_datetime(items[0].aired_at.astimezone(tz)))
    for item in items:
        entry = ET.SubElement(channel, "item")
        _text(entry, "title", item.title)
        _text(entry, "link", page_url)
        _text(entry, "description", item.title)
        audio_url = url_for("public.audio", code=commune.code, article_id=item.article_id, _external=True)
        ET.SubElement(entry, "enclosure", {"url": audio_url, "length": str(item.size_bytes), "type": "audio/mpeg"})
        # Same article, same audio → same guid, however often it re-airs; new audio is a new episode.
        guid = ET.SubElement(entry, "guid", {"isPermaLink": "false"})
        guid.text = f"{commune.code}-{item.article_id}-{item.sha256[:16]}"
        _text(entry, "pubDate", format_datetime(item.aired_at.astimezone(tz)))
        _text(entry, f"{{{ITUNES}}}duration", format_duration(item.duration_ms))
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text
