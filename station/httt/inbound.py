"""Province bulletins arriving from the HTTT nguồn (pulled by the worker, or pushed to web.httt_push) become
province items with one delivery per receiving commune, exactly as if a province editor had sent them here.
Nothing in a payload is trusted: every field is checked and bounded; a BanTinId already received is skipped."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import Area, AreaLevel, ContentType, FieldCategory
from radio.db.province import DeliveryMode, ProvinceBulletin, ProvinceDelivery
from radio.protocol import Priority
from station.audit import SYSTEM, record

AudioFetch = Callable[[str], int | None]  # a content link → an audio_assets id (None: could not fetch)
MAX_AUDIO_TRIES = 6  # one per pull (station/httt/worker.py); then the bulletin stays text, the last reason shown


def fetch_failure(audio_fetch: AudioFetch | None, link: str) -> str:
    """Why the last fetch of `link` failed, in the fetcher's words (ProvinceAudioFetcher keeps them), for the
    commune's page; a fetcher that keeps no reasons gets a plain one."""
    for failed_link, reason in reversed(getattr(audio_fetch, "failures", [])):
        if failed_link == link[:200]:
            return reason[:300]
    return "không tải được tệp âm thanh"


class InboundError(ValueError):
    """A province bulletin that cannot be filed; the message names the field."""


@dataclass
class InboundResult:
    created: list[int] = field(default_factory=list)  # province_bulletins ids
    duplicates: list[str] = field(default_factory=list)  # BanTinId already received
    refused: dict[str, str] = field(default_factory=dict)  # BanTinId → why
    unknown_areas: set[str] = field(default_factory=set)


def _text(value: Any, name: str, limit: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise InboundError(f"{name}: phải là chuỗi")
    text = str(value).strip()
    if required and not text:
        raise InboundError(f"{name}: bắt buộc")
    if len(text) > limit:
        raise InboundError(f"{name}: dài quá {limit} ký tự")
    return text


def _time(value: Any, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(_text(value, name, 64))
    except ValueError as exc:
        raise InboundError(f"{name}: thời gian không hợp lệ") from exc
    if parsed.tzinfo is None:
        raise InboundError(f"{name}: thiếu múi giờ")
    return parsed


def receive(session: Session, province_code: str, rec: Mapping[str, Any], now: datetime, result: InboundResult,
            audio_fetch: AudioFetch | None = None) -> None:
    """File one bulletin (our keys: mapping.from_wire has run); counts it in `result`, never raises."""
    external = str(rec.get("bulletin_id", ""))[:64]
    try:
        _receive(session, province_code, rec, now, result, audio_fetch)
    except InboundError as exc:
        result.refused[external or "?"] = str(exc)


def _receive(session: Session, province_code: str, rec: Mapping[str, Any], now: datetime, result: InboundResult,
             audio_fetch: AudioFetch | None) -> None:
    external = _text(rec.get("bulletin_id"), "BanTinId", 64, required=True)
    province = session.scalar(select(Area).where(Area.code == province_code, Area.level == AreaLevel.PROVINCE))
    if province is None:
        raise InboundError("tỉnh chưa có trong hệ thống")
    if session.scalar(select(ProvinceBulletin.id).where(ProvinceBulletin.origin_area_id == province.id,
                                                        ProvinceBulletin.external_id == external)) is not None:
        result.duplicates.append(external)
        return
    receivers = rec.get("receivers") or []
    if not isinstance(receivers, list) or len(receivers) > 5000:
        raise InboundError("DanhSachDiaBanNhan: phải là danh sách mã xã")
    codes = {_text(c, "DanhSachDiaBanNhan", 16) for c in receivers}
    communes = list(session.scalars(select(Area).where(Area.code.in_(codes), Area.level == AreaLevel.COMMUNE,
                                                       Area.parent_id == province.id)))
    result.unknown_areas |= codes - {c.code for c in communes}
    if not communes:
        raise InboundError("không có xã nhận nào thuộc tỉnh")
    schedule = rec.get("schedule") if isinstance(rec.get("schedule"), Mapping) else {}
    start, end = _time(schedule.get("start"), "ThoiGianBatDau"), _time(schedule.get("end"), "ThoiGianKetThuc")
    mandatory = bool(rec.get("mandatory")) or (start is not None and end is not None)
    if mandatory and (start is None or end is None or end <= start):
        raise InboundError("LichPhat: bản tin bắt buộc phát cần giờ bắt đầu và kết thúc hợp lệ")
    author = rec.get("author") if isinstance(rec.get("author"), Mapping) else {}
    category = rec.get("field_category")
    content_type = rec.get("content_type")
    priority = rec.get("priority")
    content = _text(rec.get("content"), "NoiDung", 2000)
    link = content if content.startswith(("http://", "https://")) else ""
    # Fetched now when the caller can wait for it (the pull); otherwise, or when it fails, the link is kept and the
    # connector tries again (station/httt/worker.py: fetch_waiting_audio).
    audio_id = audio_fetch(link) if audio_fetch is not None and link else None
    tries = 1 if audio_fetch is not None and link and audio_id is None else 0
    item = ProvinceBulletin(
        origin_area_id=province.id, external_id=external, title=_text(rec.get("title"), "TieuDe", 300, required=True),
        body=_text(rec.get("body"), "NoiDungVanBan", 100_000), summary=_text(rec.get("summary"), "NoiDungTomTat", 4000),
        field_category=category if category in set(FieldCategory) else None,
        content_type=content_type if content_type in set(ContentType) else ContentType.TEXT,
        author_name=_text(author.get("author_name"), "HoTen", 200),
        pen_name=_text(author.get("pen_name"), "ButDanh", 200),
        source=_text(rec.get("source"), "NguonTin", 300) or "HTTT nguồn",
        produced_at=_time(rec.get("produced_at"), "ThoiGianSanXuat"),
        priority=priority if priority in (Priority.NORMAL, Priority.PRIORITY) else Priority.NORMAL,
        audio_id=audio_id, audio_link=link if audio_id is None else "", audio_tries=tries,
        audio_error=fetch_failure(audio_fetch, link) if tries else "",
        mode=DeliveryMode.MUST_AIR if mandatory else DeliveryMode.FOR_USE,
        window_start=start if mandatory else None, window_end=end if mandatory else None, created_at=now)
    session.add(item)
    session.flush()
    for commune in communes:
        session.add(ProvinceDelivery(province_bulletin_id=item.id, commune_id=commune.id))
    session.flush()
    record(session, SYSTEM, "province.receive", "province_bulletin", item.id, None,
           {"external_id": external, "communes": sorted(c.code for c in communes)}, "HTTT nguồn",
           area_id=province.id)
    result.created.append(item.id)
