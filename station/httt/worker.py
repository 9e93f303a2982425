"""The connector's loop: for each configured province, queue what is new (scans), send what is due (batches of one
kind, marked sent only on the province's answer), and pull the bulletins it sends down. Every step takes `now` from
the injected clock, so a test runs a two-hour outage in seconds; `run_forever` is what the scheduler process runs."""

from __future__ import annotations

import logging
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from radio.db.models import Area, AreaLevel
from radio.db.province import HtttCursor, HtttOutbox, ProvinceBulletin
from station.audit import SYSTEM, record
from station.httt import outbox
from station.httt.client import ProvinceClient, SendError
from station.httt.config import ProvinceLink
from station.httt.inbound import MAX_AUDIO_TRIES, AudioFetch, InboundResult, fetch_failure, receive

log = logging.getLogger(__name__)
MAX_BATCHES_PER_TICK = 400
AUDIO_FETCHES_PER_PULL = 5  # downloads of up to the upload limit each: a few per pull keep a tick short


@dataclass
class LinkStats:
    sent: int = 0
    duplicates: int = 0  # the province already had it (a retry after a lost answer): counted once there
    failures: int = 0
    item_errors: int = 0
    received: int = 0
    last_error: str = ""
    last_ok: datetime | None = None


@dataclass
class _LinkState:
    link: ProvinceLink
    client: ProvinceClient
    stats: LinkStats = field(default_factory=LinkStats)
    next_pull: datetime | None = None
    next_scan: datetime | None = None
    next_status: datetime | None = None
    blocked_until: datetime | None = None  # after a failed request: no traffic to this province until then
    failures_in_row: int = 0


