"""The period report as a table: which rows (communes, villages or months) and which columns, in order.

One builder feeds the HTML view, the XLSX and the CSV, so the three always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import Area, AreaLevel
from station.accounting import periods
from station.accounting.periods import Period
from station.accounting.queries import Scope, commune_figures, village_figures
from station.accounting.rounding import minutes, percent, whole_seconds
from station.accounting.rules import Figures, total


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Figures], float | int | None]


COLUMNS: dict[str, Column] = {c.key: c for c in (
    Column("bulletins_sent", "Bản tin gửi phát", lambda f: f.bulletins_sent),
    Column("bulletins_played", "Bản tin phát thành công", lambda f: f.bulletins_played),
    Column("urgent_sent", "Bản tin khẩn cấp", lambda f: f.urgent_sent),
    Column("requested_s", "Giây yêu cầu phát", lambda f: whole_seconds(f.requested_ms)),
    Column("played_s", "Giây thực phát", lambda f: whole_seconds(f.played_ms)),
    Column("played_ratio", "Tỷ lệ thực phát (%)", lambda f: percent(f.played_ratio)),
    Column("airtime_min", "Thời lượng phát (phút)", lambda f: minutes(f.airtime_played_ms)),
    Column("articles", "Bài viết đã phát", lambda f: f.articles_aired),
    Column("coverage", "Độ phủ cụm loa (%)", lambda f: percent(f.coverage)),
    Column("bulletins_missed", "Bản tin không phát được", lambda f: f.bulletins_missed),
    Column("missed", "Lượt loa bỏ lỡ", lambda f: f.missed),
    Column("interrupted", "Lượt loa bị ngắt", lambda f: f.interrupted),
    Column("failed", "Lượt loa lỗi", lambda f: f.failed),
    Column("late", "Lượt phát muộn", lambda f: f.late),
)}
FIELD_MEASURE = ("bulletins_sent", "bulletins_played", "urgent_sent", "requested_s", "played_s", "played_ratio")
DEFAULT_COLUMNS = (*FIELD_MEASURE, "airtime_min", "articles", "coverage", "missed", "interrupted", "late")
GROUPS = {"commune": "Theo xã", "village": "Theo thôn", "month": "Theo tháng"}


@dataclass
class ReportTable:
    title: str
    period: Period
    group_label: str
    columns: list[Column]
    rows: list[tuple[str, Figures]]
    totals: Figures

    def header(self) -> list[str]:
        return [self.group_label, *(c.label for c in self.columns)]

    def values(self) -> list[list[object]]:
        out: list[list[object]] = [[name, *(c.value(f) for c in self.columns)] for name, f in self.rows]
        out.append(["Tổng cộng", *(c.value(self.totals) for c in self.columns)])
        return out


def build_table(session: Session, scope: Scope, area: Area | None, period: Period, group: str,
                columns: list[str], topic_id: int = 0) -> ReportTable:
    cols = [COLUMNS[c] for c in columns if c in COLUMNS] or [COLUMNS[c] for c in DEFAULT_COLUMNS]
    rows: list[tuple[str, Figures]] = []
    if group == "village" and area is not None and area.level in (AreaLevel.COMMUNE, AreaLevel.VILLAGE):
        commune_id = area.id if area.level == AreaLevel.COMMUNE else area.parent_id
        figs = village_figures(session, commune_id or -1, period)
        villages = session.scalars(select(Area).where(Area.parent_id == commune_id).order_by(Area.code)).all()
        if area.level == AreaLevel.VILLAGE:
            villages = [v for v in villages if v.id == area.id]
        rows = [(v.name, figs.get(v.id, Figures())) for v in villages]
        # Village airtime counts each village once; the commune total is the station's (see docs/accounting.md).
        grand = commune_figures(session, Scope(scope.label, (commune_id or -1,)), period, topic_id).get(
            commune_id or -1, Figures()) if area.level == AreaLevel.COMMUNE else total(f for _n, f in rows)
        label = "Thôn"
    elif group == "month":
        for month in periods.each("month", period.start, period.end):
            part = month.clip(period.start, period.end)
            if part is not None:
                rows.append((month.label, total(commune_figures(session, scope, part, topic_id).values())))
        grand = total(commune_figures(session, scope, period, topic_id).values())
        label = "Tháng"
    else:
        figs = commune_figures(session, scope, period, topic_id)
        names = dict(session.execute(select(Area.id, Area.name).where(Area.id.in_(scope.commune_ids or (-1,)))).all())
        rows = [(names.get(c, str(c)), figs.get(c, Figures())) for c in scope.commune_ids]
        grand = total(figs.values())
        label = "Xã"
    title = f"Báo cáo kết quả phát thanh – {scope.label} – {period.label}"
    return ReportTable(title, period, label, cols, rows, grand)


def period_from(kind: str, year: int, n: int, start: date | None, end: date | None, today: date) -> Period:
    """The report period a form asks for; falls back to the current month."""
    if kind == "custom" and start and end and start <= end:
        return Period(start, end, f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")
    try:
        if kind == "year":
            return periods.year(year)
        if kind == "half":
            return periods.half(year, 1 if n <= 1 else 2)
        if kind == "quarter":
            return periods.quarter(year, min(max(n, 1), 4))
        if kind == "month":
            return periods.month(year, min(max(n, 1), 12))
    except ValueError:
        pass
    return periods.containing("month", today)
