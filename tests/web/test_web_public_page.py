"""The residents' page and podcast feed (web/public.py): public, only aired and approved items, light."""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from flask import Flask
from flask.testing import FlaskClient
from public_support import add_airing
from sqlalchemy.orm import Session
from web_support import FakeAudioLibrary, Seed

from radio.db.models import ArticleStatus, BulletinStatus, Outcome
from radio.db.types import utcnow

PAGE = "/xa/99001/"
FEED = "/xa/99001/rss.xml"


@pytest.fixture
def archive(db: Session, seed: Seed, fake_audio: FakeAudioLibrary) -> dict[str, int]:
    """Five An Bình articles, two of which residents may hear; one of Phú Lộc."""
    now = utcnow()
    aired_old = add_airing(db, seed, fake_audio, "Lịch tiêm phòng cho gia súc", start_at=now - timedelta(days=2))
    aired_new = add_airing(db, seed, fake_audio, "Phòng chống bão số 3", start_at=now - timedelta(hours=2))
    # The same article aired again later: one item, dated by its newest airing.
    add_airing(db, seed, fake_audio, "", article=aired_old, start_at=now - timedelta(days=1))
    add_airing(db, seed, fake_audio, "Bản tin chưa duyệt", article_status=ArticleStatus.SUBMITTED)
    add_airing(db, seed, fake_audio, "Bản tin không phát được", outcome=Outcome.MISSED)
    add_airing(db, seed, fake_audio, "Bản tin đã huỷ", bulletin_status=BulletinStatus.CANCELLED)
    add_airing(db, seed, fake_audio, "Nhạc hiệu mở đầu", kind="sign_on")
    add_airing(db, seed, fake_audio, "Tin của Phú Lộc", commune_id=seed.other_commune_id)
    return {"old": aired_old.id, "new": aired_new.id}


