"""The loudspeaker page: health from the last heartbeat, recent as-run, provisioning info without secrets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed

from radio.db.models import AsRun, AudioAssetRow, Bulletin, CommandRow, Node, Outcome
from radio.db.types import utcnow
from web.live import file_size
from web.node_detail import format_uptime


def _healthy(db: Session, **changes: object) -> Node:
    node = db.get(Node, "loa-dong-1")
    values = {"heartbeat_at": utcnow(), "volume": 70, "clock_offset_ms": 12, "cache_bytes": 300_000_000,
              "cache_limit_bytes": 1_000_000_000, "outbox": 2, "uptime_s": 90_061, "status_at": utcnow()}
    for name, value in (values | changes).items():
        setattr(node, name, value)
    db.commit()
    return node


def test_node_page_shows_health_fields(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    _healthy(db)
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    for text in ("Cụm loa Đông 1", "Trực tuyến", "Nhịp tim gần nhất", "+12 ms", "300,0 MB / 1,0 GB (30%)",
                 'class="pct-30"', "0.1.0", "1 d 01:01", 'data-field="outbox">2<'):
        assert text in html, text
    assert "Lệch quá 50 ms" in html and 'data-field="clock_warn" class="warn-text" hidden' in html


def test_clock_offset_above_50_ms_is_flagged(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    _healthy(db, clock_offset_ms=-73)
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    assert 'class="warn">-73 ms' in html and 'data-field="clock_warn" class="warn-text">' in html


def test_current_item_and_recent_as_run_are_listed(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    now = utcnow()
    bulletin = Bulletin(title="Thông báo tiêm chủng", start_at=now,
                        audio=AudioAssetRow(sha256="d" * 64, duration_ms=20_000, size_bytes=1, engine="upload"))
    db.add(bulletin)
    db.flush()
    db.add(CommandRow(id="cmd-9", bulletin_id=bulletin.id, kind="play", topics=[], payload="", issued_at=now,
                      start_at=now, expires_at=now + timedelta(minutes=5)))
    db.flush()
    db.add(AsRun(command_id="cmd-9", bulletin_id=bulletin.id, node_id="loa-dong-1", scheduled_start=now,
                 requested_ms=20_000, outcome=Outcome.COMPLETED, played_ms=20_000))
    _healthy(db, current_command_id="cmd-9")
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    assert html.count("Thông báo tiêm chủng") == 2  # now playing, and in the as-run table
    assert "hoàn thành" in html and "20,0" in html


def test_provisioning_shows_user_topics_and_command_but_no_secret(client: FlaskClient, auth: AuthActions,
                                                                  seed: Seed) -> None:
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    assert "<code>loa-dong-1</code>" in html
    for topic in ("radio/v1/node/loa-dong-1/cmd", "radio/v1/area/99001-01/cmd", "radio/v1/area/99001/cmd",
                  "radio/v1/area/99/cmd"):
        assert topic in html, topic
    assert "radio node provision --node-id loa-dong-1 --village 99001-01 --name &#39;Cụm loa Đông 1&#39;" in html
    assert "password" not in html.lower().replace("passwd", "")


def test_unknown_node_is_404(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    assert client.get("/nodes/khong-co").status_code == 404


def test_controls_only_in_the_users_area_and_list_links_to_the_page(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    assert "/controls/nodes/loa-dong-1/stop" in client.get("/nodes/loa-dong-1").get_data(as_text=True)
    assert "/controls/nodes/loa-bac-1/stop" not in client.get("/nodes/loa-bac-1").get_data(as_text=True)
    listing = client.get("/nodes/").get_data(as_text=True)
    assert 'href="/nodes/loa-dong-1"' in listing and 'data-node-id="loa-dong-1"' in listing
    assert "/static/js/live.js" in listing and 'data-live-url="/live/stream"' in listing


@pytest.mark.parametrize(("value", "text"), [(None, "—"), (512, "512 B"), (1_500, "1,5 kB"),
                                             (320_000_000, "320,0 MB"), (2_000_000_000, "2,0 GB")])
def test_file_sizes_read_like_a_disk(value: int | None, text: str) -> None:
    assert file_size(value) == text


def test_uptime_in_days_hours_minutes() -> None:
    assert format_uptime(None) == "—" and format_uptime(3_660) == "01:01" and format_uptime(86_400) == "1 d 00:00"


def test_node_page_shows_the_boxs_telemetry_in_words(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    _healthy(db, temperature_c=48.0, mains_on=False, mains_lost_at=datetime(2026, 12, 2, 7, 5, tzinfo=UTC),
             signal_dbm=-85, network="4G", storage_free_bytes=1_200_000_000, storage_total_bytes=8_000_000_000,
             latitude=10.0452, longitude=105.7469, amplifier_on=True)
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    for text in ('data-field="temperature">48 °C<', "Mất điện lưới từ 14:05 02/12",  # 07:05 UTC is 14:05 local
                 'data-field="signal">4G \u221285 dBm<', "Còn 1,2 GB / 8 GB", "Vị trí", "10.0452, 105.7469",
                 'data-field="amplifier">Có điện<'):
        assert text in html, text
    assert 'data-field="mains" class="warn-text"' in html
    english = client.get("/nodes/loa-dong-1?lang=en").get_data(as_text=True)
    for text in ("Temperature", "Mains power lost since 14:05 02/12", "1.2 GB free of 8 GB", "Signal"):
        assert text in english, text


def test_node_page_flags_heat_weak_signal_and_a_silent_amplifier(client: FlaskClient, auth: AuthActions,
                                                                 db: Session) -> None:
    _healthy(db, temperature_c=78.5, signal_dbm=-112, network="3G", amplifier_on=False, mains_on=True,
             storage_free_bytes=100_000_000, storage_total_bytes=8_000_000_000)
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    for text in ("78,5 °C: quá nóng", "3G \u2212112 dBm: yếu", "Không có điện: loa không kêu", "Có điện lưới",
                 'data-field="storage" class="warn-text"'):
        assert text in html, text
    assert "Vị trí" not in html  # no position configured: nothing is shown rather than a dash


def test_node_page_without_telemetry_shows_none_of_it(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    _healthy(db)
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    assert all(f'data-field="{f}"' not in html for f in ("temperature", "mains", "signal", "storage", "position"))


def test_the_node_list_says_which_boxes_need_a_visit(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    """The list's "Thiết bị" column: each box's warnings in words, "Bình thường" when it reports and nothing is
    wrong, a dash when it reports no telemetry at all."""
    _healthy(db, temperature_c=78.5, mains_on=False, mains_lost_at=datetime(2026, 12, 2, 7, 5, tzinfo=UTC),
             signal_dbm=-80, network="4G")
    west = db.get(Node, "loa-tay-1")
    west.temperature_c, west.mains_on, west.amplifier_on = 41.0, True, True
    db.commit()
    auth.login()
    html = client.get("/nodes/").get_data(as_text=True)
    assert ('data-field="device" class="warn-text">Nhiệt độ: 78,5 °C: quá nóng; Mất điện lưới từ 14:05 02/12<'
            in html)
    assert 'data-field="device">Bình thường<' in html
    english = client.get("/nodes/?lang=en").get_data(as_text=True)
    assert "Mains power lost since 14:05 02/12" in english and ">Normal<" in english
    db.get(Node, "loa-dong-1").temperature_c = None
    for name in ("temperature_c", "mains_on", "amplifier_on"):
        setattr(west, name, None)
    db.get(Node, "loa-dong-1").mains_on = None
    db.get(Node, "loa-dong-1").signal_dbm = None
    db.get(Node, "loa-dong-1").network = None
    db.commit()
    html = client.get("/nodes/").get_data(as_text=True)
    assert html.count('data-field="device">—<') == 2
