"""The durable outbound queue: records for the province are rows of httt_outbox, each with an idempotency key that
is unique in the table (so a scan run twice queues nothing twice) and sent with every try (so a retry after a lost
answer is recognised by the province instead of counted twice). A row leaves the queue only when the province has
answered for it; failures push `next_attempt_at` back exponentially (config.Backoff)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from radio.db.models import (
    Area,
    AreaLevel,
    Article,
    AsRun,
    AudioAssetRow,
    Bulletin,
    BulletinStatus,
    BulletinTarget,
    Node,
    Outcome,
)
from radio.db.province import HtttOutbox, OutboxKind
from station.httt.config import Backoff

# A final as-run row may still change for a while (a late `finished` from a node's outbox replaces an "unknown end"
# interrupted): play logs are queued once the airing's end is this far behind.
SETTLE = timedelta(minutes=10)
# How far back the scans look; older rows were queued when they were recent (or predate the connector).
LOOKBACK = timedelta(days=3)
SCAN_LIMIT = 5000


def enqueue(session: Session, province_code: str, kind: str, rows: Sequence[tuple[str, int | None, dict[str, Any]]],
            now: datetime) -> int:
    """Queue (idem_key, ref_id, record) rows; a key already queued is skipped by the database. Returns rows added."""
    if not rows:
        return 0
    values = [{"province_code": province_code, "kind": kind, "idem_key": key, "ref_id": ref, "record": record,
               "created_at": now, "next_attempt_at": now, "attempts": 0, "last_error": ""}
              for key, ref, record in rows]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # One executemany of a Core statement (not one huge VALUES list, whose compilation dominated the scan).
    stmt = insert(HtttOutbox.__table__).on_conflict_do_nothing(index_elements=["idem_key"]).returning(
        HtttOutbox.__table__.c.id)
    return len(session.connection().execute(stmt, values).all())


def province_villages(session: Session, province_code: str) -> tuple[dict[int, str], dict[int, str]]:
    """(village id → commune code, commune id → commune code) of one province."""
    province = session.scalar(select(Area).where(Area.code == province_code, Area.level == AreaLevel.PROVINCE))
    if province is None:
        return {}, {}
    communes = dict(session.execute(select(Area.id, Area.code).where(Area.parent_id == province.id)).all())
    villages = {vid: communes[cid] for vid, cid in session.execute(
        select(Area.id, Area.parent_id).where(Area.parent_id.in_(list(communes) or [-1]))).all()}
    return villages, communes


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _iso_ms(ms: int | None) -> str | None:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds") if ms is not None else None


def _not_queued(kind: str, ref: Any) -> Any:
    return ~exists().where(HtttOutbox.kind == kind, HtttOutbox.ref_id == ref)


def scan_play_logs(session: Session, province_code: str, now: datetime, villages: dict[int, str]) -> int:
    """Queue a play log (nhật ký phát) for each settled final as-run row of the province's loudspeakers."""
    if not villages:
        return 0
    final = [o for o in Outcome.FINAL if o != Outcome.CANCELLED]
    rows = session.execute(
        select(AsRun, Node.village_id, Bulletin.title, Bulletin.article_id, Article.field_category)
        .join(Node, Node.id == AsRun.node_id).join(Bulletin, Bulletin.id == AsRun.bulletin_id)
        .join(Article, Article.id == Bulletin.article_id, isouter=True)
        .where(Node.village_id.in_(list(villages)), AsRun.outcome.in_(final),
               AsRun.scheduled_start >= now - LOOKBACK, AsRun.scheduled_start < now - SETTLE,
               _not_queued(OutboxKind.PLAY_LOG, AsRun.id))
        .order_by(AsRun.id).limit(SCAN_LIMIT)).all()
    records = [play_log_record(row, village_id, title, article_id, category, villages[village_id])
               for row, village_id, title, article_id, category in rows]
    return enqueue(session, province_code, OutboxKind.PLAY_LOG, records, now)


