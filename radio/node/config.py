"""Node configuration: one TOML file per loudspeaker box (see docs/node.md)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class NodeConfigError(ValueError):
    pass


@dataclass(frozen=True)
class NodeConfig:
    node_id: str
    password: str
    broker_host: str = "127.0.0.1"
    broker_port: int = 1883
    username: str = ""  # defaults to node_id
    area_codes: tuple[str, ...] = ()
    public_key_pem: str = ""
    cache_dir: Path = Path("/var/cache/commune-radio")
    player: str = "auto"
    player_options: dict[str, Any] = field(default_factory=dict)
    # A start later than this is not played at all: a bulletin aired late and out of step is worse than none.
    late_tolerance_ms: int = 5000
    session_expiry_s: int = 86400

    @property
    def mqtt_username(self) -> str:
        return self.username or self.node_id


def load_node_config(path: str | Path) -> NodeConfig:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NodeConfigError(f"node config not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise NodeConfigError(f"node config {path}: {exc}") from exc
    return node_config_from_dict(raw, base_dir=path.parent)


def node_config_from_dict(raw: dict[str, Any], base_dir: Path = Path(".")) -> NodeConfig:
    for key in ("node_id", "password"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise NodeConfigError(f"node config: '{key}' is required")
    pem = raw.get("public_key_pem", "")
    if not pem and raw.get("public_key_file"):
        pem = (base_dir / raw["public_key_file"]).read_text()
    if not pem:
        raise NodeConfigError(
            "node config: 'public_key_pem' or 'public_key_file' is required (unsigned commands are refused)"
        )
    return NodeConfig(
        node_id=raw["node_id"],
        password=raw["password"],
        broker_host=str(raw.get("broker_host", "127.0.0.1")),
        broker_port=int(raw.get("broker_port", 1883)),
        username=str(raw.get("username", "")),
        area_codes=tuple(str(c) for c in raw.get("area_codes", ())),
        public_key_pem=pem,
        cache_dir=base_dir / str(raw.get("cache_dir", "cache")),
        player=str(raw.get("player", "auto")),
        player_options=dict(raw.get("player_options", {})),
        late_tolerance_ms=int(raw.get("late_tolerance_ms", 5000)),
        session_expiry_s=int(raw.get("session_expiry_s", 86400)),
    )
