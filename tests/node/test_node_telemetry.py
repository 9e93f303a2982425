"""What the box reads of itself for the heartbeat: fake sysfs files in tmp_path, missing, garbage, out of range."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from radio.node.agent import NodeAgent
from radio.node.config import NodeConfig, NodeConfigError, node_config_from_dict
from radio.node.telemetry import (
    TelemetryConfig,
    TelemetryReader,
    parse_signal,
    read_flag,
    read_temperature_c,
    run_signal_command,
)
from radio.protocol import decode_heartbeat, encode
from radio.protocol.signing import generate_private_key, public_key_pem


@pytest.fixture
def pem(tmp_path: Path) -> str:
    return public_key_pem(generate_private_key(tmp_path / "k.pem"))


def _zone(root: Path, n: int, text: str) -> None:
    (root / f"thermal_zone{n}").mkdir(parents=True, exist_ok=True)
    (root / f"thermal_zone{n}" / "temp").write_text(text)


def _reader(tmp_path: Path, now: list[int] | None = None, **config: object) -> TelemetryReader:
    clock = now if now is not None else [1_795_301_100_000]
    return TelemetryReader(TelemetryConfig(**{"thermal_dir": tmp_path / "thermal", **config}),  # type: ignore[arg-type]
                           tmp_path, now_ms=lambda: clock[0])


def test_temperature_is_the_hottest_sane_zone(tmp_path: Path) -> None:
    root = tmp_path / "thermal"
    _zone(root, 0, "48500\n")
    _zone(root, 1, "51234\n")
    _zone(root, 2, "garbage")  # unreadable number: skipped
    _zone(root, 3, "-273000")  # a missing sensor reports absolute zero: skipped
    _zone(root, 4, "999000")  # 999 °C: a broken sensor, skipped
    assert read_temperature_c(root) == 51.2


@pytest.mark.parametrize("content", [None, "", "abc", "-273150", "200000"])
def test_no_usable_temperature_gives_no_field(tmp_path: Path, content: str | None) -> None:
    if content is not None:
        _zone(tmp_path / "thermal", 0, content)
    reading = _reader(tmp_path).read()
    assert "temperature_c" not in reading
    assert reading["storage_total_bytes"] >= reading["storage_free_bytes"] >= 0  # the rest still reads


def test_missing_sources_give_no_fields_never_an_exception(tmp_path: Path) -> None:
    reader = TelemetryReader(TelemetryConfig(thermal_dir=tmp_path / "none", signal_file=tmp_path / "none",
                                             amplifier_file=tmp_path / "none", mains_file=tmp_path / "none"),
                             tmp_path / "no-such-dir", now_ms=lambda: 1)
    assert reader.read() == {}


def test_flags_accept_only_one_and_zero(tmp_path: Path) -> None:
    path = tmp_path / "value"
    for text, expected in (("1\n", True), ("0", False), ("2", None), ("on", None), ("", None)):
        path.write_text(text)
        assert read_flag(path) is expected, text
    assert read_flag(tmp_path / "absent") is None
    assert read_flag(None) is None


def test_signal_is_parsed_from_modem_words_and_bounded() -> None:
    assert parse_signal("  rssi: -65.00 dBm\n  access tech: lte\n") == (-65, "4G")
    assert parse_signal("4G,-85dBm") == (-85, "4G")
    assert parse_signal("gsm -170 dBm, -101 dBm") == (-101, "2G")  # -170 is outside -150..0: the next one
    assert parse_signal("signal +20 dBm") == (None, None)
    assert parse_signal("quality: 75%") == (None, None)
    assert parse_signal("\x00\xff" * 100) == (None, None)


def test_signal_command_and_file(tmp_path: Path) -> None:
    script = tmp_path / "modem.py"
    script.write_text("print('access tech: umts'); print('rssi: -91.0 dBm')\n")
    reading = _reader(tmp_path, signal_command=(sys.executable, str(script))).read()
    assert (reading["signal_dbm"], reading["network"]) == (-91, "3G")
    (tmp_path / "modem.txt").write_text("LTE -79 dBm")
    reading = _reader(tmp_path, signal_file=tmp_path / "modem.txt").read()
    assert (reading["signal_dbm"], reading["network"]) == (-79, "4G")
    # A failing or missing program is no reading.
    assert run_signal_command((sys.executable, "-c", "import sys; sys.exit(3)")) is None
    assert run_signal_command((str(tmp_path / "no-such-program"),)) is None
    assert "signal_dbm" not in _reader(tmp_path, signal_command=(str(tmp_path / "nope"),)).read()


def test_mains_loss_time_is_remembered_from_one_to_zero(tmp_path: Path) -> None:
    mains, amp = tmp_path / "mains", tmp_path / "amp"
    mains.write_text("1")
    amp.write_text("1")
    now = [1_795_301_000_000]
    reader = _reader(tmp_path, now, mains_file=mains, amplifier_file=amp)
    first = reader.read()
    assert first["mains_on"] is True and first["amplifier_on"] is True and "mains_lost_at_ms" not in first
    now[0] += 60_000
    mains.write_text("0")
    lost_at = now[0]
    assert reader.read()["mains_lost_at_ms"] == lost_at
    now[0] += 60_000
    later = reader.read()  # still off: the loss time stays that of the change, not of this reading
    assert later["mains_on"] is False and later["mains_lost_at_ms"] == lost_at
    mains.write_text("garbage")
    assert "mains_on" not in reader.read()
    mains.write_text("0")
    assert reader.read()["mains_lost_at_ms"] == lost_at  # an unreadable moment is not a new loss
    mains.write_text("1")
    assert "mains_lost_at_ms" not in reader.read()


def test_position_comes_from_the_config(tmp_path: Path, pem: str) -> None:
    config = node_config_from_dict({"node_id": "n1", "password": "p", "public_key_pem": pem,
                                    "telemetry": {"latitude": 10.0452, "longitude": 105.7469,
                                                  "mains_file": "gpio/mains"}}, base_dir=tmp_path)
    assert config.telemetry.mains_file == tmp_path / "gpio/mains"
    reading = TelemetryReader(config.telemetry, tmp_path, now_ms=lambda: 1).read()
    assert (reading["latitude"], reading["longitude"]) == (10.0452, 105.7469)


@pytest.mark.parametrize("telemetry", [
    {"latitude": 91, "longitude": 0}, {"latitude": 10.0}, {"latitude": True, "longitude": 1},
    {"signal_command": "mmcli -m 0"}, {"mains_file": 1}, {"gpio": "x"}, "not a table",
])
def test_bad_telemetry_config_is_refused_at_start(telemetry: object, pem: str) -> None:
    node_config_from_dict({"node_id": "n1", "password": "p", "public_key_pem": pem})  # valid without it
    with pytest.raises(NodeConfigError, match="telemetry"):
        node_config_from_dict({"node_id": "n1", "password": "p", "public_key_pem": pem, "telemetry": telemetry})


def test_the_agents_heartbeat_carries_the_telemetry_on_the_wire(tmp_path: Path, pem: str) -> None:
    _zone(tmp_path / "thermal", 0, "47960")
    (tmp_path / "mains").write_text("0")
    agent = NodeAgent(NodeConfig(node_id="n38001-0101", password="pw", broker_port=9, public_key_pem=pem,
                                 cache_dir=tmp_path / "cache", player="null",
                                 telemetry=TelemetryConfig(latitude=10.0452, longitude=105.7469,
                                                           thermal_dir=tmp_path / "thermal",
                                                           mains_file=tmp_path / "mains")))
    try:
        wire = decode_heartbeat(encode(agent.heartbeat()))
    finally:
        agent.kill()
    assert wire.telemetry is not None
    assert wire.telemetry["temperature_c"] == 48.0 and wire.telemetry["mains_on"] is False
    assert (wire.telemetry["latitude"], wire.telemetry["longitude"]) == (10.0452, 105.7469)
    assert wire.telemetry["mains_lost_at_ms"] == pytest.approx(wire.at_ms, abs=5_000)
    assert wire.telemetry["storage_total_bytes"] > 0
