"""Issue 10 item 7: text a user or a node controls (a bulletin title, a node's as-run detail) must reach the
monitor's spreadsheet as text, never as a live formula, in the as-run CSV and XLSX exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask import Flask
from governance_support import login
from sqlalchemy.orm import Session
from web_support import Seed, add_article_with_audio

from radio.db.models import AsRun, Bulletin, CommandRow, Outcome
from radio.db.types import utcnow
from station.accounting.report_export import FORMULA_START, safe_cell

pytestmark = pytest.mark.security
TITLE = '=HYPERLINK("http://ke-gian.example/x","Bấm vào đây")'
# What a tampered node may put in its as-run detail, one per dangerous first character.
DETAILS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def _aired(db: Session) -> None:
    article = add_article_with_audio(db)
    now = utcnow()
    bulletin = Bulletin(title=TITLE, article_id=article.id, audio_id=article.audio_id, priority="normal",
                        start_at=now - timedelta(hours=1))
    db.add(bulletin)
    db.flush()
    db.add(CommandRow(id="cmd-x", bulletin_id=bulletin.id, kind="play", topics=[], payload="", issued_at=now,
                      start_at=now, expires_at=now))
    db.flush()
    for attempt, detail in enumerate(DETAILS, start=1):
        db.add(AsRun(command_id="cmd-x", bulletin_id=bulletin.id, node_id="loa-dong-1", attempt=attempt,
                     scheduled_start=now - timedelta(hours=1), requested_ms=1000, played_ms=0,
                     outcome=Outcome.FAILED, detail=detail))
    db.commit()


def _dangerous(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def test_safe_cell_quotes_formula_text_only() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1")] == [
        "'=1+1", "'+1", "'-1", "'@A1", "'\t=1", "'\r=1"]
    assert [safe_cell(v) for v in ("Tin bão", -5, 3.5, None, "a=b")] == ["Tin bão", -5, 3.5, None, "a=b"]


def test_as_run_csv_and_xlsx_carry_formulas_as_text(app: Flask, db: Session, seed: Seed) -> None:
    from openpyxl import load_workbook

    _aired(db)
    client = app.test_client()
    login(client, "quantri")
    data = client.get(f"/reports/asrun.csv?area={seed.commune_id}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    cells = [c for r in rows[1:] for c in r]
    assert "'" + TITLE in cells and {"'" + d for d in DETAILS} <= set(cells)
    assert [c for c in cells if _dangerous(c)] == []
    workbook = load_workbook(io.BytesIO(client.get(f"/reports/asrun.xlsx?area={seed.commune_id}").data))
    sheet = workbook.active
    assert sheet is not None
    values = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert [c.coordinate for c in values if c.data_type == "f" or _dangerous(c.value)] == []
    assert "'" + TITLE in {c.value for c in values}
    notes = [row[-1].value for row in sheet.iter_rows(min_row=2)]  # "Ghi chú": the node's detail
    assert len(notes) == len(DETAILS) and all(str(n).startswith("'") for n in notes)
