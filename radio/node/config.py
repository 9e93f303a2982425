"""Node configuration: one TOML file per loudspeaker box (every key is described in docs/node.md)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from radio.node.players import PLAYERS
from radio.node.telemetry import TelemetryConfig, TelemetryConfigError, telemetry_config_from_dict
from radio.node.timebase import SOURCES

# A real box on 4G: a drop shorter than this does not show it offline (MQTT 5 Will Delay Interval).
FILE_WILL_DELAY_S = 30


class NodeConfigError(ValueError):
    pass


@dataclass(frozen=True)
class NodeConfig:
    node_id: str
    password: str
    broker_host: str = "127.0.0.1"
    broker_port: int = 1883
    # MQTT over TLS (port 8883 on the province broker): the broker's certificate must be signed by ca_file's CA
    # and name broker_host. Media and /time use TLS whenever their URL is https://, with the same CA.
    broker_tls: bool = False
    ca_file: Path | None = None  # the province CA bundle (PEM); None: the system's trusted CAs
    username: str = ""  # defaults to node_id
    area_codes: tuple[str, ...] = ()
    public_key_pem: str = ""
    event_key_pem: str = ""  # this node's Ed25519 private key: it signs its events (made by `radio node provision`)
    server_url: str = ""  # for GET /time (clock offset); derived from the media URLs when empty
    cache_dir: Path = Path("/var/cache/commune-radio")
    state_dir: Path | None = None  # state.db lives here; default: the cache directory's parent
    cache_limit_mb: int = 500
    player: str = "auto"
    player_options: dict[str, Any] = field(default_factory=dict)
    # A start later than this is not played at all: a bulletin aired late and out of step is worse than none.
    late_tolerance_ms: int = 5000
    session_expiry_s: int = 86400
    keepalive_s: int = 30
    # The broker waits this long before announcing the node offline: a short 4G drop must not flap.
    will_delay_s: int = FILE_WILL_DELAY_S
    heartbeat_s: float = 60.0
    reconnect_min_s: int = 1
    reconnect_max_s: int = 30
    fetch_timeout_s: float = 30.0
    # The offset measured against GET /time is applied to the clock only beyond this (and beyond its own
    # uncertainty): chrony does better than an HTTP sample over 4G, a box seconds off does not.
    clock_correction_min_ms: int = 50  # no longer used: the time base always applies its estimate (docs/node.md)
    # Server time: "auto" (the better of GET /time and a synchronised chrony), "server" (GET /time only) or
    # "external" (trust the box's clock: GPS/PPS; its error bound is external_clock_uncertainty_ms).
    time_source: str = "auto"
    external_clock_uncertainty_ms: float = 1.0
    time_samples: int = 8  # GET /time exchanges per refresh: the shortest round trip stands for them
    # Where the box reads its temperature, signal, power flags and position (radio.node.telemetry, docs/node.md).
    telemetry: TelemetryConfig = field(default_factory=TelemetryConfig)
    # A start whose clock uncertainty is above this still plays (a bulletin out of step beats silence), flagged.
    max_start_uncertainty_ms: int = 20

    @property
    def mqtt_username(self) -> str:
        return self.username or self.node_id

    @property
    def state_path(self) -> Path:
        return (self.state_dir or Path(self.cache_dir).parent) / "state.db"

    @property
    def cache_limit_bytes(self) -> int:
        return self.cache_limit_mb * 1024 * 1024


def server_url_from_media(media_url: str) -> str:
    """The server's base URL guessed from a media URL (scheme://host:port), for the clock measurement."""
    parts = urlsplit(media_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def load_node_config(path: str | Path) -> NodeConfig:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NodeConfigError(f"node config not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise NodeConfigError(f"node config {path}: {exc}") from exc
    return node_config_from_dict(raw, base_dir=path.parent)


_INTS = {"broker_port": (1, 65535), "cache_limit_mb": (1, 10**7), "late_tolerance_ms": (0, 3_600_000),
         "session_expiry_s": (0, 2**32 - 1), "keepalive_s": (5, 65535), "will_delay_s": (0, 86400),
         "reconnect_min_s": (1, 3600), "reconnect_max_s": (1, 3600),
         "clock_correction_min_ms": (0, 3_600_000), "time_samples": (1, 32),
         "max_start_uncertainty_ms": (0, 3_600_000)}
_FLOATS = {"heartbeat_s": (1.0, 86400.0), "fetch_timeout_s": (1.0, 3600.0),
           "external_clock_uncertainty_ms": (0.0, 10_000.0)}
_STRS = ("broker_host", "username", "server_url", "player", "time_source")
_FILE_ONLY = ("public_key_file", "event_key_file")  # broker_tls and ca_file are read on their own below


def node_config_from_dict(raw: dict[str, Any], base_dir: Path = Path(".")) -> NodeConfig:
    known = {f.name for f in fields(NodeConfig)} | set(_FILE_ONLY)
    unknown = sorted(set(raw) - known)
    if unknown:  # a misspelt key would otherwise silently fall back to a default
        raise NodeConfigError(f"node config: unknown key(s) {', '.join(unknown)}")
    for key in ("node_id", "password"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise NodeConfigError(f"node config: '{key}' is required")
    values: dict[str, Any] = {"node_id": raw["node_id"], "password": raw["password"]}
    for key, (lo, hi) in _INTS.items():
        if key in raw:
            values[key] = _number(key, raw[key], int, lo, hi)
    for key, (flo, fhi) in _FLOATS.items():
        if key in raw:
            values[key] = _number(key, raw[key], float, flo, fhi)
    for key in _STRS:
        if key in raw:
            if not isinstance(raw[key], str):
                raise NodeConfigError(f"node config: '{key}' must be a string")
            values[key] = raw[key]
    if values.get("time_source", "auto") not in SOURCES:
        raise NodeConfigError(f"node config: time_source must be one of {', '.join(SOURCES)}")
    if values.get("player", "auto") not in PLAYERS:
        raise NodeConfigError(f"node config: player must be one of {', '.join(PLAYERS)}")
    codes = raw.get("area_codes", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) and c for c in codes):
        raise NodeConfigError("node config: 'area_codes' must be a list of area codes (strings)")
    values["area_codes"] = tuple(codes)
    options = raw.get("player_options", {})
    if not isinstance(options, dict):
        raise NodeConfigError("node config: 'player_options' must be a table")
    if "volume" in options:
        _number("player_options.volume", options["volume"], int, 0, 100)
    values["player_options"] = dict(options)
    values["public_key_pem"] = _public_key(raw, base_dir)
    values["event_key_pem"] = _event_key(raw, base_dir)
    values["cache_dir"] = base_dir / str(raw.get("cache_dir", "cache"))
    if raw.get("state_dir"):
        values["state_dir"] = base_dir / str(raw["state_dir"])
    if "broker_tls" in raw:
        if not isinstance(raw["broker_tls"], bool):
            raise NodeConfigError("node config: 'broker_tls' must be true or false")
        values["broker_tls"] = raw["broker_tls"]
    if raw.get("ca_file"):
        ca_path = base_dir / str(raw["ca_file"])
        try:
            if "BEGIN CERTIFICATE" not in ca_path.read_text():
                raise NodeConfigError(f"node config: ca_file {ca_path} holds no PEM certificate")
        except OSError as exc:
            raise NodeConfigError(f"node config: cannot read ca_file {ca_path}: {exc}") from exc
        values["ca_file"] = ca_path
    try:
        values["telemetry"] = telemetry_config_from_dict(raw.get("telemetry"), base_dir)
    except TelemetryConfigError as exc:
        raise NodeConfigError(f"node config: {exc}") from exc
    if values.get("reconnect_min_s", 1) > values.get("reconnect_max_s", 30):
        raise NodeConfigError("node config: reconnect_min_s must not exceed reconnect_max_s")
    return NodeConfig(**values)


def _number(key: str, value: Any, kind: type, lo: float, hi: float) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        raise NodeConfigError(f"node config: '{key}' must be {'an integer' if kind is int else 'a number'}")
    if not lo <= value <= hi:
        raise NodeConfigError(f"node config: '{key}' must be between {lo} and {hi}")
    return kind(value)


def _public_key(raw: dict[str, Any], base_dir: Path) -> str:
    pem = raw.get("public_key_pem", "")
    if not pem and raw.get("public_key_file"):
        key_path = base_dir / str(raw["public_key_file"])
        try:
            pem = key_path.read_text()
        except OSError as exc:
            raise NodeConfigError(f"node config: cannot read public_key_file {key_path}: {exc}") from exc
    if not pem or "BEGIN PUBLIC KEY" not in pem:
        raise NodeConfigError(
            "node config: 'public_key_pem' or 'public_key_file' is required (unsigned commands are refused)"
        )
    return str(pem)


def _event_key(raw: dict[str, Any], base_dir: Path) -> str:
    """The node's own signing key; optional (without one its events go unsigned, as older agents' do)."""
    if not raw.get("event_key_file"):
        return ""
    key_path = base_dir / str(raw["event_key_file"])
    try:
        pem = key_path.read_text()
    except OSError as exc:
        raise NodeConfigError(f"node config: cannot read event_key_file {key_path}: {exc}") from exc
    if "BEGIN PRIVATE KEY" not in pem:
        raise NodeConfigError(f"node config: event_key_file {key_path} is not a PEM private key")
    return pem
