"""Start at the sound: decode ahead to PCM, open the output early, first sample out at start_at (issue 12)."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from radio.node.pcm import RATE, AheadPlayer, decode_pcm, realtime
from radio.node.players import make_player


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pcm") / "tone.mp3"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=1", "-ac", "1", "-b:a", "64k", str(path)], check=True)
    return path


def test_decode_gives_mono_s16le_at_the_rate_asked(tone):
    pcm = decode_pcm(tone, rate=RATE)
    assert abs(len(pcm) / 2 / RATE - 1.0) < 0.06  # an MP3 carries a few ms of encoder padding


def test_the_first_sample_leaves_the_sink_at_start_at_with_the_output_latency_compensated(tone):
    player = AheadPlayer("sink", {"output_latency_ms": 25, "sink_latency_ms": 25})
    player.prepare(tone, "item-1")
    start = time.time() + 1.0  # decoding a second of audio takes ~50 ms, far more on a loaded machine
    playback = player.play_at(tone, start_s=start, clock=time.time, duration_ms=1000, item_id="item-1")
    assert playback.wait(5) and not playback.interrupted and playback.error is None
    assert abs(player.onsets["item-1"] - start) < 0.010  # the onset target; ~0.3 ms on an idle machine
    # The sink drains at the real sample rate: the item took its own length to play out.
    assert time.time() - start > 0.9


def test_an_uncompensated_output_latency_is_what_the_sink_measures(tone):
    player = AheadPlayer("sink", {"output_latency_ms": 0, "sink_latency_ms": 40})
    player.prepare(tone, "late")
    start = time.time() + 1.0
    player.play_at(tone, start_s=start, clock=time.time, duration_ms=1000, item_id="late").wait(5)
    assert 0.035 < player.onsets["late"] - start < 0.05


def test_the_sink_log_splits_an_onset_error_into_clock_error_and_wake_up(tone, tmp_path):
    log_path = tmp_path / "sink.jsonl"
    player = AheadPlayer("sink", {"sink_log": str(log_path)})
    player.prepare(tone, "fast")
    start = time.time() + 1.0

    def fast_clock() -> float:  # a time base 30 ms ahead of true time: the sound leaves 30 ms early
        return time.time() + 0.030

    player.play_at(tone, start_s=start, clock=fast_clock, duration_ms=1000, item_id="fast").wait(5)
    record = json.loads(log_path.read_text().splitlines()[0])
    assert record["item_id"] == "fast" and record["scheduled_at"] == start
    assert 29 < record["clock_error_ms"] < 31
    wake_late_ms = (record["first_sample_at"] - start) * 1000 + record["clock_error_ms"]
    assert 0 <= wake_late_ms < 10


def test_the_start_runs_at_real_time_priority_when_allowed_and_drops_it_after(tone, tmp_path):
    log_path = tmp_path / "sink.jsonl"
    player = AheadPlayer("sink", {"sink_log": str(log_path)})
    player.prepare(tone, "rt")
    playback = player.play_at(tone, start_s=time.time() + 0.5, clock=time.time, duration_ms=1000, item_id="rt")
    assert playback.wait(5) and playback.error is None
    record = json.loads(log_path.read_text().splitlines()[0])
    allowed = os.geteuid() == 0 or resource.getrlimit(resource.RLIMIT_RTPRIO)[0] > 0
    assert playback.realtime is allowed and record["realtime"] is allowed
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # this thread was never touched


def test_real_time_priority_can_be_turned_off(tone, tmp_path):
    log_path = tmp_path / "sink.jsonl"
    player = AheadPlayer("sink", {"sink_log": str(log_path), "realtime": False})
    player.prepare(tone, "plain")
    playback = player.play_at(tone, start_s=time.time() + 0.5, clock=time.time, duration_ms=1000, item_id="plain")
    assert playback.wait(5) and playback.realtime is False
    assert json.loads(log_path.read_text().splitlines()[0])["realtime"] is False


def test_a_box_that_refuses_real_time_priority_still_starts_on_time(tone, tmp_path, monkeypatch):
    def refuse(*args):
        raise PermissionError(1, "Operation not permitted")  # an unprivileged agent without LimitRTPRIO

    monkeypatch.setattr(os, "sched_setscheduler", refuse)
    log_path = tmp_path / "sink.jsonl"
    player = AheadPlayer("sink", {"sink_log": str(log_path)})
    player.prepare(tone, "plain")
    start = time.time() + 0.5
    playback = player.play_at(tone, start_s=start, clock=time.time, duration_ms=1000, item_id="plain")
    assert playback.wait(5) and playback.error is None and playback.realtime is False
    assert abs(player.onsets["plain"] - start) < 0.010
    assert json.loads(log_path.read_text().splitlines()[0])["realtime"] is False


def test_realtime_puts_the_calling_thread_back_to_ordinary_scheduling():
    seen: list[int] = []

    def body() -> None:
        if realtime(True):
            seen.append(os.sched_getscheduler(0))
        realtime(False)
        seen.append(os.sched_getscheduler(0))

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen[-1] == os.SCHED_OTHER and all(p in (os.SCHED_FIFO, os.SCHED_OTHER) for p in seen)


def test_stopping_cuts_the_item_and_says_it_was_interrupted(tone):
    player = AheadPlayer("sink", {})
    player.prepare(tone, "cut")
    playback = player.play_at(tone, start_s=time.time() + 0.1, clock=time.time, duration_ms=1000, item_id="cut")
    time.sleep(0.3)
    t = time.monotonic()
    playback.stop()
    assert playback.wait(0) and playback.interrupted and time.monotonic() - t < 0.2


def test_a_stop_does_not_wait_for_the_decoder(tone):
    player = AheadPlayer("sink", {})
    playback = player.play_at(tone, start_s=time.time(), clock=time.time, duration_ms=1000, item_id="undecoded")
    t = time.monotonic()
    playback.stop()  # at once: the decoder is most likely still running
    assert playback.wait(0) and time.monotonic() - t < 0.2


def test_aplay_gets_raw_pcm_on_its_stdin_with_the_format_on_its_command_line(tone, tmp_path, monkeypatch):
    # No sound card here: a stand-in aplay records its arguments and counts the bytes it is fed.
    fake = tmp_path / "bin" / "aplay"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\nwc -c > {tmp_path}/bytes\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    player = make_player("aplay", {"alsa_device": "plughw:CARD=Device"})
    assert isinstance(player, AheadPlayer)
    playback = player.play_at(tone, start_s=time.time() + 0.2, clock=time.time, duration_ms=1000, item_id="a")
    assert playback.wait(5) and playback.error is None
    args = (tmp_path / "args").read_text().split()
    assert args[:10] == ["-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", str(RATE), "-D"]
    assert int((tmp_path / "bytes").read_text()) == len(decode_pcm(tone))


def test_auto_prefers_the_decode_ahead_path_when_aplay_is_installed(tmp_path, monkeypatch):
    fake = tmp_path / "aplay"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert make_player("auto").name == "aplay"


def test_the_playout_hands_the_item_over_early_and_reports_the_start_at_the_sound(tone):
    import threading

    from node_support import play_command

    from radio.node.playout import Item, Playout

    events = []
    player = AheadPlayer("sink", {"start_lead_ms": 300, "output_latency_ms": 10, "sink_latency_ms": 10})
    playout = Playout(player, events.append, clock=time.time)
    threading.Thread(target=playout.run, daemon=True).start()
    try:
        cmd = play_command(int(time.time() * 1000) + 3000, duration_ms=1000)  # time to decode on a loaded box
        playout.submit(Item(cmd, tone))  # decoding starts now, not at air time
        deadline = time.time() + 5
        while cmd.id not in player.onsets and time.time() < deadline:
            time.sleep(0.01)
        assert abs(player.onsets[cmd.id] * 1000 - cmd.start_at_ms) < 10
        started = next(e for e in events if e.kind == "started")
        assert started.at_ms == cmd.start_at_ms
    finally:
        playout.close(silent=True)
