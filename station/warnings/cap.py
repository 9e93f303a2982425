"""CAP 1.2 (OASIS Common Alerting Protocol) import into a draft warning, for national warning systems.

The XML comes from outside: parsed with defusedxml (no entity expansion, no external entities, no DTD
tricks), bounded in size, and checked for the elements CAP 1.2 requires before anything is read. A message
that is not a real alert (status Test/Exercise/System/Draft) or that cancels another (msgType Cancel) is refused
with a sentence saying why; nothing is ever aired from CAP without a leader activating the draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from station.warnings.hazards import Hazard

NS = "urn:oasis:names:tc:emergency:cap:1.2"
MAX_BYTES = 256 * 1024
REQUIRED_ALERT = ("identifier", "sender", "sent", "status", "msgType", "scope")
REQUIRED_INFO = ("category", "event", "urgency", "severity", "certainty")
SEVERITY_LEVEL = {"Extreme": 5, "Severe": 4, "Moderate": 3, "Minor": 2, "Unknown": 1}
# Words in the event name (Vietnamese or English, lower case) → hazard; the first match wins.
HAZARD_WORDS: tuple[tuple[str, Hazard], ...] = (
    ("áp thấp", Hazard.TROPICAL_DEPRESSION), ("tropical depression", Hazard.TROPICAL_DEPRESSION),
    ("lũ quét", Hazard.FLASH_FLOOD), ("flash flood", Hazard.FLASH_FLOOD),
    ("sóng thần", Hazard.TSUNAMI), ("tsunami", Hazard.TSUNAMI),
    ("bão", Hazard.STORM), ("typhoon", Hazard.STORM), ("storm", Hazard.STORM), ("cyclone", Hazard.STORM),
    ("sạt lở", Hazard.LANDSLIDE), ("landslide", Hazard.LANDSLIDE),
    ("lũ", Hazard.FLOOD), ("ngập", Hazard.FLOOD), ("flood", Hazard.FLOOD),
    ("mưa đá", Hazard.THUNDERSTORM), ("dông", Hazard.THUNDERSTORM), ("lốc", Hazard.THUNDERSTORM),
    ("thunder", Hazard.THUNDERSTORM), ("hail", Hazard.THUNDERSTORM),
    ("mưa lớn", Hazard.HEAVY_RAIN), ("heavy rain", Hazard.HEAVY_RAIN),
    ("hạn", Hazard.DROUGHT), ("drought", Hazard.DROUGHT), ("mặn", Hazard.SALINE_INTRUSION),
    ("saline", Hazard.SALINE_INTRUSION), ("nắng nóng", Hazard.HEAT), ("heat", Hazard.HEAT),
    ("rét", Hazard.COLD), ("cold", Hazard.COLD), ("frost", Hazard.COLD),
    ("động đất", Hazard.EARTHQUAKE), ("earthquake", Hazard.EARTHQUAKE),
)


class CapError(ValueError):
    """Input that is not an acceptable CAP 1.2 alert. `template` (a Vietnamese msgid with %(name)s fields) and
    `params` let the web translate it; `message` is the Vietnamese sentence."""

    def __init__(self, template: str, **params: object) -> None:
        self.template, self.params = template, params
        self.message = template % params if params else template
        super().__init__(self.message)


@dataclass(frozen=True)
class CapDraft:
    identifier: str
    hazard: str
    level: int
    title: str
    body: str


def _text(parent: Element, name: str) -> str:
    found = parent.find(f"{{{NS}}}{name}")
    return (found.text or "").strip() if found is not None else ""


def _pick_info(alert: Element) -> Element:
    infos = alert.findall(f"{{{NS}}}info")
    if not infos:
        raise CapError("Bản tin CAP không có phần thông tin (info).")
    for info in infos:  # Vietnamese first if there are several languages
        if _text(info, "language").lower().startswith("vi"):
            return info
    return infos[0]


def hazard_of(event: str, category: str) -> str:
    lowered = event.lower()
    for word, hazard in HAZARD_WORDS:
        if word in lowered:
            return hazard
    raise CapError("Không nhận ra loại thiên tai “%(event)s” (nhóm %(category)s). Hãy tạo cảnh báo bằng tay.",
                   event=event[:80], category=category[:20])


def parse_cap(data: bytes) -> CapDraft:
    """A draft from CAP 1.2 XML bytes; CapError (translated sentence) for anything else."""
    if len(data) > MAX_BYTES:
        raise CapError("Tệp CAP quá lớn (tối đa 256 KB).")
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        raise CapError("Tệp không phải XML hợp lệ hoặc chứa khai báo không được phép.") from None
    if root.tag != f"{{{NS}}}alert":
        raise CapError("Đây không phải bản tin CAP 1.2 (thiếu phần tử alert của chuẩn CAP 1.2).")
    missing = [name for name in REQUIRED_ALERT if not _text(root, name)]
    if missing:
        raise CapError("Bản tin CAP thiếu phần tử bắt buộc: %(names)s.", names=", ".join(missing))
    status, msg_type = _text(root, "status"), _text(root, "msgType")
    if status != "Actual":
        raise CapError("Bản tin CAP có trạng thái “%(status)s”, không phải cảnh báo thật (Actual).", status=status[:20])
    if msg_type not in ("Alert", "Update"):
        raise CapError("Bản tin CAP loại “%(kind)s” không tạo được cảnh báo mới; huỷ cảnh báo trên trang "
                       "Cảnh báo thiên tai.", kind=msg_type[:20])
    info = _pick_info(root)
    missing = [name for name in REQUIRED_INFO if not _text(info, name)]
    if missing:
        raise CapError("Phần thông tin của bản tin CAP thiếu: %(names)s.", names=", ".join(missing))
    severity = _text(info, "severity")
    if severity not in SEVERITY_LEVEL:
        raise CapError("Mức nghiêm trọng “%(severity)s” không đúng chuẩn CAP 1.2.", severity=severity[:20])
    event = _text(info, "event")
    hazard = hazard_of(event, _text(info, "category"))
    headline = _text(info, "headline") or event
    body = " ".join(p for p in (_text(info, "description"), _text(info, "instruction")) if p) or headline
    return CapDraft(_text(root, "identifier")[:200], hazard, SEVERITY_LEVEL[severity], headline[:300], body[:4000])
