"""bench/media_fanout.py stays runnable: a tiny fan-out through the token-bucket uplink, gunicorn and Werkzeug."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def test_small_fanout_through_a_throttled_uplink_is_ready_before_air():
    started = time.monotonic()
    # 20 nodes x 200 kB through 16 Mbit/s: 2 s of transfer, so the token bucket really paces the downloads.
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "media_fanout.py"), "--nodes", "20", "--size-mb", "0.2", "--procs", "1",
         "--uplink-mbit", "16", "--threads", "4", "--timeout-s", "30"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["nodes"] == 20 and summary["ready"] == 20 and summary["bytes_per_node"] == 200_000
    assert summary["baseline_ready"] == 20
    # Paced by the bucket: 4 MB at 2 MB/s cannot all be ready in much under 2 s.
    assert summary["ready_max_s"] >= 1.5
    assert summary["air_after_s"] == 120.0 and elapsed < 110
