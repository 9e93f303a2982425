"""Plans (kế hoạch) and their targets: list, create, import from text with suggestions, progress; topics.

Monitors and admins edit; everyone signed in sees the plans of their areas.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from radio.db.models import Area, Article, DistrictGroup, Role
from radio.db.planning import ArticleTopic, Metric, PeriodKind, Plan, PlanTarget, Topic
from radio.db.types import utcnow
from station.accounting import periods
from station.accounting.plan_import import fold, suggest
from station.accounting.progress import plan_progress
from station.approval import area_covers
from station.isolation import visible
from web.authz import current_scope, scoped
from web.context import get_db, radio_ctx
from web.labels import METRIC_LABELS, PERIOD_LABELS
from web.scope import area_in_scope, visible_area_ids

bp = Blueprint("plans", __name__, url_prefix="/plans")
EDITORS = (Role.ADMIN, Role.MONITOR)


def _require_editor() -> None:
    if current_user.role not in EDITORS:
        abort(403)


def _today() -> date:
    return periods.local_today(utcnow(), radio_ctx().tz)


def _plan(plan_id: int, *, write: bool = False) -> Plan:
    """The plan if readable (national plans are read everywhere); with write, only by users whose area
    covers the plan's: a commune monitor changes neither a national nor another commune's plan."""
    db = get_db()
    plan = db.get(Plan, plan_id, options=[selectinload(Plan.targets)])
    if plan is None:
        abort(404)
    if plan.area_id is not None and not area_in_scope(db, current_user.area_id, plan.area_id):
        abort(403)
    if write and not area_covers(db, current_user.area_id, plan.area_id):
        abort(403)
    return plan


def _areas() -> list[Area]:
    db = get_db()
    allowed = visible_area_ids(db, current_user.area_id)
    query = select(Area).where(Area.level != "village").order_by(Area.code)
    if allowed is not None:
        query = query.where(Area.id.in_(allowed or {-1}))
    return list(db.scalars(query))


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    query = scoped(select(Plan), Plan).order_by(Plan.period_start.desc(), Plan.id.desc())
    return render_template("plans/list.html", plans=db.scalars(query).all(), can_edit=current_user.role in EDITORS,
                           areas={a.id: a for a in _areas()})


def _plan_from_form(plan: Plan) -> list[str]:
    form = request.form
    errors = []
    plan.number = form.get("number", "").strip()[:64]
    plan.title = form.get("title", "").strip()[:500]
    plan.issuer = form.get("issuer", "").strip()[:200]
    plan.programme = form.get("programme", "").strip()[:300]
    plan.project = form.get("project", "").strip()[:300]
    plan.sub_project = form.get("sub_project", "").strip()[:300]
    area_id = form.get("area_id", type=int)
    if area_id and not area_in_scope(get_db(), current_user.area_id, area_id):
        errors.append(_("Địa bàn không thuộc phạm vi của bạn."))
    elif not area_id and current_user.area_id is not None:  # a national plan is the national level's to issue
        errors.append(_("Hãy chọn địa bàn: chỉ tài khoản cấp trung ương được lập kế hoạch toàn quốc."))
    plan.area_id = area_id or None
    start, end = _date(form.get("period_start")), _date(form.get("period_end"))
    if not plan.title:
        errors.append(_("Hãy nhập tên kế hoạch."))
    if start is None or end is None or start > end:
        errors.append(_("Thời gian thực hiện không hợp lệ (từ ngày phải trước đến ngày)."))
    else:
        plan.period_start, plan.period_end = start, end
    return errors


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    _require_editor()
    plan = Plan(title="", period_start=_today().replace(month=1, day=1), period_end=_today().replace(month=12, day=31))
    errors: list[str] = []
    if request.method == "POST":
        errors = _plan_from_form(plan)
        if not errors:
            plan.created_by = current_user.id
            db = get_db()
            db.add(plan)
            _targets_from_form(plan)
            db.commit()
            flash(_("Đã lưu kế hoạch."), "success")
            return redirect(url_for("plans.detail", plan_id=plan.id))
    return render_template("plans/form.html", plan=plan, errors=errors, areas=_areas(), suggestion=None,
                           metric_labels=METRIC_LABELS, period_labels=PERIOD_LABELS), 400 if errors else 200


def _targets_from_form(plan: Plan) -> None:
    """Confirmed suggestions from the import form: parallel lists, one checkbox per row."""
    form = request.form
    chosen = set(form.getlist("t_use"))
    for i, metric in enumerate(form.getlist("t_metric")):
        if str(i) not in chosen or metric not in set(Metric):
            continue
        try:
            value = float(form.getlist("t_value")[i])
        except (ValueError, IndexError):
            continue
        kind = form.getlist("t_kind")[i] if i < len(form.getlist("t_kind")) else PeriodKind.PLAN
        plan.targets.append(PlanTarget(
            metric=metric, value=value, area_id=plan.area_id, period_kind=kind if kind in set(PeriodKind) else "plan",
            period_start=_date(form.getlist("t_start")[i]), recurring=form.getlist("t_recurring")[i] == "1",
            each_commune=form.getlist("t_each")[i] == "1", note=form.getlist("t_quote")[i][:500]))


@bp.route("/import", methods=["GET", "POST"])
def import_text() -> ResponseReturnValue:
    """Paste a plan's text; the form comes back filled with what was found, for the user to check and save."""
    _require_editor()
    text = request.form.get("text", "") if request.method == "POST" else ""
    if not text.strip():
        return render_template("plans/import.html", text=text)
    found = suggest(text)
    plan = Plan(number=found.number, title=found.title or "", issuer=found.issuer, programme=found.programme,
                project=found.project, sub_project=found.sub_project,
                period_start=found.period_start or _today().replace(month=1, day=1),
                period_end=found.period_end or _today().replace(month=12, day=31))
    hint = fold(found.area_hint)
    if hint:
        for area in _areas():
            if fold(area.name) in hint or hint.endswith(fold(area.name).split(" ", 1)[-1]):
                plan.area_id = area.id
                break
    return render_template("plans/form.html", plan=plan, errors=[], areas=_areas(), suggestion=found,
                           metric_labels=METRIC_LABELS, period_labels=PERIOD_LABELS)


