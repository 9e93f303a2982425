"""The kinds of alert and the thresholds that decide them (one object, built from Settings)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from radio.settings import Settings


class AlertKind(StrEnum):
    NODE_OFFLINE = "node_offline"
    NOT_AIRED = "not_aired"
    PARTLY_AIRED = "partly_aired"
    CLOCK = "clock"
    CACHE_FULL = "cache_full"
    WARNING_UNACKNOWLEDGED = "warning_unacknowledged"


@dataclass(frozen=True)
class AlertThresholds:
    """When a state becomes an alert. Defaults: README "Alerts"."""

    # A loudspeaker offline this long without a break is an alert; a 4G drop of a minute is not.
    offline_after_s: float = 300.0
    # Going offline this many times within flap_window_s is an alert too (a link that keeps dropping).
    flap_count: int = 4
    flap_window_s: float = 1800.0
    # An offline alert stays open (and outages join it: one alert, not ten) until the node has been back
    # online without a break for this long.
    recovery_s: float = 900.0
    # A clock that cannot keep in step: its measured offset bound (uncertainty) above this, or an offset so large
    # that the box plainly has no time source.
    clock_uncertainty_ms: int = 200
    clock_offset_ms: int = 30_000
    # A cache this full (bytes / limit) or a disk the node cannot write.
    cache_full_ratio: float = 0.95
    # Bulletins finished within this window are checked for missed or partial airings.
    bulletin_lookback_s: float = 24 * 3600.0
    # A warning imported as a draft (e.g. from a national CAP feed) nobody has acted on after this long.
    warning_ack_s: float = 900.0


def thresholds(settings: Settings) -> AlertThresholds:
    s = settings
    return AlertThresholds(offline_after_s=s.alert_offline_after_s, flap_count=s.alert_flap_count,
                           flap_window_s=s.alert_flap_window_s, recovery_s=s.alert_recovery_s,
                           clock_uncertainty_ms=s.alert_clock_uncertainty_ms)
