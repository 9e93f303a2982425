"""Find problems in the database and open (or close) alert rows; run periodically by the scheduler.

One open row per incident key: a loudspeaker that keeps dropping produces one alert, which closes only once
the node has been back for `recovery_s`. Bulletin alerts are one per bulletin, ever. Everything is decided
at `now`, passed in, so tests replay an outage minute by minute without waiting.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from radio.db.alerts import Alert, DisasterWarning, WarningStatus
from radio.db.models import Article, AsRun, Bulletin, BulletinStatus, BulletinTarget, Node
from radio.db.planning import NodeStatusChange
from station.alerts import rules
from station.alerts.kinds import AlertKind, AlertThresholds

log = logging.getLogger(__name__)


def evaluate(session: Session, now: datetime, t: AlertThresholds) -> list[Alert]:
    """Open the alerts that are due and close those whose cause is gone (committed); returns the new ones."""
    open_rows = {a.key: a for a in session.scalars(select(Alert).where(Alert.resolved_at.is_(None)))}
    new: list[Alert] = []
    new += _nodes(session, now, t, open_rows)
    new += _bulletins(session, now, t)
    new += _warnings(session, now, t, open_rows)
    session.commit()
    if new:
        log.info("opened %d alert(s): %s", len(new), ", ".join(a.key for a in new))
    return new


def _open(session: Session, kind: AlertKind, key: str, area_id: int | None, params: dict[str, Any],
          now: datetime, *, resolved: bool = False) -> Alert:
    alert = Alert(kind=kind, key=key, area_id=area_id, params=params, opened_at=now,
                  resolved_at=now if resolved else None)
    session.add(alert)
    return alert


def _last_resolved(session: Session, kind: AlertKind, since: datetime) -> dict[str, datetime]:
    """key → when its last alert closed, for alerts of `kind` closed since `since` (one query for all nodes)."""
    return dict(session.execute(select(Alert.key, func.max(Alert.resolved_at))
                                .where(Alert.kind == kind, Alert.resolved_at >= since).group_by(Alert.key)).all())


def _nodes(session: Session, now: datetime, t: AlertThresholds, open_rows: dict[str, Alert]) -> list[Alert]:
    window = now - timedelta(seconds=max(t.flap_window_s, t.recovery_s, t.offline_after_s))
    changes: dict[str, list[tuple[datetime, bool]]] = defaultdict(list)
    for node_id, at, online in session.execute(
        select(NodeStatusChange.node_id, NodeStatusChange.at, NodeStatusChange.online)
        .where(NodeStatusChange.at >= window).order_by(NodeStatusChange.at, NodeStatusChange.id)
    ):
        changes[node_id].append((at, online))
    closed = _last_resolved(session, AlertKind.NODE_OFFLINE, window)
    new: list[Alert] = []
    for node in session.scalars(select(Node).order_by(Node.id)):
        if node.status_at is None:
            continue  # never connected: not yet installed, nothing to warn about
        history = changes.get(node.id, [])
        key = f"node_offline:{node.id}"
        current = open_rows.get(key)
        if current is not None:
            if rules.offline_recovered(history, node.online, now, t):
                current.resolved_at = now
        else:
            reason = rules.offline_problem(history, node.online, node.status_at, now, t,
                                           counted_after=closed.get(key))
            if reason is not None:
                since = rules.offline_since(history, node.online, node.status_at)
                new.append(_open(session, AlertKind.NODE_OFFLINE, key, node.village_id,
                                 {"node": node.name, "node_id": node.id, "reason": reason,
                                  "since": since.isoformat() if since else None}, now))
        uncertainty = getattr(node, "clock_uncertainty_ms", None)  # heartbeat field, when the agent sends it
        new += _state_alert(session, now, open_rows, AlertKind.CLOCK, f"clock:{node.id}", node,
                            rules.clock_problem(node.clock_offset_ms, uncertainty, t),
                            {"offset_ms": node.clock_offset_ms, "uncertainty_ms": uncertainty})
        percent = (round(100 * (node.cache_bytes or 0) / node.cache_limit_bytes) if node.cache_limit_bytes
                   else None)
        new += _state_alert(session, now, open_rows, AlertKind.CACHE_FULL, f"cache:{node.id}", node,
                            rules.cache_problem(node.cache_bytes, node.cache_limit_bytes, node.storage_error, t),
                            {"percent": percent, "storage_error": bool(node.storage_error)})
    return new


def _state_alert(session: Session, now: datetime, open_rows: dict[str, Alert], kind: AlertKind, key: str,
                 node: Node, problem: bool, params: dict[str, Any]) -> list[Alert]:
    """An alert that is open exactly while the node's state is bad."""
    current = open_rows.get(key)
    if problem and current is None:
        return [_open(session, kind, key, node.village_id, {"node": node.name, "node_id": node.id} | params, now)]
    if not problem and current is not None:
        current.resolved_at = now
    return []