@bp.get("/<int:plan_id>")
def detail(plan_id: int) -> ResponseReturnValue:
    plan = _plan(plan_id)
    db = get_db()
    return render_template("plans/detail.html", plan=plan, progress=plan_progress(db, plan, _today()),
                           area=db.get(Area, plan.area_id) if plan.area_id else None,
                           can_edit=current_user.role in EDITORS
                           and area_covers(db, current_user.area_id, plan.area_id), areas=_areas(),
                           districts=db.scalars(select(DistrictGroup).order_by(DistrictGroup.code)).all(),
                           topics=db.scalars(select(Topic).order_by(Topic.name)).all(),
                           metric_labels=METRIC_LABELS, period_labels=PERIOD_LABELS, today=_today())


@bp.post("/<int:plan_id>/targets")
def add_target(plan_id: int) -> ResponseReturnValue:
    _require_editor()
    plan = _plan(plan_id, write=True)
    form = request.form
    metric, kind = form.get("metric", ""), form.get("period_kind", PeriodKind.PLAN)
    try:
        value = float(form.get("value", "").replace(",", "."))
    except ValueError:
        value = -1
    area_id = form.get("area_id", type=int) or None
    if metric not in set(Metric) or kind not in set(PeriodKind) or value < 0:
        flash(_("Chỉ tiêu không hợp lệ: chọn loại chỉ tiêu, kỳ và nhập giá trị không âm."), "error")
        return redirect(url_for("plans.detail", plan_id=plan.id))
    if area_id and not area_in_scope(get_db(), current_user.area_id, area_id):
        abort(403)
    plan.targets.append(PlanTarget(
        metric=metric, value=value, area_id=area_id, district_id=form.get("district_id", type=int) or None,
        topic_id=form.get("topic_id", type=int) or None, period_kind=kind, period_start=_date(form.get("period_start")),
        recurring=form.get("recurring") == "1", each_commune=form.get("each_commune") == "1",
        note=form.get("note", "")[:500]))
    get_db().commit()
    flash(_("Đã thêm chỉ tiêu."), "success")
    return redirect(url_for("plans.detail", plan_id=plan.id))


@bp.post("/<int:plan_id>/targets/<int:target_id>/delete")
def delete_target(plan_id: int, target_id: int) -> ResponseReturnValue:
    _require_editor()
    plan = _plan(plan_id, write=True)
    plan.targets = [t for t in plan.targets if t.id != target_id]
    get_db().commit()
    flash(_("Đã xoá chỉ tiêu."), "success")
    return redirect(url_for("plans.detail", plan_id=plan.id))


@bp.post("/<int:plan_id>/delete")
def delete(plan_id: int) -> ResponseReturnValue:
    _require_editor()
    plan = _plan(plan_id, write=True)
    db = get_db()
    db.delete(plan)
    db.commit()
    flash(_("Đã xoá kế hoạch."), "success")
    return redirect(url_for("plans.index"))


@bp.route("/topics", methods=["GET", "POST"])
def topics() -> ResponseReturnValue:
    db = get_db()
    if request.method == "POST":
        _require_editor()
        name = request.form.get("name", "").strip()
        code = "-".join(fold(name).split())[:32]
        article_id = request.form.get("article_id", type=int)
        topic_id = request.form.get("topic_id", type=int)
        if article_id and topic_id:
            # Another commune's article is "not found": a monitor tags only what their area sees.
            if visible(db, Article, article_id, current_scope()) is None or db.get(Topic, topic_id) is None:
                abort(404)
            if db.get(ArticleTopic, (article_id, topic_id)) is None:
                db.add(ArticleTopic(article_id=article_id, topic_id=topic_id))
                db.commit()
            flash(_("Đã gắn chủ đề cho bài viết."), "success")
        elif name and db.scalar(select(Topic).where(Topic.code == code)) is None:
            db.add(Topic(code=code, name=name[:200]))
            db.commit()
            flash(_("Đã thêm chủ đề."), "success")
        else:
            flash(_("Chủ đề trống hoặc đã có."), "error")
        return redirect(url_for("plans.topics"))
    tags = db.execute(scoped(select(ArticleTopic.topic_id, Article.id, Article.title), ArticleTopic)
                      .join(Article, Article.id == ArticleTopic.article_id).order_by(Article.title)).all()
    by_topic: dict[int, list[tuple[int, str]]] = {}
    for topic_id, article_id, title in tags:
        by_topic.setdefault(topic_id, []).append((article_id, title))
    return render_template("plans/topics.html", topics=db.scalars(select(Topic).order_by(Topic.name)).all(),
                           by_topic=by_topic, can_edit=current_user.role in EDITORS,
                           articles=db.scalars(scoped(select(Article), Article)
                                               .order_by(Article.id.desc()).limit(200)).all())