def titles(html: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", html)


def test_page_lists_only_aired_approved_items_newest_first_without_login(client: FlaskClient,
                                                                          archive: dict[str, int]) -> None:
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert titles(html) == ["Phòng chống bão số 3", "Lịch tiêm phòng cho gia súc"]
    for hidden in ("chưa duyệt", "không phát được", "đã huỷ", "Nhạc hiệu", "Phú Lộc"):
        assert hidden not in html
    assert html.count('<audio controls preload="none"') == 2
    assert "<script" not in html
    # Nothing of the admin: no menu, no login link, no media hash.
    for admin in ("/articles", "/bulletins", "/login", "/media/", "logout"):
        assert admin not in html
    assert "Giờ Việt Nam" in html


def test_search_ignores_case_and_diacritics(client: FlaskClient, archive: dict[str, int]) -> None:
    assert titles(client.get(PAGE, query_string={"q": "BAO SO"}).get_data(as_text=True)) == ["Phòng chống bão số 3"]
    assert titles(client.get(PAGE, query_string={"q": "gia súc"}).get_data(as_text=True)) == [
        "Lịch tiêm phòng cho gia súc"]
    empty = client.get(PAGE, query_string={"q": "không có"}).get_data(as_text=True)
    assert titles(empty) == [] and "Không có bản tin nào khớp" in empty


def test_withdrawn_article_disappears_from_page_feed_and_audio(client: FlaskClient, db: Session,
                                                               archive: dict[str, int]) -> None:
    audio_url = f"/xa/99001/nghe/{archive['new']}.mp3"
    with client.get(audio_url) as response:
        assert response.status_code == 200 and response.mimetype == "audio/mpeg"
    from radio.db.models import Article

    db.get(Article, archive["new"]).status = ArticleStatus.REJECTED  # type: ignore[union-attr]
    db.commit()
    assert "Phòng chống bão" not in client.get(PAGE).get_data(as_text=True)
    assert "Phòng chống bão" not in client.get(FEED).get_data(as_text=True)
    assert client.get(audio_url).status_code == 404


def test_audio_of_unpublished_items_and_other_communes_is_refused(client: FlaskClient, db: Session, seed: Seed,
                                                                  fake_audio: FakeAudioLibrary,
                                                                  archive: dict[str, int]) -> None:
    draft = add_airing(db, seed, fake_audio, "Nháp", article_status=ArticleStatus.DRAFT)
    assert client.get(f"/xa/99001/nghe/{draft.id}.mp3").status_code == 404
    assert client.get(f"/xa/99002/nghe/{archive['new']}.mp3").status_code == 404  # An Bình's, asked as Phú Lộc's
    assert client.get("/xa/99001-01/").status_code == 404  # a village is not a commune
    assert client.get("/xa/99/").status_code == 404  # nor a province
    assert client.get("/xa/..%2Fetc/").status_code == 404


def test_audio_supports_range_for_players(client: FlaskClient, fake_audio: FakeAudioLibrary,
                                          archive: dict[str, int]) -> None:
    with client.get(f"/xa/99001/nghe/{archive['new']}.mp3", headers={"Range": "bytes=0-99"}) as response:
        assert response.status_code == 206 and len(response.data) == 100


def test_feed_is_valid_podcast_rss_with_enclosures(client: FlaskClient, fake_audio: FakeAudioLibrary,
                                                   archive: dict[str, int]) -> None:
    response = client.get(FEED)
    assert response.status_code == 200 and response.mimetype == "application/rss+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Đài truyền thanh Xã An Bình"
    assert [e.title for e in parsed.entries] == ["Phòng chống bão số 3", "Lịch tiêm phòng cho gia súc"]
    first = parsed.entries[0]
    (enclosure,) = first.enclosures
    assert enclosure.type == "audio/mpeg"
    assert enclosure.href.endswith(f"/xa/99001/nghe/{archive['new']}.mp3")
    with client.get(enclosure.href) as audio:  # the enclosure's length is the bytes actually served
        assert int(enclosure.length) == len(audio.data) > 0
    assert first.id and first.guidislink is False
    assert first.itunes_duration == "1:01"
    published = parsedate_to_datetime(first.published)  # RFC 822, in Vietnam time
    assert published.utcoffset() == timedelta(hours=7)
    assert abs((published - (utcnow() - timedelta(hours=2))).total_seconds()) < 120
    assert "http://www.itunes.com/dtds/podcast-1.0.dtd" in parsed.namespaces.values()


def test_page_weight_before_audio_is_under_100_kb(client: FlaskClient, archive: dict[str, int],
                                                  db: Session, seed: Seed, fake_audio: FakeAudioLibrary) -> None:
    for i in range(60):  # a full page (the list stops at 50 items)
        add_airing(db, seed, fake_audio, f"Thông báo số {i} về lịch thu gom rác thải và vệ sinh môi trường")
    html = client.get(PAGE).data
    assert len(titles(html.decode())) == 50
    stylesheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheets and not re.search(rb"<script|<img", html)
    css = 0
    for href in stylesheets:
        with client.get(href.decode()) as response:  # closed: static files are sent from an open file
            css += len(response.data)
    assert len(html) + css < 100_000, (len(html), css)


def test_unknown_commune_is_404_and_pages_carry_security_headers(client: FlaskClient, seed: Seed) -> None:
    assert client.get("/xa/12345/").status_code == 404
    response = client.get(PAGE)
    assert "Chưa có bản tin nào" in response.get_data(as_text=True)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


@pytest.fixture
def limited_app(settings, fake_audio: FakeAudioLibrary) -> Flask:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from radio.db.migrate import upgrade
    from web import create_app

    # A day-long window: the fixed window must not roll over between the requests of a slow test run.
    limited = replace(settings, public_rate_per_address=3, api_rate_window_s=86_400)
    limited.ensure_dirs()
    upgrade(limited.db_url)
    return create_app(limited, audio_library=fake_audio, test_config={"TESTING": True})


def test_public_pages_are_rate_limited_per_address(limited_app: Flask) -> None:
    with limited_app.extensions["radio"].sessionmaker() as db:
        from web_support import seed_database

        seed_database(db)
    client = limited_app.test_client()
    codes = [client.get(PAGE).status_code for _ in range(3)]
    refused = client.get(FEED)
    assert codes == [200, 200, 200] and refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    other = limited_app.test_client().get(PAGE, environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other.status_code == 200  # another address has its own budget
