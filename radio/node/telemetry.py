"""What a Linux box can know about itself, for the heartbeat's `telemetry` object (docs/protocol.md).

Standard library only (radio.node installs without the server's packages). Every reading is optional and
failure-tolerant: a missing file, a command that fails or hangs, or garbage gives no field, never an exception,
because a box that cannot read its temperature must still report that it is alive. Paths are configurable (node
config `[telemetry]`, docs/node.md) so tests point them at fake sysfs files.
"""

from __future__ import annotations

import logging
import math
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Bounds of what is sent (the scheduler checks them again: it never trusts a node).
TEMP_MIN_C, TEMP_MAX_C = -40.0, 125.0  # an SoC's sensor range; outside it the sensor is broken
SIGNAL_MIN_DBM, SIGNAL_MAX_DBM = -150, 0
MAX_READ_BYTES = 64 * 1024  # a status file or command output larger than this is not a status
COMMAND_TIMEOUT_S = 3.0  # a hung modem tool must not hold the heartbeat back
NETWORKS = {"5g": "5G", "5gnr": "5G", "nr": "5G", "lte": "4G", "4g": "4G", "umts": "3G", "hspa": "3G",
            "hsdpa": "3G", "hsupa": "3G", "3g": "3G", "gsm": "2G", "edge": "2G", "gprs": "2G", "2g": "2G",
            "wifi": "Wi-Fi", "wi-fi": "Wi-Fi", "wlan": "Wi-Fi"}
_DBM = re.compile(r"(-\d{1,3}(?:\.\d+)?)\s*dBm", re.IGNORECASE)
_WORDS = "|".join(sorted(map(re.escape, NETWORKS), key=len, reverse=True))  # longest first: "5gnr" before "5g"
_NETWORK = re.compile(rf"(?<![\w-])({_WORDS})(?![\w-])", re.IGNORECASE)


class TelemetryConfigError(ValueError):
    pass


@dataclass(frozen=True)
class TelemetryConfig:
    """Where the box's facts are read from; everything unset is simply not reported."""

    latitude: float | None = None  # the cluster's position, set at installation (a box has no GPS)
    longitude: float | None = None
    thermal_dir: Path | None = Path("/sys/class/thermal")  # thermal_zone*/temp in millidegrees C
    signal_file: Path | None = None  # a modem status file; its first "<n> dBm" and network word are used
    signal_command: tuple[str, ...] = ()  # or a command printing the same (e.g. mmcli -m 0 --signal-get)
    amplifier_file: Path | None = None  # "1": the amplifier has power, "0": it has none (GPIO value file)
    mains_file: Path | None = None  # "1": mains power present, "0": on battery


_KEYS = {"latitude", "longitude", "thermal_dir", "signal_file", "signal_command", "amplifier_file", "mains_file"}


