"""Monitoring pages: commune and province / district dashboards, the period report with its exports, and the
as-run drill-down. Figures come from station.accounting (rollups; villages through the rules)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import aliased

from radio.db.models import Area, AreaLevel, AsRun, Bulletin, DistrictGroup, Node
from radio.db.planning import Topic
from radio.db.types import utcnow
from station.accounting import periods
from station.accounting.dashboard import area_dashboard, commune_dashboard
from station.accounting.periods import Period
from station.accounting.queries import Scope, area_scope, district_scope, reasons
from web.context import get_db, radio_ctx
from web.labels import METRIC_LABELS, OUTCOME_LABELS, PERIOD_LABELS, PRIORITY_LABELS, label, round_half_up
from web.notes import asrun_note
from web.reports.charts import weekly_airtime_svg
from web.reports.exports import XLSX_MIME, asrun_header, rows_csv, rows_xlsx, table_csv, table_xlsx
from web.reports.layout import COLUMNS, DEFAULT_COLUMNS, GROUPS, build_table, groups_for, period_from
from web.scope import area_or_abort, require_in_scope, scope_root, visible_communes

bp = Blueprint("reports", __name__, url_prefix="/reports")
PAGE_SIZE = 100


def _today() -> date:
    return periods.local_today(utcnow(), radio_ctx().tz)


def _district(district_id: int) -> DistrictGroup:
    district = get_db().get(DistrictGroup, district_id)
    if district is None:
        abort(404)
    require_in_scope(district.province_id)
    return district


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    root = scope_root(db, current_user.area_id)
    if root is not None and root.level == AreaLevel.COMMUNE:
        provinces: list[Area] = []
    elif root is not None:
        provinces = [root]
    else:
        provinces = list(db.scalars(select(Area).where(Area.level == AreaLevel.PROVINCE).order_by(Area.code)))
    districts = list(db.scalars(select(DistrictGroup).where(DistrictGroup.province_id.in_([p.id for p in provinces]
                                                                                         or [-1]))
                                .order_by(DistrictGroup.code)))
    return render_template("reports/index.html", provinces=provinces, districts=districts,
                           communes=visible_communes(db, current_user.area_id))


@bp.get("/area/<int:area_id>")
def area(area_id: int) -> ResponseReturnValue:
    target = area_or_abort(area_id)
    db = get_db()
    if target.level == AreaLevel.VILLAGE and target.parent is not None:
        target = target.parent
    if target.level == AreaLevel.COMMUNE:
        board = commune_dashboard(db, target, _today(), utcnow())
        chart = weekly_airtime_svg(board.weekly, board.weekly_target_ms, _("Thời lượng phát mỗi tuần (phút)"))
        return render_template("reports/commune.html", board=board, chart=Markup(chart),
                               metric_labels=METRIC_LABELS, period_labels=PERIOD_LABELS)
    return _area_board(target, area_scope(db, target))


@bp.get("/district/<int:district_id>")
def district(district_id: int) -> ResponseReturnValue:
    d = _district(district_id)
    return _area_board(d, district_scope(get_db(), d), is_district=True)


def _area_board(area: Area | DistrictGroup, scope: Scope, is_district: bool = False) -> ResponseReturnValue:
    db = get_db()
    today = _today()
    year = request.args.get("year", today.year, type=int) or today.year
    period = periods.year(year) if year != today.year else None
    board = area_dashboard(db, area, scope, today, utcnow(), period)  # type: ignore[arg-type]
    chart = weekly_airtime_svg(board.weekly, board.weekly_target_ms, _("Thời lượng phát mỗi tuần (phút)"))
    return render_template("reports/area.html", area=area, board=board, chart=Markup(chart), is_district=is_district,
                           metric_labels=METRIC_LABELS, period_labels=PERIOD_LABELS)


# --- the period report and its exports ----------------------------------------------------------------------
def _report_args() -> tuple[Scope, Area | None, Period, str, list[str], int]:
    db = get_db()
    today = _today()
    district_id = request.args.get("district", type=int)
    area_id = request.args.get("area", type=int)
    area: Area | None = None
    if district_id:
        scope = district_scope(db, _district(district_id))
    else:
        root = scope_root(db, current_user.area_id)
        area = area_or_abort(area_id) if area_id else root
        if area is None:
            area = db.scalars(select(Area).where(Area.level == AreaLevel.PROVINCE).order_by(Area.code)).first()
        if area is None:
            abort(404)
        scope = area_scope(db, area)
    period = period_from(request.args.get("period", "month"), request.args.get("year", today.year, type=int) or
                         today.year, request.args.get("n", type=int),
                         _date(request.args.get("from")), _date(request.args.get("to")), today)
    group = request.args.get("group") or groups_for(area)[0]
    columns = [c for c in request.args.getlist("col") if c in COLUMNS] or list(DEFAULT_COLUMNS)
    return scope, area, period, group if group in GROUPS else "commune", columns, request.args.get("topic", 0,
                                                                                                   type=int) or 0


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _custom_error(today: date) -> str | None:
    """What is wrong with a custom period's dates, said so the user can fix it (None when nothing is)."""
    if request.args.get("period") != "custom":
        return None
    start, end = _date(request.args.get("from")), _date(request.args.get("to"))
    if start is None or end is None:
        return _("Kỳ tự chọn cần cả “Từ ngày” và “Đến ngày”: đang hiện tháng này.")
    if start > end:
        return _("“Từ ngày” phải trước “Đến ngày”: đang hiện tháng này.")
    return None


