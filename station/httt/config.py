"""Per-province connector configuration, read from the `[httt]` table of the deployment's TOML config
(radio.settings keeps unknown tables in `Settings.extra`). Secrets never sit in the repository: the password and
the inbound push token are read from files the deployment provides (`password_file`, `push_token_file`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.httt.mapping import ProvinceMapping


class HtttConfigError(ValueError):
    """The [httt] configuration cannot be used; the message says which province and field."""


@dataclass(frozen=True)
class Backoff:
    """Retry delay after the n-th failure: base·2^(n-1), at most `cap_s` (exponential backoff, no jitter needed:
    one connector per province talks to one server)."""

    base_s: float = 5.0
    cap_s: float = 600.0

    def delay_s(self, attempts: int) -> float:
        return min(self.cap_s, self.base_s * 2 ** max(0, attempts - 1))


@dataclass(frozen=True)
class ProvinceLink:
    code: str  # the province's 2-digit code (areas.code)
    base_url: str
    username: str
    password: str
    mapping: ProvinceMapping = field(default_factory=ProvinceMapping)
    push_token: str = ""  # the token the province presents on our push endpoint (empty: push refused)
    batch: int = 500  # records per request
    timeout_s: float = 10.0
    pull_every_s: float = 60.0
    status_every_s: float = 300.0
    scan_every_s: float = 30.0
    backoff: Backoff = field(default_factory=Backoff)
    # Hosts besides base_url's that may serve the audio of the province's bulletins (station.httt.media).
    audio_hosts: tuple[str, ...] = ()


def _secret(entry: Mapping[str, Any], name: str, code: str) -> str:
    if entry.get(name):  # a literal value: accepted for tests and demos, documented as not for production
        return str(entry[name])
    path = entry.get(f"{name}_file")
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise HtttConfigError(f"httt province {code}: cannot read {name}_file: {exc}") from exc


def link_from(entry: Mapping[str, Any]) -> ProvinceLink:
    code = str(entry.get("code", "")).strip()
    base_url = str(entry.get("base_url", "")).rstrip("/")
    if not code.isdigit() or len(code) != 2:
        raise HtttConfigError(f"httt province code must be 2 digits: {code!r}")
    if not base_url.startswith(("https://", "http://")):
        raise HtttConfigError(f"httt province {code}: base_url must be an http(s) URL")
    backoff = Backoff(float(entry.get("backoff_base_s", 5.0)), float(entry.get("backoff_cap_s", 600.0)))
    audio_hosts = entry.get("audio_hosts", [])
    if not isinstance(audio_hosts, list) or not all(isinstance(h, str) and h and "/" not in h for h in audio_hosts):
        raise HtttConfigError(f"httt province {code}: audio_hosts must be a list of host names")
    return ProvinceLink(
        code=code, base_url=base_url, username=str(entry.get("username", "")),
        password=_secret(entry, "password", code), mapping=ProvinceMapping.from_config(entry.get("mapping")),
        push_token=_secret(entry, "push_token", code), batch=max(1, min(5000, int(entry.get("batch", 500)))),
        timeout_s=float(entry.get("timeout_s", 10.0)), pull_every_s=float(entry.get("pull_every_s", 60.0)),
        status_every_s=float(entry.get("status_every_s", 300.0)),
        scan_every_s=float(entry.get("scan_every_s", 30.0)), backoff=backoff, audio_hosts=tuple(audio_hosts))


def links_from_settings(extra: Mapping[str, Any]) -> list[ProvinceLink]:
    """The provinces configured under [httt] (none: the connector stays off)."""
    section = extra.get("httt") or {}
    return [link_from(entry) for entry in section.get("provinces", [])]
