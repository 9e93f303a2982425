"""Monitoring pages: dashboards, period report and exports, as-run drill-down, plans and their import."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed

from radio.db.models import Area, AsRun, AudioAssetRow, Bulletin, BulletinTarget, CommandRow
from radio.db.planning import Plan, PlanTarget
from radio.db.types import utcnow
from station.accounting import periods
from station.accounting.dashboard import area_dashboard
from station.accounting.queries import area_scope

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _today():
    return utcnow().astimezone(VN).date()


def _air(db: Session, seed: Seed, runs: dict[str, tuple[str, int]], *, priority: str = "normal",
         hour: int = 0) -> Bulletin:
    """A bulletin today (local) on An Bình and Phú Lộc with the given {node: (outcome, played_s)}."""
    start = datetime.combine(_today(), time(hour, 30), VN).astimezone(UTC)
    audio = AudioAssetRow(sha256=uuid.uuid4().hex * 2, duration_ms=60_000, size_bytes=1, engine="espeak-ng")
    db.add(audio)
    db.flush()
    b = Bulletin(title=f"Tin {priority} {hour}", audio_id=audio.id, start_at=start, priority=priority, status="done")
    b.targets = [BulletinTarget(area_id=seed.commune_id), BulletinTarget(area_id=seed.other_commune_id)]
    db.add(b)
    db.flush()
    cmd = CommandRow(id=str(uuid.uuid4()), bulletin_id=b.id, kind="play", topics=[], payload="{}", issued_at=start,
                     start_at=start, expires_at=start + timedelta(hours=1))
    db.add(cmd)
    db.flush()
    start_ms = int(start.timestamp() * 1000)
    for node, (outcome, played) in runs.items():
        db.add(AsRun(command_id=cmd.id, bulletin_id=b.id, node_id=node, scheduled_start=start, requested_ms=60_000,
                     started_at_ms=start_ms if played else None, played_ms=played * 1000, outcome=outcome,
                     detail=json.dumps({"played_ms": played * 1000, "reason": "emergency"})
                     if outcome == "interrupted" else ""))
    db.commit()
    return b


@pytest.fixture
def aired(db: Session, seed: Seed) -> Seed:
    _air(db, seed, {"loa-dong-1": ("completed", 60), "loa-tay-1": ("interrupted", 20), "loa-bac-1": ("missed", 0)})
    _air(db, seed, {"loa-dong-1": ("completed", 60), "loa-tay-1": ("completed", 60), "loa-bac-1": ("completed", 60)},
         priority="emergency", hour=1)
    return seed


PAGES = ["/reports/", "/reports/area/{province}", "/reports/area/{commune}", "/reports/period",
         "/reports/asrun?area={commune}", "/plans/", "/plans/topics", "/reports/period.csv"]


@pytest.mark.parametrize("page", PAGES)
def test_monitoring_pages_need_login(client: FlaskClient, seed: Seed, page: str) -> None:
    url = page.format(province=seed.province_id, commune=seed.commune_id)
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_monitoring_pages_render_for_an_admin(client: FlaskClient, auth: AuthActions, aired: Seed, page: str) -> None:
    auth.login("quantri")
    response = client.get(page.format(province=aired.province_id, commune=aired.commune_id))
    assert response.status_code == 200


def test_commune_dashboard_shows_villages_schedule_and_chart(client: FlaskClient, auth: AuthActions,
                                                             aired: Seed) -> None:
    auth.login()
    html = client.get(f"/reports/area/{aired.commune_id}").get_data(as_text=True)
    assert "Thôn Đông" in html and "Thôn Tây" in html
    assert "Tin emergency 1" in html  # this week's schedule
    assert "<svg" in html and "cdn" not in html.lower()


def test_broadcaster_cannot_see_another_commune_or_edit_plans(client: FlaskClient, auth: AuthActions,
                                                              aired: Seed) -> None:
    auth.login()
    assert client.get(f"/reports/area/{aired.other_commune_id}").status_code == 403
    assert client.get("/plans/new").status_code == 403


def test_xlsx_export_agrees_with_the_dashboard(app: Flask, client: FlaskClient, auth: AuthActions, db: Session,
                                               aired: Seed) -> None:
    province = db.get(Area, aired.province_id)
    today = _today()
    board = area_dashboard(db, province, area_scope(db, province), today, utcnow())
    auth.login("quantri")
    html = client.get(f"/reports/area/{aired.province_id}").get_data(as_text=True)
    response = client.get(f"/reports/period.xlsx?area={aired.province_id}&period=year&year={today.year}")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data))["Báo cáo"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[3])
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[4:]}
    total = by_name["Tổng cộng"]
    assert total["Bản tin gửi phát"] == board.totals.bulletins_sent == 4
    assert total["Bản tin phát thành công"] == board.totals.bulletins_played == 3
    assert total["Bản tin khẩn cấp"] == board.totals.urgent_sent == 2
    assert total["Giây thực phát"] == board.totals.played_ms // 1000 == 260
    assert total["Giây yêu cầu phát"] == board.totals.requested_ms // 1000 == 360
    assert total["Thời lượng phát (phút)"] == round(board.totals.airtime_played_ms / 60_000, 1) == 3.0
    for line in board.lines:
        row = by_name[line.commune.name]
        assert row["Bản tin phát thành công"] == line.figures.bulletins_played
        assert row["Lượt loa bỏ lỡ"] == line.figures.missed
        # The dashboard page shows the same "played / sent" per commune.
        assert re.search(rf"{line.commune.name}</a></td>\s*<td[^>]*>{line.figures.bulletins_played} / "
                         rf"{line.figures.bulletins_sent}<", html)


def test_csv_layout_follows_the_chosen_columns_and_rows(client: FlaskClient, auth: AuthActions, aired: Seed) -> None:
    auth.login("quantri")
    today = _today()
    data = client.get(f"/reports/period.csv?area={aired.commune_id}&group=village&col=played_s&col=bulletins_played"
                      f"&period=month&year={today.year}&n={today.month}").data
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["Thôn", "Giây thực phát", "Bản tin phát thành công"]
    assert rows[2] == ["Thôn Đông", "120", "2"] and rows[3] == ["Thôn Tây", "80", "1"]
    assert rows[-1][0] == "Tổng cộng"


def test_as_run_log_exports_the_area_and_period(client: FlaskClient, auth: AuthActions, aired: Seed) -> None:
    auth.login("quantri")
    data = client.get(f"/reports/asrun.csv?area={aired.commune_id}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert len(rows) == 1 + 4  # two bulletins on the commune's two loudspeakers
    assert {r[2] for r in rows[1:]} == {"Cụm loa Đông 1", "Cụm loa Tây 1"}
    html = client.get(f"/reports/asrun?area={aired.commune_id}&outcome=interrupted").get_data(as_text=True)
    assert "bị ngắt" in html and "Cụm loa Đông 1" not in html


def test_plan_import_suggests_targets_and_saves_the_confirmed_ones(client: FlaskClient, auth: AuthActions,
                                                                   db: Session, aired: Seed) -> None:
    auth.login("quantri")
    text = ("Số: 288/KH-UBND\nKẾ HOẠCH\nThông tin giảm nghèo năm 2025\n\nUBND xã An Bình xây dựng kế hoạch.\n"
            "Thời gian thực hiện: năm 2025.\nĐài truyền thanh xã phát 20 bài viết truyền thanh trong Quý IV năm 2025;"
            " mỗi tháng phát 600 phút.")
    html = client.post("/plans/import", data={"text": text}).get_data(as_text=True)
    assert "288/KH-UBND" in html and "Quý IV năm 2025" in html and 'value="2025-10-01"' in html
    response = client.post("/plans/new", data={
        "number": "288/KH-UBND", "title": "Thông tin giảm nghèo năm 2025", "area_id": aired.commune_id,
        "period_start": "2025-01-01", "period_end": "2025-12-31",
        "t_use": ["0"], "t_metric": ["articles", "airtime_minutes"], "t_value": ["20", "600"],
        "t_kind": ["quarter", "month"], "t_start": ["2025-10-01", ""], "t_recurring": ["0", "1"],
        "t_each": ["0", "0"], "t_quote": ["20 bài viết", "600 phút"]})
    assert response.status_code == 302
    plan = db.scalars(select(Plan).where(Plan.number == "288/KH-UBND")).one()
    targets = db.scalars(select(PlanTarget).where(PlanTarget.plan_id == plan.id)).all()
    assert [(t.metric, t.value, t.period_kind) for t in targets] == [("articles", 20.0, "quarter")]
    assert client.get(response.headers["Location"]).status_code == 200


def test_province_dashboard_shows_pace_against_each_commune_target(client: FlaskClient, auth: AuthActions,
                                                                   db: Session, aired: Seed) -> None:
    year = periods.year(_today().year)
    plan = Plan(number="1/KH", title="Kế hoạch tỉnh", area_id=aired.province_id, period_start=year.start,
                period_end=year.end)
    plan.targets = [PlanTarget(metric="bulletins", value=1000, period_kind="plan", each_commune=True)]
    db.add(plan)
    db.commit()
    auth.login("quantri")
    html = client.get(f"/reports/area/{aired.province_id}").get_data(as_text=True)
    # 3 bulletins aired today against 1000 for the year: behind the pace expected by today.
    assert html.count("Số bản tin phát thành công") == 2 and html.count("chậm tiến độ") == 2


def test_plan_forms_refuse_posts_without_csrf_token(csrf_app: Flask, seed: Seed) -> None:
    client = csrf_app.test_client()
    AuthActions(client)  # login needs a token too: read it from the form
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    assert token
    client.post("/login", data={"username": "quantri", "password": "mat-khau-dung", "csrf_token": token.group(1)})
    assert client.post("/plans/import", data={"text": "KẾ HOẠCH"}).status_code == 400