@bp.get("/period")
def period_report() -> ResponseReturnValue:
    scope, area, period, group, columns, topic = _report_args()
    table = build_table(get_db(), scope, area, period, group, columns, topic)
    reason_rows = reasons(get_db(), scope.commune_ids, period)[:20]
    today = _today()
    notice = None
    if request.args.get("group") == "village" and table.group != "village":
        notice = _("Báo cáo theo thôn chỉ có cho một xã: ở cấp này báo cáo theo xã.")
    return render_template("reports/period.html", table=table, scope=scope, area=area, group=table.group,
                           columns=columns, all_columns=COLUMNS, groups={g: GROUPS[g] for g in groups_for(area)},
                           args=request.args, reasons=reason_rows, period=period,
                           topics=get_db().scalars(select(Topic).order_by(Topic.name)).all(),
                           today=today, query=request.query_string.decode(), notice=notice,
                           date_error=_custom_error(today))


def _download(data: bytes, mime: str, name: str) -> Response:
    return Response(data, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/period.xlsx")
def period_xlsx() -> ResponseReturnValue:
    scope, area, period, group, columns, topic = _report_args()
    table = build_table(get_db(), scope, area, period, group, columns, topic)
    local_now = utcnow().astimezone(radio_ctx().tz)
    reason_rows = reasons(get_db(), scope.commune_ids, period)
    return _download(table_xlsx(table, generated=local_now, reasons=reason_rows), XLSX_MIME,
                     f"bao-cao-{period.start}-{period.end}.xlsx")


@bp.get("/period.csv")
def period_csv() -> ResponseReturnValue:
    scope, area, period, group, columns, topic = _report_args()
    table = build_table(get_db(), scope, area, period, group, columns, topic)
    return _download(table_csv(table), "text/csv; charset=utf-8", f"bao-cao-{period.start}-{period.end}.csv")


# --- as-run drill-down and log export ---------------------------------------------------------------------------
def _asrun_query(area: Area, period: Period):  # type: ignore[no-untyped-def]
    village = aliased(Area)
    lo, hi = period.utc_bounds(radio_ctx().tz)
    query = (select(AsRun, Bulletin.title, Bulletin.priority, Node.name, village.name)
             .join(Bulletin, Bulletin.id == AsRun.bulletin_id).join(Node, Node.id == AsRun.node_id)
             .join(village, village.id == Node.village_id)
             .where(AsRun.scheduled_start >= lo, AsRun.scheduled_start < hi))
    if area.level == AreaLevel.VILLAGE:
        query = query.where(village.id == area.id)
    elif area.level == AreaLevel.COMMUNE:
        query = query.where(village.parent_id == area.id)
    else:
        query = query.where(village.parent_id.in_(select(Area.id).where(Area.parent_id == area.id)))
    outcome = request.args.get("outcome")
    if outcome:
        query = query.where(AsRun.outcome == outcome)
    bulletin_id = request.args.get("bulletin", type=int)
    if bulletin_id:
        query = query.where(AsRun.bulletin_id == bulletin_id)
    return query.order_by(AsRun.scheduled_start.desc(), AsRun.id.desc())


def _asrun_period() -> Period:
    today = _today()
    start = _date(request.args.get("from")) or today - timedelta(days=6)
    end = _date(request.args.get("to")) or today
    return Period(start, max(start, end), f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")


@bp.get("/asrun")
def asrun() -> ResponseReturnValue:
    area = area_or_abort(request.args.get("area", 0, type=int))
    period = _asrun_period()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    result = get_db().execute(_asrun_query(area, period).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return render_template("reports/asrun.html", area=area, period=period, rows=result[:PAGE_SIZE], page=page,
                           has_next=len(result) > PAGE_SIZE, args=request.args)


def _asrun_rows(area: Area, period: Period) -> list[list[object]]:
    tz = radio_ctx().tz
    out = []
    for row, title, priority, node, village in get_db().execute(_asrun_query(area, period)):
        started = (datetime.fromtimestamp(row.started_at_ms / 1000, tz).strftime("%d/%m/%Y %H:%M:%S")
                   if row.started_at_ms is not None else "")
        # The same words and rounding as the as-run page (web.labels, web.notes), never the stored codes.
        out.append([title, label(PRIORITY_LABELS, priority), node, village,
                    row.scheduled_start.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S"), started, row.attempt,
                    label(OUTCOME_LABELS, row.outcome), round_half_up(row.requested_ms / 1000, 1),
                    round_half_up(row.played_ms / 1000, 1), asrun_note(row.outcome, row.detail, row.attempt)])
    return out


@bp.get("/asrun.csv")
def asrun_csv() -> ResponseReturnValue:
    area = area_or_abort(request.args.get("area", 0, type=int))
    period = _asrun_period()
    return _download(rows_csv(asrun_header(), _asrun_rows(area, period)), "text/csv; charset=utf-8",
                     f"nhat-ky-phat-{area.code}-{period.start}-{period.end}.csv")


@bp.get("/asrun.xlsx")
def asrun_xlsx() -> ResponseReturnValue:
    area = area_or_abort(request.args.get("area", 0, type=int))
    period = _asrun_period()
    return _download(rows_xlsx(_("Nhật ký phát"), asrun_header(), _asrun_rows(area, period)), XLSX_MIME,
                     f"nhat-ky-phat-{area.code}-{period.start}-{period.end}.xlsx")
