"""Issue 14, item 4: people read words, never codes, JSON or UTC: as-run notes, bulletin notes, exports, audit log."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_monitoring import START, START_MS, add_bulletin_with_runs
from web_support import PASSWORD, AuthActions, Seed, add_article_with_audio

from radio.db.governance import AuditEntry
from radio.db.models import Bulletin, Outcome
from web.labels import round_half_up, whole_seconds
from web.notes import asrun_note, status_note

VN = ZoneInfo("Asia/Ho_Chi_Minh")
EMERGENCY_CUT = json.dumps({"played_ms": 41_150, "reason": "emergency"})
CODES = ("played_ms", "normal", "completed", "interrupted", "emergency", "+00:00")


@pytest.mark.parametrize(("outcome", "detail", "attempt", "vi"), [
    ("interrupted", EMERGENCY_CUT, 1, "Dừng sau 41 giây: nhường bản tin khẩn cấp"),
    ("interrupted", '{"played_ms": 67344, "reason": "stop"}', 1, "Dừng sau 1 phút 7 giây: có lệnh dừng phát"),
    ("interrupted", '{"played_ms": 0, "reason": "stopped before start"}', 1, "Huỷ trước giờ phát"),
    ("completed", '{"played_ms": 60000}', 2, "Phát lại sau khi bị ngắt"),
    ("completed", '{"played_ms": 60000}', 1, ""),
    ("missed", "late by 67344 ms (tolerance 5000 ms)", 1,
     "Không phát vì tới muộn 1 phút 7 giây (chỉ cho phép 5 giây) để các loa không lệch tiếng"),
    ("failed", "media not available after 4 attempts: timed out", 1,
     "Không tải được âm thanh sau 4 lần thử: kiểm tra mạng của cụm loa"),
    ("rejected", "not addressed to this node (targets: 38001-03)", 1, "Lệnh không dành cho cụm loa này"),
    ("missed", "no report from the node", 1, "Cụm loa không báo kết quả"),
])
def test_as_run_notes_are_sentences(app: Flask, outcome: str, detail: str, attempt: int, vi: str) -> None:
    with app.test_request_context("/"):
        assert asrun_note(outcome, detail, attempt) == vi
    with app.test_request_context("/?lang=en"):
        english = asrun_note(outcome, detail, attempt)
        assert english == "" if not vi else english and not any(c in english for c in "ạảấầđờ")


def test_english_note_and_local_time_queue_note(app: Flask) -> None:
    with app.test_request_context("/?lang=en"):
        assert asrun_note("interrupted", EMERGENCY_CUT) == "Stopped after 41 s: made way for an emergency bulletin"
    stored = "Đã xếp nối tiếp do trùng giờ (dự kiến ban đầu 2026-12-02T02:00:00+00:00)."
    with app.test_request_context("/"):
        # A 09:00 choice in Vietnam is 02:00 UTC: the note says 09:00, in local time, never the ISO string.
        assert status_note(stored, VN) == "Đã xếp nối tiếp do trùng giờ (dự kiến ban đầu 09:00 02/12/2026)."
    with app.test_request_context("/?lang=en"):
        assert status_note(stored, VN) == ("Queued back to back because of an overlap "
                                           "(first planned for 09:00 02/12/2026).")


def test_one_rounding_rule() -> None:
    # Python's round() says 2.67 for 2.675 (binary floats); people and Excel say 2.68.
    assert round_half_up(2.675, 2) == 2.68 and round(2.675, 2) == 2.67
    assert whole_seconds(1_428_500) == 1429 and whole_seconds(2_500) == 3 and whole_seconds(None) is None


def _cut_and_replayed(db: Session) -> Bulletin:
    return add_bulletin_with_runs(db, [
        {"node_id": "loa-dong-1", "started_at_ms": START_MS + 67_344, "played_ms": 41_150,
         "outcome": Outcome.INTERRUPTED, "detail": EMERGENCY_CUT, "attempt": 1},
        {"node_id": "loa-dong-1", "started_at_ms": START_MS + 200_000, "played_ms": 61_000,
         "outcome": Outcome.COMPLETED, "detail": '{"played_ms": 61000}', "attempt": 2},
    ])


def test_bulletin_and_as_run_pages_say_words(client: FlaskClient, auth: AuthActions, db: Session,
                                             seed: Seed) -> None:
    bulletin = _cut_and_replayed(db)
    auth.login()
    for path in (f"/bulletins/{bulletin.id}", "/asrun/"):
        html = client.get(path).get_data(as_text=True)
        assert "Dừng sau 41 giây: nhường bản tin khẩn cấp" in html, path
        assert "Phát lại sau khi bị ngắt" in html, path
        assert "played_ms" not in html and "+67344 ms" not in html, path
    html = client.get(f"/bulletins/{bulletin.id}").get_data(as_text=True)
    assert "p50" not in html and "p99" not in html and "phần lớn cụm loa bắt đầu" in html
    assert "trễ 1 phút 7 giây" in client.get("/asrun/").get_data(as_text=True)


def test_as_run_exports_use_the_page_words(app: Flask, db: Session, seed: Seed) -> None:
    _cut_and_replayed(db)
    client = app.test_client()
    client.post("/login", data={"username": "quantri", "password": PASSWORD})
    period = f"area={seed.commune_id}&from={START.astimezone(VN):%Y-%m-%d}&to={START.astimezone(VN):%Y-%m-%d}"
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/asrun.csv?{period}").data.decode("utf-8-sig"))))
    assert rows[0][1] == "Mức ưu tiên" and rows[0][7] == "Kết quả"
    cells = {c for r in rows[1:] for c in r}
    assert {"Thường", "bị ngắt", "hoàn thành", "Dừng sau 41 giây: nhường bản tin khẩn cấp"} <= cells
    assert not [c for c in cells for code in CODES if code in c]
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/asrun.xlsx?{period}").data)).active
    values = {str(c.value) for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None}
    assert {"Thường", "bị ngắt", "hoàn thành"} <= values and not [v for v in values for c in CODES if c in v]
    english = client.get(f"/reports/asrun.csv?{period}&lang=en").data.decode("utf-8-sig")
    assert "Priority" in english and "interrupted" in english and "Normal" in english and "Thường" not in english


def test_audit_log_names_titles_actions_times_and_villages(app: Flask, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db, title="Họp dân thôn Đông")
    client = app.test_client()
    client.post("/login", data={"username": "bientap", "password": PASSWORD})
    start = (datetime.now(UTC) + timedelta(days=2)).astimezone(VN).replace(hour=9, minute=0, second=0, microsecond=0)
    response = client.post("/bulletins/new", data={
        "article_id": article.id, "priority": "normal", "placement": "time", "on_overlap": "refuse",
        "start_local": f"{start:%Y-%m-%dT%H:%M}", "area_ids": [seed.village_dong_id, seed.village_tay_id]})
    assert response.status_code == 302, response.get_data(as_text=True)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "bulletin.create")).one()
    assert entry.after is not None and sorted(entry.after["targets"]) == ["Thôn Tây", "Thôn Đông"]
    bulletin_id = int(entry.object_id)
    db.add(AuditEntry(at=datetime.now(UTC), username="bientap", user_id=seed.broadcaster_id,
                      action="bulletin.reschedule", object_type="bulletin", object_id=str(bulletin_id),
                      area_id=seed.commune_id, before={"start_at": start.astimezone(UTC).isoformat()},
                      after={"start_at": (start + timedelta(hours=1)).astimezone(UTC).isoformat()}))
    db.commit()
    client.post("/logout")
    client.post("/login", data={"username": "lanhdao", "password": PASSWORD})
    html = client.get("/audit/").get_data(as_text=True)
    table = html.split('<table class="audit">', 1)[1]
    assert "Đổi giờ phát bản tin" in table and "bulletin.reschedule" not in table
    assert "Bản tin “Họp dân thôn Đông”" in table and "bulletin #" not in table
    assert f"Giờ phát: 09:00 {start:%d/%m/%Y} → 10:00 {start:%d/%m/%Y}" in table
    assert "Nơi phát: Thôn" in table and "{" not in table.split("</table>")[0]
    english = client.get("/audit/?lang=en").get_data(as_text=True).split('<table class="audit">', 1)[1]
    assert "Reschedule bulletin" in english and "Air time: 09:00" in english
    assert "Browser" not in english and ">Write<" not in english
    rows = list(csv.reader(io.StringIO(client.get("/audit/export.csv?lang=vi").data.decode("utf-8-sig"))))
    moved = next(r for r in rows[1:] if r[2] == "Đổi giờ phát bản tin")
    assert moved[3] == "Bản tin “Họp dân thôn Đông”" and moved[6].startswith("Giờ phát: 09:00")
