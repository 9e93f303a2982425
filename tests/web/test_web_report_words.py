"""Issue 14, item 6: the period report opens on today's period, says what its rows are, takes real dates, rounds
like the dashboard and its exports, explains a replay, and speaks English too."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed

from radio.db.models import AsRun, AudioAssetRow, Bulletin, BulletinTarget, CommandRow
from radio.db.types import utcnow

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _today():
    return utcnow().astimezone(VN).date()


def _air(db: Session, seed: Seed, runs: list[tuple[str, str, int, int, str]], duration_ms: int) -> None:
    """One bulletin at 00:30 today (local) on Xã An Bình: runs are (node, outcome, attempt, played_ms, detail)."""
    start = datetime.combine(_today(), time(0, 30), VN).astimezone(UTC)
    audio = AudioAssetRow(sha256=uuid.uuid4().hex * 2, duration_ms=duration_ms, size_bytes=1, engine="espeak-ng")
    db.add(audio)
    db.flush()
    bulletin = Bulletin(title="Tin trưa", audio_id=audio.id, start_at=start, priority="normal", status="done")
    bulletin.targets = [BulletinTarget(area_id=seed.commune_id)]
    db.add(bulletin)
    db.flush()
    cmd = CommandRow(id=str(uuid.uuid4()), bulletin_id=bulletin.id, kind="play", topics=[], payload="{}",
                     issued_at=start, start_at=start, expires_at=start + timedelta(hours=1))
    db.add(cmd)
    db.flush()
    start_ms = int(start.timestamp() * 1000)
    for node, outcome, attempt, played, detail in runs:
        db.add(AsRun(command_id=cmd.id, bulletin_id=bulletin.id, node_id=node, scheduled_start=start,
                     requested_ms=duration_ms, started_at_ms=start_ms, played_ms=played, outcome=outcome,
                     attempt=attempt, detail=detail))
    db.commit()


def test_period_report_opens_on_the_current_month(client: FlaskClient, auth: AuthActions, seed: Seed) -> None:
    auth.login("quantri")
    today = _today()
    html = client.get(f"/reports/period?area={seed.commune_id}").get_data(as_text=True)
    assert f"Tháng {today.month}/{today.year}" in html
    assert re.search(rf'id="n"[^>]*value="{today.month}"', html)
    # Real date pickers with a bound, not free text with a placeholder.
    assert re.search(r'<input type="date" id="from"', html) and re.search(r'<input type="date" id="to"', html)
    assert 'type="number" id="year"' in html


@pytest.mark.parametrize(("query", "message"), [
    ("period=custom&from=2025-06-30&to=2025-01-01", "“Từ ngày” phải trước “Đến ngày”"),
    ("period=custom&from=2025-06-30", "Kỳ tự chọn cần cả “Từ ngày” và “Đến ngày”"),
])
def test_bad_custom_dates_are_explained(client: FlaskClient, auth: AuthActions, seed: Seed, query: str,
                                        message: str) -> None:
    auth.login("quantri")
    html = client.get(f"/reports/period?area={seed.commune_id}&{query}").get_data(as_text=True)
    assert message in html and f"Tháng {_today().month}/{_today().year}" in html


def test_province_report_never_calls_communes_villages(client: FlaskClient, auth: AuthActions, seed: Seed) -> None:
    auth.login("giamsat")
    html = client.get(f"/reports/period?area={seed.province_id}&group=village").get_data(as_text=True)
    assert 'id="group-notice"' in html and "ở cấp này báo cáo theo xã" in html
    header = html.split('<table class="report">', 1)[1].split("</th>", 1)[0]
    assert header.endswith(">Xã") and "Xã An Bình" in html
    assert '<option value="village"' not in html  # not offered where it cannot mean villages
    commune = client.get(f"/reports/period?area={seed.commune_id}").get_data(as_text=True)
    assert '<option value="village"' in commune and "Thôn Đông" in commune


def test_dashboard_report_csv_and_xlsx_round_alike(client: FlaskClient, auth: AuthActions, db: Session,
                                                   seed: Seed) -> None:
    # 1,428.6 s played: the dashboard used to floor it (1.428) while the report rounded it (1.429).
    _air(db, seed, [("loa-dong-1", "completed", 1, 1_428_600, "")], duration_ms=1_500_000)
    auth.login("quantri")
    dashboard = client.get(f"/reports/area/{seed.commune_id}").get_data(as_text=True)
    assert "1.429 / 1.500" in dashboard and "1.428" not in dashboard
    cols = "col=played_s&col=requested_s"
    page = client.get(f"/reports/period?area={seed.commune_id}&{cols}").get_data(as_text=True)
    total = page.split('class="total"', 1)[1].split("</tr>", 1)[0]
    assert ">1.429<" in total and ">1.500<" in total
    rows = list(csv.reader(io.StringIO(
        client.get(f"/reports/period.csv?area={seed.commune_id}&{cols}").data.decode("utf-8-sig"))))
    assert rows[-1] == ["Tổng cộng", "1429", "1500"]
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/period.xlsx?area={seed.commune_id}&{cols}").data))
    assert list(list(sheet["Báo cáo"].iter_rows(values_only=True))[-1]) == ["Tổng cộng", 1429, 1500]


def test_replay_is_explained_and_reasons_are_words_in_the_xlsx(client: FlaskClient, auth: AuthActions,
                                                                db: Session, seed: Seed) -> None:
    cut = json.dumps({"played_ms": 41_000, "reason": "emergency"})
    _air(db, seed, [("loa-dong-1", "interrupted", 1, 41_000, cut),
                    ("loa-dong-1", "completed", 2, 60_000, '{"played_ms": 60000}'),
                    ("loa-tay-1", "missed", 1, 0, "late by 7000 ms (tolerance 5000 ms)"),
                    ("loa-tay-1", "missed", 2, 0, "late by 9100 ms (tolerance 5000 ms)")], duration_ms=60_000)
    auth.login("quantri")
    html = client.get(f"/reports/period?area={seed.commune_id}").get_data(as_text=True)
    assert 'class="hint replay-note"' in html and "phát lại" in html
    reasons = html.split('<table class="reasons">', 1)[1].split("</table>", 1)[0]
    assert "nhường bản tin khẩn cấp" in reasons and "emergency" not in reasons
    assert reasons.count("Không phát vì tới muộn quá giới hạn cho phép") == 1  # 7 s and 9.1 s: one reason
    book = load_workbook(io.BytesIO(client.get(f"/reports/period.xlsx?area={seed.commune_id}").data))
    sheet = book["Lý do"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Kết quả", "Lý do", "Số lượt loa"]
    assert ["bỏ lỡ", "Không phát vì tới muộn quá giới hạn cho phép", 2] in rows
    assert ["bị ngắt", "nhường bản tin khẩn cấp", 1] in rows
    dashboard = client.get(f"/reports/area/{seed.commune_id}").get_data(as_text=True)
    assert 'class="hint replay-note"' in dashboard


def test_reports_and_plans_speak_english(client: FlaskClient, auth: AuthActions, seed: Seed) -> None:
    auth.login("quantri")
    client.get("/plans/?lang=en")  # shows (and so clears) the welcome message flashed in Vietnamese at login
    vietnamese = re.compile(r"[\u1ea0-\u1ef9đơưăàáâãèéêìíòóôõùúý]", re.IGNORECASE)
    for path in ("/reports/", f"/reports/period?area={seed.province_id}", f"/reports/area/{seed.province_id}",
                 f"/reports/area/{seed.commune_id}", f"/reports/asrun?area={seed.commune_id}", "/plans/",
                 "/plans/new", "/plans/topics", "/plans/import"):
        html = client.get(f"{path}{'&' if '?' in path else '?'}lang=en").get_data(as_text=True)
        main = html.split("<main", 1)[-1]
        # Names of places stay Vietnamese; every label around them is English.
        text = re.sub(r"<[^>]+>|Xã An Bình|Xã Phú Lộc|Tỉnh Thử Nghiệm|Thôn \w+|Tiếng Việt", " ", main)
        assert not vietnamese.search(text), (path, vietnamese.findall(text)[:5],
                                             text[max(0, vietnamese.search(text).start() - 80):][:160])
    assert "Monitoring" in client.get("/reports/?lang=en").get_data(as_text=True)
