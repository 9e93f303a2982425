"""The audit log page and its CSV export: who sees which entries, filters in local dates, Excel-safe CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from flask import Flask
from governance_support import login
from sqlalchemy.orm import Session
from web_support import Seed

from radio.db.governance import AuditEntry
from station.audit import Actor, record


def _entries(db: Session, seed: Seed) -> None:
    bt = Actor(seed.broadcaster_id, "broadcaster", seed.commune_id, "bientap")
    bt2 = Actor(seed.other_broadcaster_id, "broadcaster", seed.other_commune_id, "bientap2")
    admin = Actor(seed.admin_id, "admin", None, "quantri")
    record(db, bt, "article.create", "article", 1, None, {"title": "=HYPERLINK(\"x\")"}, area_id=seed.commune_id)
    record(db, bt2, "bulletin.cancel", "bulletin", 2, {"status": "scheduled"}, {"status": "cancelled"},
           area_id=seed.other_commune_id)
    record(db, admin, "lexicon.add", "lexicon_entry", 3, None, {"acronym": "HTX"})
    # 23:30 on 1 July in Vietnam is still 1 July there, though 16:30 UTC.
    db.add(AuditEntry(at=datetime(2025, 7, 1, 16, 30, tzinfo=UTC), username="bientap", user_id=seed.broadcaster_id,
                      action="article.submit", object_type="article", object_id="9", area_id=seed.commune_id))
    db.commit()


def _table(html: str) -> str:
    """The entries only (the action filter above the table names every action)."""
    return html.split('<table class="audit">', 1)[1] if '<table class="audit">' in html else ""


def test_each_role_sees_its_area(app: Flask, db: Session, seed: Seed) -> None:
    _entries(db, seed)
    seen = {}
    for username in ("lanhdao", "giamsat", "quantri"):
        client = app.test_client()
        login(client, username)
        html = _table(client.get("/audit/").get_data(as_text=True))
        seen[username] = {a for a in ("Huỷ bản tin", "Thêm từ vào từ điển", "Tạo bài viết") if a in html}
    assert seen["lanhdao"] == {"Tạo bài viết"}  # their commune only
    assert seen["giamsat"] == {"Tạo bài viết", "Huỷ bản tin"}  # the whole province, not national entries
    assert seen["quantri"] == {"Tạo bài viết", "Huỷ bản tin", "Thêm từ vào từ điển"}
    client = app.test_client()
    login(client, "bientap")
    assert client.get("/audit/").status_code == 403


def test_filters_use_local_dates_and_the_csv_opens_in_excel(app: Flask, db: Session, seed: Seed) -> None:
    _entries(db, seed)
    client = app.test_client()
    login(client, "quantri")
    day = _table(client.get("/audit/?from=2025-07-01&to=2025-07-01").get_data(as_text=True))
    assert "Trình lãnh đạo duyệt" in day and "Thêm từ vào từ điển" not in day
    assert "Trình lãnh đạo duyệt" not in _table(
        client.get("/audit/?from=2025-07-02&to=2025-07-02").get_data(as_text=True))
    by_user = _table(client.get(f"/audit/?user={seed.other_broadcaster_id}").get_data(as_text=True))
    assert "bientap2" in by_user and "Thêm từ vào từ điển" not in by_user
    assert "Huỷ bản tin" not in _table(client.get("/audit/?action=article").get_data(as_text=True))

    export = client.get(f"/audit/export.csv?area={seed.commune_id}")
    assert export.mimetype == "text/csv" and export.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Thời gian (giờ Việt Nam)"
    assert {r[2] for r in rows[1:]} == {"Tạo bài viết", "Trình lãnh đạo duyệt"}
    after = next(r[6] for r in rows[1:] if r[2] == "Tạo bài viết")
    assert after == 'Tiêu đề: =HYPERLINK("x")'  # words, not JSON; the formula stays inside the sentence
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r)
