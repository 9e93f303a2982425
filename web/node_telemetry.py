"""A loudspeaker's own facts in words (temperature, mains and amplifier power, signal, storage, position), from
the telemetry of its last heartbeat (docs/protocol.md, "Telemetry"). A fact the box did not report is not shown."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from radio.db.models import Node
from web.labels import format_number

HOT_C = 70.0  # an SoC in a sealed roadside box above this is close to throttling
WEAK_SIGNAL_DBM = -100  # below this a 4G link drops calls and downloads stall
LOW_STORAGE_SHARE = 0.1  # less than a tenth free: a large bulletin may no longer fit
MINUS = "\u2212"  # a real minus sign: "−85 dBm" reads as a negative number, "-85" as a dash


@dataclass(frozen=True)
class Fact:
    field: str  # data-field on the page (tests and the live script find it by this)
    label: str
    text: str
    warn: bool = False


def _gb(n_bytes: int) -> str:
    return _("%(n)s GB", n=format_number(n_bytes / 10**9, 1))


def signal_text(network: str | None, dbm: int | None) -> str:
    value = "" if dbm is None else f"{MINUS if dbm < 0 else ''}{abs(dbm)} dBm"
    return " ".join(p for p in (network, value) if p)


def telemetry_facts(node: Node, tz: ZoneInfo) -> list[Fact]:
    facts: list[Fact] = []
    if node.temperature_c is not None:
        text = _("%(c)s °C", c=format_number(node.temperature_c, 1))
        hot = node.temperature_c >= HOT_C
        facts.append(Fact("temperature", _("Nhiệt độ"), _("%(t)s: quá nóng", t=text) if hot else text, hot))
    if node.mains_on is not None:
        if node.mains_on:
            facts.append(Fact("mains", _("Điện lưới"), _("Có điện lưới")))
        elif node.mains_lost_at is not None:
            since = node.mains_lost_at.astimezone(tz).strftime("%H:%M %d/%m")
            facts.append(Fact("mains", _("Điện lưới"), _("Mất điện lưới từ %(time)s", time=since), True))
        else:
            facts.append(Fact("mains", _("Điện lưới"), _("Mất điện lưới"), True))
    if node.amplifier_on is not None:
        facts.append(Fact("amplifier", _("Bộ khuếch đại (amply)"),
                          _("Có điện") if node.amplifier_on else _("Không có điện: loa không kêu"),
                          not node.amplifier_on))
    if node.signal_dbm is not None or node.network is not None:
        weak = node.signal_dbm is not None and node.signal_dbm < WEAK_SIGNAL_DBM
        text = signal_text(node.network, node.signal_dbm)
        facts.append(Fact("signal", _("Tín hiệu"), _("%(s)s: yếu", s=text) if weak else text, weak))
    if node.storage_free_bytes is not None and node.storage_total_bytes:
        low = node.storage_free_bytes < LOW_STORAGE_SHARE * node.storage_total_bytes
        facts.append(Fact("storage", _("Bộ nhớ"), _("Còn %(free)s / %(total)s", free=_gb(node.storage_free_bytes),
                                                      total=_gb(node.storage_total_bytes)), low))
    if node.latitude is not None and node.longitude is not None:
        # Coordinates keep the decimal point in every language: they are copied into map applications.
        facts.append(Fact("position", _("Vị trí"), f"{node.latitude:.4f}, {node.longitude:.4f}"))
    return facts


def device_summary(facts: list[Fact]) -> tuple[str, bool]:
    """One line for the node list and its live updates: what needs a visit, in words ("Mất điện lưới từ …; Nhiệt độ:
    78,5 °C: quá nóng"); "Bình thường" when the box reports and nothing is wrong; "—" when it reports nothing."""
    if not facts:
        return "—", False
    warnings = [f.text if f.field == "mains" else f"{f.label}: {f.text}" for f in facts if f.warn]
    return ("; ".join(warnings), True) if warnings else (_("Bình thường"), False)