def _bulletins(session: Session, now: datetime, t: AlertThresholds) -> list[Alert]:
    since = now - timedelta(seconds=t.bulletin_lookback_s)
    done = session.execute(
        select(Bulletin.id, Bulletin.title, Article.commune_id)
        .outerjoin(Article, Article.id == Bulletin.article_id)
        .where(Bulletin.status == BulletinStatus.DONE, Bulletin.start_at >= since)
    ).all()
    if not done:
        return []
    seen = set(session.scalars(select(Alert.key).where(Alert.kind.in_((AlertKind.NOT_AIRED, AlertKind.PARTLY_AIRED)),
                                                      Alert.opened_at >= since - timedelta(days=1))))
    outcomes: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    ids = [bid for bid, _title, _commune in done if f"bulletin:{bid}" not in seen]
    for bid, outcome, played, requested in session.execute(
        select(AsRun.bulletin_id, AsRun.outcome, AsRun.played_ms, AsRun.requested_ms)
        .where(AsRun.bulletin_id.in_(ids))
    ):
        outcomes[bid].append((outcome, played, requested))
    new: list[Alert] = []
    for bid, title, commune_id in done:
        if bid not in outcomes:
            continue
        problem = rules.airing_problem(outcomes[bid])
        if problem is None:
            continue
        rows = outcomes[bid]
        bad = sum(1 for o, played, requested in rows if o != "completed" or played < requested - 1000)
        area_id = commune_id or session.scalar(select(BulletinTarget.area_id)
                                               .where(BulletinTarget.bulletin_id == bid).limit(1))
        # An event, not a state: recorded closed, so it never re-opens.
        new.append(_open(session, AlertKind(problem), f"bulletin:{bid}", area_id,
                         {"title": title, "bulletin_id": bid, "bad": bad, "total": len(rows)}, now, resolved=True))
    return new


def _warnings(session: Session, now: datetime, t: AlertThresholds, open_rows: dict[str, Alert]) -> list[Alert]:
    new: list[Alert] = []
    late = now - timedelta(seconds=t.warning_ack_s)
    for warning in session.scalars(select(DisasterWarning).where(DisasterWarning.source == "cap",
                                                                 DisasterWarning.status == WarningStatus.DRAFT)):
        key = f"warning:{warning.id}"
        if warning.created_at <= late and key not in open_rows:
            new.append(_open(session, AlertKind.WARNING_UNACKNOWLEDGED, key, warning.commune_id,
                             {"title": warning.title, "warning_id": warning.id, "level": warning.level}, now))
    for alert in open_rows.values():
        if alert.kind == AlertKind.WARNING_UNACKNOWLEDGED:
            warning = session.get(DisasterWarning, alert.params.get("warning_id"))
            if warning is None or warning.status != WarningStatus.DRAFT:
                alert.resolved_at = now
    return new