def telemetry_config_from_dict(raw: Any, base_dir: Path = Path(".")) -> TelemetryConfig:
    """The `[telemetry]` table of the node config; a mistake is refused at start, not discovered in the field."""
    if raw is None:
        return TelemetryConfig()
    if not isinstance(raw, dict):
        raise TelemetryConfigError("'telemetry' must be a table")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise TelemetryConfigError(f"telemetry: unknown key(s) {', '.join(unknown)}")
    values: dict[str, Any] = {}
    if ("latitude" in raw) != ("longitude" in raw):
        raise TelemetryConfigError("telemetry: set both latitude and longitude, or neither")
    for key, bound in (("latitude", 90.0), ("longitude", 180.0)):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not -bound <= value <= bound:
                raise TelemetryConfigError(f"telemetry: {key} must be a number within ±{bound:g}")
            values[key] = float(value)
    for key in ("thermal_dir", "signal_file", "amplifier_file", "mains_file"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise TelemetryConfigError(f"telemetry: {key} must be a path (string)")
            values[key] = (base_dir / raw[key]) if raw[key] else None  # "" turns a default source off
    if "signal_command" in raw:
        command = raw["signal_command"]
        if not isinstance(command, list) or not command or not all(isinstance(c, str) and c for c in command):
            raise TelemetryConfigError("telemetry: signal_command must be a list of strings (program, arguments)")
        values["signal_command"] = tuple(command)
    return TelemetryConfig(**values)


def _read_text(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return f.read(MAX_READ_BYTES).decode("utf-8", "replace")
    except OSError:
        return None


def read_temperature_c(thermal_dir: Path | None) -> float | None:
    """The hottest thermal zone (the SoC is what overheats in a roadside box), in °C to 0.1."""
    if thermal_dir is None:
        return None
    try:
        zones = sorted(thermal_dir.glob("thermal_zone*/temp"))[:32]
    except OSError:
        return None
    readings = []
    for zone in zones:
        text = _read_text(zone)
        try:
            millis = int((text or "").strip())
        except ValueError:
            continue
        celsius = millis / 1000
        if TEMP_MIN_C <= celsius <= TEMP_MAX_C:  # -273 °C or 3,000 °C: a broken or absent sensor
            readings.append(celsius)
    return round(max(readings), 1) if readings else None


def read_storage(directory: Path) -> tuple[int, int] | None:
    """(free, total) bytes of the file system holding the cache: a full disk stops downloads."""
    try:
        usage = shutil.disk_usage(directory)
    except OSError:
        return None
    return int(usage.free), int(usage.total)


def read_flag(path: Path | None) -> bool | None:
    """A GPIO-style value file: "1" on, "0" off; anything else is not known."""
    if path is None:
        return None
    text = (_read_text(path) or "").strip()
    return {"1": True, "0": False}.get(text)


def parse_signal(text: str) -> tuple[int | None, str | None]:
    """The first "<n> dBm" within -150..0 and the network kind named in a modem's status text."""
    dbm = None
    for match in _DBM.finditer(text):
        value = float(match.group(1))
        if SIGNAL_MIN_DBM <= value <= SIGNAL_MAX_DBM:
            dbm = round(value)
            break
    network_match = _NETWORK.search(text)
    network = NETWORKS[network_match.group(1).lower()] if network_match else None
    return dbm, network


def run_signal_command(command: tuple[str, ...]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, timeout=COMMAND_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout[:MAX_READ_BYTES].decode("utf-8", "replace")


class TelemetryReader:
    """Reads the box's facts for each heartbeat and remembers when mains power went away."""

    def __init__(self, config: TelemetryConfig, storage_dir: Path, now_ms: Callable[[], int],
                 run_command: Callable[[tuple[str, ...]], str | None] = run_signal_command,
                 signal_every_s: float = 60.0, mono: Callable[[], float] = time.monotonic) -> None:
        self.config, self.storage_dir, self.now_ms = config, storage_dir, now_ms
        self.run_command, self.signal_every_s, self.mono = run_command, signal_every_s, mono
        self._lock = threading.Lock()
        self._mains_lost_at_ms: int | None = None
        self._mains_seen: bool | None = None
        self._signal: tuple[int | None, str | None] = (None, None)
        self._signal_read_at: float | None = None

    def _read_signal(self) -> tuple[int | None, str | None]:
        # A modem tool can take a second or more: run it at most once a minute, whatever the heartbeat rate.
        if self._signal_read_at is not None and self.mono() - self._signal_read_at < self.signal_every_s:
            return self._signal
        self._signal_read_at = self.mono()
        text = None
        if self.config.signal_command:
            text = self.run_command(self.config.signal_command)
        elif self.config.signal_file is not None:
            text = _read_text(self.config.signal_file)
        self._signal = parse_signal(text) if text else (None, None)
        return self._signal

    def _mains(self) -> bool | None:
        mains = read_flag(self.config.mains_file)
        if mains is False and self._mains_seen is not False:
            # From 1 to 0 (or 0 at the first reading after a start: then "lost no later than now").
            self._mains_lost_at_ms = self.now_ms()
        elif mains is True:
            self._mains_lost_at_ms = None
        if mains is not None:
            self._mains_seen = mains
        return mains

    def read(self) -> dict[str, Any]:
        """The heartbeat's `telemetry` object: only the fields this box could read now."""
        with self._lock:
            try:
                return self._read()
            except Exception:  # a reading must never stop the heartbeat; the field is simply absent
                log.exception("telemetry reading failed")
                return {}

    def _read(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        temperature = read_temperature_c(self.config.thermal_dir)
        if temperature is not None:
            out["temperature_c"] = temperature
        storage = read_storage(self.storage_dir)
        if storage is not None:
            out["storage_free_bytes"], out["storage_total_bytes"] = storage
        if self.config.latitude is not None and self.config.longitude is not None \
                and math.isfinite(self.config.latitude) and math.isfinite(self.config.longitude):
            out["latitude"], out["longitude"] = round(self.config.latitude, 6), round(self.config.longitude, 6)
        dbm, network = self._read_signal()
        if dbm is not None:
            out["signal_dbm"] = dbm
        if network is not None:
            out["network"] = network
        amplifier = read_flag(self.config.amplifier_file)
        if amplifier is not None:
            out["amplifier_on"] = amplifier
        mains = self._mains()
        if mains is not None:
            out["mains_on"] = mains
            if not mains and self._mains_lost_at_ms is not None:
                out["mains_lost_at_ms"] = self._mains_lost_at_ms
        return out
