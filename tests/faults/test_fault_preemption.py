"""Emergency preemption latency with real player processes: the cut item is silent within 200 ms."""

import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from node_support import play_command

from radio.node.players import NullPlayer, ProcessPlayer
from radio.node.playout import Item, Playout
from radio.protocol import EventKind

pytestmark = [pytest.mark.faults, pytest.mark.integration]


class SleepPlayer(ProcessPlayer):
    """A stand-in process when ffplay is missing: it 'plays' by sleeping for the item's length."""

    def __init__(self) -> None:
        super().__init__("sleep", {})

    def commands(self, path: Path) -> list[list[str]]:
        return [["sleep", "5"]]


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "tone.mp3"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=f=440:d=5",
                    "-ac", "1", str(path)], check=True)
    return path


def make_player(kind: str, monkeypatch):
    if kind == "null":
        return NullPlayer()
    if kind == "ffplay" and shutil.which("ffplay"):
        monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")  # no sound card on a test machine
        return ProcessPlayer("ffplay", {})
    return SleepPlayer()


@pytest.mark.parametrize("kind", ["null", "ffplay"])
def test_emergency_silences_the_current_item_within_200_ms(kind, tone, monkeypatch):
    player = make_player(kind, monkeypatch)
    events = []
    alarm_started = threading.Event()

    def on_event(ev):
        events.append(ev)
        if ev.kind == EventKind.STARTED and ev.cmd.priority == "emergency":
            alarm_started.set()

    playout = Playout(player, on_event)
    threading.Thread(target=playout.run, daemon=True).start()
    try:
        t0 = int(time.time() * 1000)
        normal = play_command(t0 + 200, duration_ms=5000, if_interrupted="drop")
        alarm = play_command(t0 + 1200, duration_ms=300, priority="emergency")
        playout.submit(Item(normal, tone))
        time.sleep(0.5)
        current = playout._current
        assert current is not None and current.item.cmd.id == normal.id
        if hasattr(current.playback, "_procs"):
            assert current.playback._procs[0].poll() is None  # really playing when the emergency comes
        playout.submit(Item(alarm, tone))
        assert alarm_started.wait(3)
        cut = next(e for e in events if e.kind == EventKind.INTERRUPTED)
        started = next(e for e in events if e.kind == EventKind.STARTED and e.cmd.id == alarm.id)
        # The cut item's process has exited (stop() reaps it) before the emergency is reported started.
        if hasattr(current.playback, "_procs"):
            assert all(p.poll() is not None for p in current.playback._procs)
        stop_latency = cut.at_ms - alarm.start_at_ms
        start_latency = started.at_ms - alarm.start_at_ms
        print(f"\n{kind}: old item silenced {stop_latency} ms, emergency started {start_latency} ms after its time")
        assert 0 <= stop_latency <= 200 and 0 <= start_latency <= 200
        assert json.loads(cut.detail)["reason"] == "emergency"
    finally:
        playout.close()
