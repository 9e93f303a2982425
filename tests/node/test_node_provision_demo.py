"""Provisioning a node into a running `radio demo`: the demo leaves a run file in its data dir, and
`radio node provision --data-dir` uses the demo's database and broker and reloads that broker, never another."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from launcher.cli import main as radio_main
from radio.broker import LocalRun, read_run_file, write_run_file
from radio.db.models import Node
from radio.db.session import make_engine
from radio.node.agent import NodeAgent
from radio.node.config import load_node_config

pytestmark = [pytest.mark.integration, pytest.mark.timeout(90)]
ROOT = Path(__file__).resolve().parents[2]


def _start_demo(workdir: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "launcher.cli", "demo", "--nodes", "2", "--port", "0",
                             "--workdir", str(workdir)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env, cwd=ROOT)
    printed: dict[str, str] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        key, _, value = line.partition(": ")
        printed[key] = value.strip()
        if line.startswith("Ctrl-C"):
            return proc, printed
    raise AssertionError(f"the demo exited early: {printed}")


def _stop_demo(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout:
        proc.stdout.close()


def test_a_node_provisioned_into_the_running_demo_connects_to_its_broker(tmp_path, capsys):
    proc, printed = _start_demo(tmp_path / "demo")
    agent = None
    try:
        data_dir = Path(printed["Data dir"].split("  ")[0])
        assert data_dir == tmp_path / "demo" / "data"
        run = read_run_file(data_dir)
        assert run is not None and run.broker_running()
        assert f"127.0.0.1:{run.broker_port}" in printed["Broker"] and str(run.broker_dir) in printed["Broker"]
        assert "radio node provision --data-dir" in printed["Add a node while it runs"]

        out = tmp_path / "extra"
        code = radio_main(["node", "provision", "--data-dir", str(data_dir), "--node-id", "n38001-0500",
                          "--village", "38001-02", "--out", str(out)])
        summary = capsys.readouterr().out
        assert code == 0, summary
        assert f"broker pid {run.broker_pid}" in summary and "mosquitto reloaded" in summary
        engine = make_engine(run.database_url)  # the demo's own database, not the default data dir's
        with Session(engine) as s:
            assert s.get(Node, "n38001-0500").village.code == "38001-02"
        engine.dispose()

        config = load_node_config(out / "node.toml")
        assert (config.broker_host, config.broker_port) == ("127.0.0.1", run.broker_port)
        assert config.player == "file" and config.cache_dir == out / "cache" and config.state_dir == out
        time.sleep(0.3)  # mosquitto re-reads its password file and ACL on SIGHUP
        agent = NodeAgent(config)
        agent.start(wait_s=10)
        assert agent.link.is_connected  # the demo's broker knows the new password: it was reloaded
    finally:
        if agent is not None:
            agent.stop()
        _stop_demo(proc)
    assert read_run_file(data_dir) is None  # a stopped demo leaves no run file behind


def _run_file(data_dir: Path, pid: int) -> None:
    data_dir.mkdir(parents=True)
    write_run_file(data_dir, LocalRun(pid, 1883, data_dir.parent / "broker", f"sqlite:///{data_dir}/radio.db",
                                      "http://127.0.0.1:5000", "file"))


def test_a_stale_run_file_is_refused_rather_than_reloading_another_broker(tmp_path, capsys):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _run_file(tmp_path / "data", dead.pid)
    code = radio_main(["node", "provision", "--data-dir", str(tmp_path / "data"), "--node-id", "n1", "--village",
                      "38001-01", "--out", str(tmp_path / "b")])
    assert code == 2 and "is not running" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_a_run_file_naming_another_process_is_never_signalled(tmp_path, capsys, monkeypatch):
    signalled = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: signalled.append((pid, sig)))
    _run_file(tmp_path / "data", os.getpid())  # alive, but not this broker dir's mosquitto
    code = radio_main(["node", "provision", "--data-dir", str(tmp_path / "data"), "--node-id", "n1", "--village",
                      "38001-01", "--out", str(tmp_path / "b")])
    assert code == 2 and "is not running" in capsys.readouterr().err
    assert all(sig == 0 for _pid, sig in signalled)  # only ever probed, never SIGHUP

