"""A full disk on the node: the cache and the state say why, and no partial download is left behind."""

import errno
import hashlib
import os
import sqlite3
import time

import pytest
from node_support import MediaServer, play_command

from radio.node.cache import FetchError, MediaCache
from radio.node.state import NodeState, StateError

pytestmark = pytest.mark.security


class FullDisk:
    """A writer that takes `room` bytes, then fails as a full file system does (ENOSPC)."""

    def __init__(self, inner, room: int) -> None:
        self.inner, self.room = inner, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.inner.write(data[:self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.inner.write(data)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.inner.close()


class FullDatabase:
    """The state connection on a full disk: reads work, every write fails with SQLITE_FULL."""

    def __init__(self, inner: sqlite3.Connection) -> None:
        self.inner = inner

    def execute(self, sql: str, *args):
        if sql.split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.inner.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture
def server():
    s = MediaServer()
    yield s
    s.close()


def _cache(tmp_path):
    return MediaCache(tmp_path / "cache", 10**9, timeout_s=5, retry_min_s=0.01, retry_max_s=0.05)


def test_cache_disk_full_fails_with_the_reason_and_leaves_no_part(tmp_path, server):
    body = os.urandom(200_000)
    url = server.add(body)
    cache = _cache(tmp_path)
    old = os.urandom(1000)
    (cache.dir / f"{hashlib.sha256(old).hexdigest()}.mp3").write_bytes(old)  # unpinned: may go to make room
    cache._open_part = lambda part, mode: FullDisk(part.open(mode), room=50_000)  # type: ignore[method-assign]
    with pytest.raises(FetchError, match=r"cache disk full: .*No space left on device"):
        cache.fetch(url, hashlib.sha256(body).hexdigest(), deadline_s=time.time() + 0.2)
    assert list(cache.dir.glob(".*.part")) == []
    assert list(cache.dir.glob("*.mp3")) == []  # evicted while trying to make room
    assert cache.error and cache.error.startswith("cache disk full")
    del cache._open_part  # space is back: the next download works and the error clears
    assert cache.fetch(url, hashlib.sha256(body).hexdigest()).read_bytes() == body
    assert cache.error is None


def test_a_download_given_up_at_its_deadline_deletes_its_partial_file(tmp_path, server):
    body = os.urandom(300_000)
    url = server.add(body)
    server.cut_after[url.rsplit("/", 1)[1]] = 100_000  # the link drops mid-file...
    cache = MediaCache(tmp_path / "cache", 10**9, timeout_s=5, retry_min_s=1.0)
    server.files.clear()  # ...and the media is gone when it would resume
    with pytest.raises(FetchError, match="media not available"):
        cache.fetch(url, hashlib.sha256(body).hexdigest(), deadline_s=time.time() + 0.3)
    assert list(cache.dir.glob(".*.part")) == []


def test_sweep_removes_parts_no_upcoming_command_needs(tmp_path):
    cache = _cache(tmp_path)
    needed, stale = "a" * 64, "b" * 64
    for sha in (needed, stale):
        (cache.dir / f".{sha}.part").write_bytes(b"half")
    cache.pin(needed)  # re-armed after a restart: its download resumes
    assert cache.sweep() == [f".{stale}.part"]
    assert [p.name for p in cache.dir.glob(".*.part")] == [f".{needed}.part"]


def test_state_disk_full_raises_a_state_error_with_the_reason_and_recovers(tmp_path):
    state = NodeState(tmp_path / "state.db")
    real = state._db
    state._db = FullDatabase(real)  # type: ignore[assignment]
    cmd = play_command(1_000_000)
    with pytest.raises(StateError, match="state disk full: database or disk is full"):
        state.remember(cmd.id, cmd)
    with pytest.raises(StateError):
        state.record_event("e1", "t", b"{}")
    assert state.error == "state disk full: database or disk is full"
    assert state.commands() == [] and state.outbox_size() == 0  # nothing half-written
    state._db = real
    state.remember(cmd.id, cmd)
    assert state.error is None and [c.cmd.id for c in state.commands()] == [cmd.id]
    state.close()