def play_log_record(row: AsRun, _village_id: int, title: str, article_id: int | None, category: str | None,
                    commune_code: str) -> tuple[str, int, dict[str, Any]]:
    key = f"nk-{row.id}"
    return key, row.id, {
        "idem_key": key, "play_id": row.id, "schedule_id": row.bulletin_id,
        "bulletin_id": article_id if article_id is not None else f"b{row.bulletin_id}", "title": title,
        "field_category": category, "cluster_id": row.node_id, "area": commune_code,
        "start": _iso(row.scheduled_start), "started_at": _iso_ms(row.started_at_ms),
        "played_s": round(row.played_ms / 1000, 1), "outcome": row.outcome, "reason": row.detail[:500],
    }


def scan_schedules(session: Session, province_code: str, now: datetime, communes: dict[int, str],
                   villages: dict[int, str], media_base_url: str = "") -> int:
    """Queue the BanTin of each newly scheduled article, its LichPhat, and a cancellation of each cancelled
    schedule the province already received."""
    if not communes:
        return 0
    area_code = communes | villages
    added = 0
    fresh = session.execute(
        select(Bulletin, Article, AudioAssetRow)
        .join(Article, Article.id == Bulletin.article_id, isouter=True)
        .join(AudioAssetRow, AudioAssetRow.id == Bulletin.audio_id)
        .where(Bulletin.kind == "item", Bulletin.status != BulletinStatus.CANCELLED,
               Bulletin.created_at >= now - LOOKBACK,
               Bulletin.id.in_(select(BulletinTarget.bulletin_id).where(BulletinTarget.area_id.in_(list(area_code)))),
               _not_queued(OutboxKind.SCHEDULE, Bulletin.id))
        .order_by(Bulletin.id).limit(SCAN_LIMIT)).all()
    bulletins: list[tuple[str, int | None, dict[str, Any]]] = []
    schedules: list[tuple[str, int | None, dict[str, Any]]] = []
    for bulletin, article, audio in fresh:
        receivers = sorted({area_code[t.area_id] for t in bulletin.targets if t.area_id in area_code})
        origin = receivers[0] if receivers else province_code
        bulletin_key = article.id if article is not None else f"b{bulletin.id}"
        if article is not None:
            bulletins.append(_bulletin_record(article, audio, origin, receivers, bulletin.priority, media_base_url))
        key = f"lp-{bulletin.id}"
        end = bulletin.start_at + timedelta(milliseconds=audio.duration_ms)
        schedules.append((key, bulletin.id, {
            "idem_key": key, "schedule_id": bulletin.id, "bulletin_id": bulletin_key, "title": bulletin.title,
            "priority": bulletin.priority, "area": origin, "receivers": receivers,
            "schedule": {"start": _iso(bulletin.start_at), "end": _iso(end), "schedule_kind": "once", "days": []},
        }))
    added += enqueue(session, province_code, OutboxKind.BULLETIN, bulletins, now)
    added += enqueue(session, province_code, OutboxKind.SCHEDULE, schedules, now)
    cancelled = session.scalars(
        select(Bulletin).where(Bulletin.status == BulletinStatus.CANCELLED, Bulletin.updated_at >= now - LOOKBACK,
                               ~_not_queued(OutboxKind.SCHEDULE, Bulletin.id),
                               _not_queued(OutboxKind.CANCEL, Bulletin.id)).limit(SCAN_LIMIT)).all()
    added += enqueue(session, province_code, OutboxKind.CANCEL, [
        (f"huy-{b.id}", b.id, {"idem_key": f"huy-{b.id}", "schedule_id": b.id, "reason": b.status_detail[:500]})
        for b in cancelled], now)
    return added


def _bulletin_record(article: Article, audio: AudioAssetRow, origin: str, receivers: list[str], priority: str,
                     media_base_url: str) -> tuple[str, int | None, dict[str, Any]]:
    key = f"bt-{article.id}"
    return key, article.id, {
        "idem_key": key, "bulletin_id": article.id, "title": article.title, "field_category": article.field_category,
        "summary": article.summary, "produced_at": _iso(article.produced_at or article.created_at),
        "duration_s": round(audio.duration_ms / 1000), "content_type": "audio",
        "author": {"author_name": article.author_name, "pen_name": article.pen_name, "email": ""},
        "content": f"{media_base_url.rstrip('/')}/media/{audio.sha256}.mp3" if media_base_url else audio.sha256,
        "priority": priority, "source": article.source, "area": origin, "receivers": receivers,
    }


