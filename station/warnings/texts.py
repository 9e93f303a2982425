"""The spoken text of a warning, from what a leader picks on a phone: hazard, level, villages, one line of
facts. A template per hazard, so a warning is ready in under a minute; the leader may still edit the result."""

from __future__ import annotations

from collections.abc import Sequence

from station.warnings.hazards import ADVICE, LEVEL_COLOURS, hazard_name

MAX_BODY_CHARS = 4000


def compose(commune: str, hazard: str, level: int, villages: Sequence[str], details: str,
            advice: str | None = None) -> str:
    """The Vietnamese announcement read on air."""
    where = ", ".join(villages) if villages else "toàn xã"
    colour = LEVEL_COLOURS[level][0]
    facts = details.strip().rstrip(".")
    parts = [
        f"Thông báo khẩn của Ủy ban nhân dân {commune}.",
        f"Cảnh báo {hazard_name(hazard).lower()}, cấp độ rủi ro thiên tai cấp {level}, màu {colour}.",
        f"{facts}." if facts else "",
        f"Khu vực bị ảnh hưởng: {where}.",
        (advice if advice is not None else ADVICE.get(hazard, "")).strip(),
        "Đề nghị bà con theo dõi các bản tin tiếp theo trên hệ thống truyền thanh.",
    ]
    return " ".join(p for p in parts if p)[:MAX_BODY_CHARS]


def title_of(hazard: str, level: int, details: str) -> str:
    first = details.strip().split(".")[0][:120]
    base = f"Cảnh báo {hazard_name(hazard).lower()} cấp {level}"
    return f"{base}: {first}" if first else base


def cancel_text(commune: str, hazard: str, title: str) -> str:
    return (f"Thông báo của Ủy ban nhân dân {commune}. Huỷ bỏ cảnh báo {hazard_name(hazard).lower()}: {title}. "
            "Bà con trở lại sinh hoạt bình thường và tiếp tục theo dõi các bản tin trên hệ thống truyền thanh.")