class Connector:
    """Drives the outbox and the inbound pull for the configured provinces."""

    def __init__(self, sessions: sessionmaker[Session], links: list[ProvinceLink], clock: Callable[[], datetime], *,
                 media_base_url: str = "", audio_fetch: AudioFetch | None = None, scan: bool = True) -> None:
        self.sessions = sessions
        self.clock = clock
        self.media_base_url = media_base_url
        self.audio_fetch = audio_fetch
        self.scan_enabled = scan
        self.states = [_LinkState(link, ProvinceClient(link, clock)) for link in links]

    def stats(self) -> dict[str, Any]:
        return {s.link.code: vars(s.stats) | {"logins": s.client.logins,
                                               "last_ok": s.stats.last_ok.isoformat() if s.stats.last_ok else ""}
                for s in self.states}

    # --- one tick -------------------------------------------------------------------------------------------
    def run_once(self) -> None:
        for state in self.states:
            try:
                self._tick(state)
            except Exception:  # one province's bug must not stop the others, nor the scheduler
                log.exception("HTTT nguồn connector, province %s", state.link.code)

    def _tick(self, state: _LinkState) -> None:
        now = self.clock()
        # The scans read days of as-run rows: every scan_every_s, not every tick (sending and pulling are cheap).
        if self.scan_enabled and (state.next_scan is None or now >= state.next_scan):
            self.scan(state.link, now, status=state.next_status is None or now >= state.next_status)
            state.next_scan = now + timedelta(seconds=state.link.scan_every_s)
            if state.next_status is None or now >= state.next_status:
                state.next_status = now + timedelta(seconds=state.link.status_every_s)
        if state.blocked_until is not None and now < state.blocked_until:
            return
        self.drain(state)
        if state.blocked_until is None and (state.next_pull is None or now >= state.next_pull):
            self.pull(state)
            self.fetch_waiting_audio(state.link)

    def scan(self, link: ProvinceLink, now: datetime, *, status: bool = True) -> int:
        with self.sessions() as session:
            villages, communes = outbox.province_villages(session, link.code)
            added = outbox.scan_schedules(session, link.code, now, communes, villages, self.media_base_url)
            added += outbox.scan_play_logs(session, link.code, now, villages)
            if status:
                cursor = session.get(HtttCursor, (link.code, "status"))
                since = datetime.fromisoformat(cursor.value) if cursor is not None and cursor.value else None
                count, newest = outbox.scan_status(session, link.code, now, villages, since)
                added += count
                if newest is not None:
                    self._set_cursor(session, link.code, "status", newest.isoformat(), now)
            session.commit()
            return added

    def drain(self, state: _LinkState, max_batches: int = MAX_BATCHES_PER_TICK) -> int:
        """Send due rows batch by batch until none is due or a request fails; returns rows sent."""
        sent = 0
        for _ in range(max_batches):
            now = self.clock()
            with self.sessions() as session:
                rows = outbox.due(session, state.link.code, now, state.link.batch)
                if not rows:
                    return sent
                ok = self._send(session, state, rows, now)
                session.commit()
            if not ok:
                return sent
            sent += len(rows)
        return sent

    def _send(self, session: Session, state: _LinkState, rows: list[HtttOutbox], now: datetime) -> bool:
        mapping = state.link.mapping
        f = mapping.fields
        body = {f["items"]: [mapping.to_wire(r.record) for r in rows]}
        try:
            reply = state.client.call("POST", rows[0].kind, body)
            results = _results(reply, f)
        except SendError as exc:
            outbox.mark_failed(session, rows, now, str(exc), state.link.backoff)
            state.stats.failures += 1
            state.stats.last_error = str(exc)
            state.failures_in_row += 1
            state.blocked_until = now + timedelta(seconds=state.link.backoff.delay_s(state.failures_in_row))
            log.warning("HTTT nguồn %s: %s; %d records wait (retry in %.0f s)", state.link.code, exc, len(rows),
                        state.link.backoff.delay_s(state.failures_in_row))
            return False
        state.failures_in_row, state.blocked_until, state.stats.last_ok = 0, None, now
        accepted, rejected = [], []
        for row in rows:
            answer = results.get(row.idem_key)
            if answer is None:
                rejected.append((row, "không có kết quả cho bản ghi này"))
            elif answer[0] in ("created", "duplicate"):
                accepted.append(row.id)
                state.stats.duplicates += answer[0] == "duplicate"
            else:
                rejected.append((row, answer[1] or answer[0]))
        outbox.mark_sent(session, accepted, now)
        state.stats.sent += len(accepted)
        for row, why in rejected:  # kept, retried with backoff, visible with its error: never dropped silently
            outbox.mark_failed(session, [row], now, why, state.link.backoff)
            state.stats.item_errors += 1
        return True

    def pull(self, state: _LinkState) -> InboundResult:
        """Fetch the bulletins sent down since the last pull and file them into the communes' inboxes."""
        now = self.clock()
        f = state.link.mapping.fields
        result = InboundResult()
        with self.sessions() as session:
            cursor = session.get(HtttCursor, (state.link.code, "inbound"))
            query = urllib.parse.urlencode({"DiaBan": state.link.code, f["after"]: cursor.value if cursor else ""})
            try:
                reply = state.client.call("GET", "inbound", None, query)
            except SendError as exc:
                state.stats.last_error = str(exc)
                state.next_pull = now + timedelta(seconds=state.link.pull_every_s)
                return result
            items = reply.get(f["items"]) if isinstance(reply, dict) else None
            if not isinstance(items, list):
                state.stats.last_error = "danh sách bản tin gửi xuống không hợp lệ"
                state.next_pull = now + timedelta(seconds=state.link.pull_every_s)
                return result
            for wire in items[:1000]:
                if isinstance(wire, dict):
                    receive(session, state.link.code, state.link.mapping.from_wire(wire), now, result,
                            self.audio_fetch)
            nxt = reply.get(f["next"])
            if isinstance(nxt, str | int) and len(str(nxt)) <= 64:
                self._set_cursor(session, state.link.code, "inbound", str(nxt), now)
            session.commit()
        state.stats.received += len(result.created)
        state.next_pull = now + timedelta(seconds=state.link.pull_every_s)
        return result

    def fetch_waiting_audio(self, link: ProvinceLink, limit: int = AUDIO_FETCHES_PER_PULL) -> int:
        """Fetch the recordings of this province's bulletins that were filed without them (pushed, or a download
        that failed), oldest first, at most `limit` per pull and MAX_AUDIO_TRIES per bulletin; returns how many
        arrived. No transaction is held open during a download."""
        if self.audio_fetch is None:
            return 0
        with self.sessions() as session:
            province_id = session.scalar(select(Area.id).where(Area.code == link.code,
                                                               Area.level == AreaLevel.PROVINCE))
            waiting = session.execute(
                select(ProvinceBulletin.id, ProvinceBulletin.audio_link)
                .where(ProvinceBulletin.origin_area_id == province_id, ProvinceBulletin.audio_id.is_(None),
                       ProvinceBulletin.audio_link != "", ProvinceBulletin.audio_tries < MAX_AUDIO_TRIES)
                .order_by(ProvinceBulletin.id).limit(limit)).all()
        arrived = 0
        for item_id, audio_link in waiting:
            audio_id = self.audio_fetch(audio_link)
            with self.sessions() as session:
                item = session.get(ProvinceBulletin, item_id)
                if item is None or item.audio_id is not None:
                    continue
                if audio_id is None:
                    item.audio_tries += 1
                    item.audio_error = fetch_failure(self.audio_fetch, audio_link)
                else:
                    item.audio_id, item.audio_link, item.audio_error = audio_id, "", ""
                    record(session, SYSTEM, "province.audio", "province_bulletin", item.id, None,
                           {"audio_id": audio_id, "tries": item.audio_tries + 1}, "HTTT nguồn", area_id=province_id)
                    arrived += 1
                session.commit()
        return arrived

    @staticmethod
    def _set_cursor(session: Session, code: str, stream: str, value: str, now: datetime) -> None:
        row = session.get(HtttCursor, (code, stream))
        if row is None:
            session.add(HtttCursor(province_code=code, stream=stream, value=value, updated_at=now))
        else:
            row.value, row.updated_at = value, now

    # --- the loop ----------------------------------------------------------------------------------------------
    def run_forever(self, stopping: threading.Event, every_s: float = 1.0) -> None:
        while not stopping.is_set():
            self.run_once()
            stopping.wait(every_s)

    def backlog(self) -> dict[str, dict[str, int]]:
        with self.sessions() as session:
            return {s.link.code: outbox.backlog(session, s.link.code) for s in self.states}


def _results(reply: Any, f: dict[str, str]) -> dict[str, tuple[str, str]]:
    """idem key → (state, error) from the province's answer; a malformed answer is a (transient) SendError."""
    items = reply.get(f["results"]) if isinstance(reply, dict) else None
    if not isinstance(items, list):
        raise SendError("trả lời của HTTT nguồn thiếu danh sách kết quả")
    out: dict[str, tuple[str, str]] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get(f["idem_key"]), str):
            out[item[f["idem_key"]]] = (str(item.get(f["state"], "")), str(item.get(f["error"], ""))[:300])
    return out

