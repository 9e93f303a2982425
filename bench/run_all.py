"""Run every benchmark with the sizes the issues ask for; collect each one's last-line JSON result.

`make bench` runs this. `--quick` uses small sizes (a smoke run, not a measurement). Results go to stdout and
to var/bench/results-<UTC time>.json; copy the figures worth keeping into docs/benchmarks.md with the command.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("RADIO_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def plan(quick: bool) -> list[list[str]]:
    n = (lambda full, small: str(small if quick else full))  # noqa: E731
    runs = [
        ["bench/tts_speed.py"],
        ["bench/normalize_accuracy.py"],
        ["bench/dispatch_sync.py", "--nodes", n(1000, 50)],
        ["bench/fanout.py", "--nodes", n(1000, 50)],
        ["bench/field_sync.py", "--nodes", n(1000, 50), "--sink-nodes", n(20, 4)],
        ["bench/field_agents.py", "--nodes", "6", "--warmup-s", n(40, 15)],
        ["bench/fanout.py", "--nodes", n(10000, 200), "--idle"],
        ["bench/ingest.py", "--events", n(200000, 5000)],
        ["bench/mqtt_receive.py", "--messages", n(60000, 3000)],
        ["bench/report_query.py", "--rows", n(10_000_000, 20000)],
    ]
    if postgres_up():
        runs.append(["bench/report_query.py", "--rows", n(10_000_000, 20000), "--db", PG_URL])
    return [r for r in runs if (ROOT / r[0]).exists()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", help="run only benchmarks whose command contains this text")
    args = parser.parse_args()
    results = []
    for cmd in plan(args.quick):
        if args.only and args.only not in " ".join(cmd):
            continue
        shown = "python " + " ".join(cmd)
        print(f"== {shown}", flush=True)
        t0 = time.monotonic()
        proc = subprocess.run([sys.executable, *cmd], cwd=ROOT, capture_output=True, text=True)
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        try:
            result = json.loads(last)
        except json.JSONDecodeError:
            result = {"error": (proc.stderr or last)[-2000:]}
        results.append({"command": shown, "exit": proc.returncode, "seconds": round(time.monotonic() - t0, 1),
                        "result": result})
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    out = ROOT / "var" / "bench" / f"results-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"results written to {out.relative_to(ROOT)}")
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