def scan_status(session: Session, province_code: str, now: datetime, villages: dict[int, str],
                since: datetime | None) -> tuple[int, datetime | None]:
    """Queue a cluster status (trạng thái cụm loa) for each loudspeaker heard from since `since`; returns the
    count and the newest time seen (the next scan's `since`)."""
    if not villages:
        return 0, since
    seen = func.coalesce(Node.heartbeat_at, Node.status_at)
    query = select(Node).where(Node.village_id.in_(list(villages)), seen.isnot(None))
    if since is not None:
        query = query.where(seen > since)
    nodes = session.scalars(query.order_by(Node.id).limit(SCAN_LIMIT)).all()
    newest = since
    rows = []
    for node in nodes:
        at = node.heartbeat_at or node.status_at
        assert at is not None
        newest = at if newest is None or at > newest else newest
        key = f"tt-{node.id}-{int(at.timestamp())}"
        rows.append((key, None, status_record(node, key, at)))
    return enqueue(session, province_code, OutboxKind.STATUS, rows, now), newest


def status_record(node: Node, key: str, at: datetime) -> dict[str, Any]:
    """The cluster status from the node row: its last heartbeat, telemetry included (None where the box did
    not say; the province shows an empty field rather than a guess)."""
    position = ({"latitude": node.latitude, "longitude": node.longitude}
                if node.latitude is not None and node.longitude is not None else None)
    power = ({"mains": node.mains_on, "mains_lost_at": _iso(node.mains_lost_at),
              "amplifier": node.amplifier_on}
             if node.mains_on is not None or node.amplifier_on is not None else None)
    return {
        "idem_key": key, "cluster_id": node.id, "online": bool(node.online),
        "play_state": "playing" if node.current_command_id else "idle", "volume": node.volume,
        "connection": connection_text(node.network, node.signal_dbm), "position": position, "power": power,
        "temperature": node.temperature_c,
        "storage": {"used": node.cache_bytes, "limit": node.cache_limit_bytes, "free": node.storage_free_bytes,
                    "total": node.storage_total_bytes},
        "now_playing": node.current_command_id, "app_version": node.agent_version, "reported_at": _iso(at),
    }


def connection_text(network: str | None, signal_dbm: int | None) -> str | None:
    """"4G,-85dBm", the form public implementations send; either half alone when only it is known."""
    parts = [p for p in (network, None if signal_dbm is None else f"{signal_dbm}dBm") if p]
    return ",".join(parts) or None


def due(session: Session, province_code: str, now: datetime, limit: int) -> list[HtttOutbox]:
    """The oldest rows due now, all of the kind of the oldest one (one request carries one kind)."""
    first = session.scalar(select(HtttOutbox).where(
        HtttOutbox.province_code == province_code, HtttOutbox.sent_at.is_(None), HtttOutbox.next_attempt_at <= now)
        .order_by(HtttOutbox.next_attempt_at, HtttOutbox.id).limit(1))
    if first is None:
        return []
    return list(session.scalars(select(HtttOutbox).where(
        HtttOutbox.province_code == province_code, HtttOutbox.kind == first.kind, HtttOutbox.sent_at.is_(None),
        HtttOutbox.next_attempt_at <= now).order_by(HtttOutbox.id).limit(limit)))


def mark_sent(session: Session, ids: Iterable[int], now: datetime) -> None:
    ids = list(ids)
    if ids:
        session.execute(update(HtttOutbox).where(HtttOutbox.id.in_(ids)).values(sent_at=now, last_error="")
                        .execution_options(synchronize_session=False))


def mark_failed(session: Session, rows: Iterable[HtttOutbox], now: datetime, error: str, backoff: Backoff) -> None:
    for row in rows:
        row.attempts += 1
        row.last_error = error[:500]
        row.next_attempt_at = now + timedelta(seconds=backoff.delay_s(row.attempts))


def backlog(session: Session, province_code: str) -> dict[str, int]:
    """Rows still to send, per kind."""
    return dict(session.execute(select(HtttOutbox.kind, func.count()).where(
        HtttOutbox.province_code == province_code, HtttOutbox.sent_at.is_(None)).group_by(HtttOutbox.kind)).all())
