"""The node's durable state in one SQLite file: upcoming commands, seen ids, the as-run outbox, settings.

Everything a power cut must not lose is written here before it is acted on or published: a command is stored
when accepted (so a restarted agent re-arms it without a re-send), an event is stored before it is published
and deleted only after the broker's PUBACK (so a dropped link loses nothing; the server dedupes re-sends).
An event and the command-state change it implies are one transaction, so the two cannot disagree.
"""

from __future__ import annotations

import contextlib
import errno
import json
import sqlite3
import threading
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from radio.protocol import PlayCommand
from radio.protocol.messages import decode_command_obj, to_dict

SCHEMA = """
CREATE TABLE IF NOT EXISTS commands (
    id TEXT PRIMARY KEY, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'accepted',
    attempt INTEGER NOT NULL DEFAULT 1, started_ms INTEGER
);
CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, topic TEXT NOT NULL, payload BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class StateError(Exception):
    """The state file cannot be written (disk full, I/O error): the node must say so, not fail silently."""


class Change(Enum):
    """What an event means for the stored command."""

    NONE = "none"
    STARTED = "started"  # playing: after a crash it is reported interrupted, not played again
    RETRY = "retry"  # interrupted by an emergency, will be replayed: keep it, next attempt
    DONE = "done"  # final outcome reported: forget the command


@dataclass(frozen=True)
class StoredCommand:
    cmd: PlayCommand
    state: str
    attempt: int
    started_ms: int | None


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    event_id: str
    topic: str
    payload: bytes


class NodeState:
    def __init__(self, path: Path, *, seen_capacity: int = 10000) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.seen_capacity = seen_capacity
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        # WAL + FULL: a committed row survives a power cut, and readers never block the writer.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self.error: str | None = None  # why the last write failed, until one succeeds (sent in the heartbeat)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _tx(self, statements: list[tuple[str, tuple[object, ...]]]) -> int:
        """Run the statements in one transaction; return the row id the first one inserted."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    first = self._db.execute(*statements[0]).lastrowid
                    for sql, args in statements[1:]:
                        self._db.execute(sql, args)
                    self._db.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):  # nothing to roll back when BEGIN itself failed
                        self._db.execute("ROLLBACK")
                    raise
            except (sqlite3.OperationalError, OSError) as exc:
                # SQLITE_FULL arrives as OperationalError("database or disk is full").
                full = "full" in str(exc) or getattr(exc, "errno", None) == errno.ENOSPC
                self.error = f"state disk full: {exc}" if full else f"state not writable: {exc}"
                raise StateError(self.error) from exc
            self.error = None
        return int(first or 0)

    def _query(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._db.execute(sql, args).fetchall())

    # --- commands and replay protection -------------------------------------------------------------
    def remember(self, command_id: str, play: PlayCommand | None = None) -> None:
        """Record a seen command id, and the command itself when it is a play to re-arm after a restart."""
        stmts: list[tuple[str, tuple[object, ...]]] = [("INSERT OR IGNORE INTO seen (id) VALUES (?)", (command_id,))]
        if play is not None:
            stmts.append(("INSERT OR IGNORE INTO commands (id, payload) VALUES (?, ?)",
                          (play.id, json.dumps(to_dict(play), ensure_ascii=False))))
        self._tx(stmts)

    def seen_ids(self) -> list[str]:
        rows = self._query("SELECT id FROM seen ORDER BY rowid DESC LIMIT ?", (self.seen_capacity,))
        return [str(r[0]) for r in reversed(rows)]

    def prune_seen(self) -> None:
        self._tx([("DELETE FROM seen WHERE rowid <= (SELECT MAX(rowid) FROM seen) - ?", (self.seen_capacity,))])

    def commands(self) -> list[StoredCommand]:
        rows = self._query("SELECT payload, state, attempt, started_ms FROM commands ORDER BY rowid")
        out = []
        for payload, state, attempt, started in rows:
            cmd = decode_command_obj(json.loads(str(payload)))
            if isinstance(cmd, PlayCommand):
                out.append(StoredCommand(cmd, str(state), int(attempt),  # type: ignore[call-overload]
                                         None if started is None else int(started)))  # type: ignore[call-overload]
        return out

    # --- the as-run outbox --------------------------------------------------------------------------
    def record_event(self, event_id: str, topic: str, payload: bytes, command_id: str | None = None,
                     change: Change = Change.NONE, *, attempt: int = 1, at_ms: int = 0) -> int:
        """Store an event for delivery together with what it means for its command; return its outbox seq."""
        stmts: list[tuple[str, tuple[object, ...]]] = [
            ("INSERT INTO outbox (event_id, topic, payload) VALUES (?, ?, ?)", (event_id, topic, payload))]
        if command_id is not None and change is Change.STARTED:
            stmts.append(("UPDATE commands SET state='started', attempt=?, started_ms=? WHERE id=?",
                          (attempt, at_ms, command_id)))
        elif command_id is not None and change is Change.RETRY:
            stmts.append(("UPDATE commands SET state='accepted', attempt=? WHERE id=?", (attempt + 1, command_id)))
        elif command_id is not None and change is Change.DONE:
            stmts.append(("DELETE FROM commands WHERE id=?", (command_id,)))
        return self._tx(stmts)

    def outbox(self) -> list[OutboxRow]:
        rows = self._query("SELECT seq, event_id, topic, payload FROM outbox ORDER BY seq")
        return [OutboxRow(int(s), str(e), str(t), bytes(p)) for s, e, t, p in rows]  # type: ignore[call-overload,arg-type]

    def delivered(self, seq: int) -> None:
        self._tx([("DELETE FROM outbox WHERE seq=?", (seq,))])

    def outbox_size(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM outbox")[0][0])  # type: ignore[call-overload]

    # --- settings that outlive a restart (volume) ---------------------------------------------------
    def get(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM settings WHERE key=?", (key,))
        return str(rows[0][0]) if rows else None

    def put(self, key: str, value: str) -> None:
        self._tx([("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))])
