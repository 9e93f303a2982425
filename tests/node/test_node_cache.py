"""Media cache: resumed downloads, hash checks with refetch, LRU eviction that spares upcoming media."""

import hashlib
import os
import time

import pytest
from node_support import MediaServer

from radio.node.cache import FetchError, MediaCache


@pytest.fixture
def server():
    s = MediaServer()
    yield s
    s.close()


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def cache(tmp_path, limit=10**9):
    return MediaCache(tmp_path / "cache", limit, timeout_s=5, retry_min_s=0.01, retry_max_s=0.05)


def test_interrupted_download_resumes_with_a_range_request(tmp_path, server):
    body = os.urandom(300_000)
    url = server.add(body)
    server.cut_after[url.rsplit("/", 1)[-1]] = 150_000  # the link drops mid-file once
    path = cache(tmp_path).fetch(url, sha(body))
    assert path.read_bytes() == body
    ranges = [r for _, r in server.requests]
    assert ranges[0] is None and ranges[1] is not None and ranges[1].startswith("bytes=")
    assert int(ranges[1][6:-1]) > 0  # resumed, not restarted


def test_corrupted_download_is_deleted_and_fetched_again(tmp_path, server):
    body = b"good audio" * 1000
    url = server.add(body)
    server.bad[url.rsplit("/", 1)[-1]] = 2
    path = cache(tmp_path).fetch(url, sha(body))
    assert path.read_bytes() == body
    assert len(server.requests) == 3


def test_media_that_stays_corrupted_is_never_cached(tmp_path, server):
    body = b"good audio"
    url = server.add(body)
    server.bad[url.rsplit("/", 1)[-1]] = 1000
    c = cache(tmp_path)
    with pytest.raises(FetchError, match="sha256 mismatch"):
        c.fetch(url, sha(body), deadline_s=time.time() + 0.3)
    assert list(c.dir.iterdir()) == []


def test_damaged_cached_file_is_not_served(tmp_path):
    c = cache(tmp_path)
    body = b"audio"
    c.path(sha(body)).write_bytes(b"rotten")
    assert c.verified(sha(body)) is None
    assert not c.path(sha(body)).exists()


def test_eviction_drops_least_recently_used_but_never_pinned_files(tmp_path):
    c = cache(tmp_path, limit=2500)
    bodies = [bytes([i]) * 1000 for i in range(3)]
    for age, body in enumerate(bodies):
        path = c.path(sha(body))
        path.write_bytes(body)
        os.utime(path, (1000 + age, 1000 + age))
    c.pin(sha(bodies[0]))  # the oldest is needed by an upcoming command
    assert c.evict() == [sha(bodies[1])]
    assert c.path(sha(bodies[0])).exists() and c.path(sha(bodies[2])).exists()
    c.unpin(sha(bodies[0]))
    c.limit_bytes = 1000
    assert c.evict() == [sha(bodies[0])]


def test_using_a_file_makes_it_recent(tmp_path):
    c = cache(tmp_path, limit=1500)
    old, new = b"a" * 1000, b"b" * 1000
    for age, body in enumerate((old, new)):
        c.path(sha(body)).write_bytes(body)
        os.utime(c.path(sha(body)), (1000 + age, 1000 + age))
    assert c.verified(sha(old))  # played again: now the most recent
    assert c.evict() == [sha(new)]
