"""Our records ↔ the province's wire format. Field names and code tables are reconstructed from public
implementations (the official annex of CV 2455/2023 was not available), so every name can be overridden per province
in its configuration (`fields`, `codes`) without a code change; docs/httt-nguon.md lists them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from radio.db.province import OutboxKind

# Our key → the province's field name. Records are built with our keys (station.httt.outbox) and renamed at send.
DEFAULT_FIELDS: dict[str, str] = {
    "idem_key": "MaGiaoDich",
    "bulletin_id": "BanTinId",
    "title": "TieuDe",
    "field_category": "LinhVuc",
    "summary": "NoiDungTomTat",
    "produced_at": "ThoiGianSanXuat",
    "duration_s": "ThoiLuong",
    "author": "TacGia",
    "author_name": "HoTen",
    "pen_name": "ButDanh",
    "email": "Email",
    "content_type": "LoaiNoiDung",
    "content": "NoiDung",
    "priority": "MucDoUuTien",
    "source": "NguonTin",
    "area": "DiaBanTao",
    "receivers": "DanhSachDiaBanNhan",
    "schedule": "LichPhat",
    "schedule_id": "LichPhatId",
    "start": "ThoiGianBatDau",
    "end": "ThoiGianKetThuc",
    "schedule_kind": "KieuLich",
    "days": "DanhSachNgay",
    "cluster_id": "CumLoaId",
    "play_state": "TrangThaiPhat",
    "volume": "AmLuong",
    "connection": "KetNoi",
    "position": "ViTri",
    "power": "Nguon",
    "temperature": "NhietDo",
    "storage": "BoNho",
    "latitude": "ViDo",
    "longitude": "KinhDo",
    "mains": "DienLuoi",
    "mains_lost_at": "MatDienLuoiLuc",
    "amplifier": "Amply",
    "free": "ConTrong",
    "total": "TongDungLuong",
    "now_playing": "DangPhat",
    "app_version": "PhienBan",
    "online": "TrucTuyen",
    "reported_at": "ThoiGianCapNhat",
    "play_id": "NhatKyId",
    "started_at": "ThoiGianPhat",
    "played_s": "ThoiLuongPhat",
    "outcome": "KetQua",
    "reason": "LyDo",
    # Envelope and login (the same configurable table).
    "username": "TenDangNhap",
    "password": "MatKhau",
    "items": "DanhSach",
    "results": "KetQuaXuLy",
    "state": "TrangThai",
    "error": "Loi",
    "next": "TiepTheo",
    "after": "SauMa",
    "mandatory": "BatBuoc",
    "body": "NoiDungVanBan",
}
# Code tables: our value → the province's code.
DEFAULT_CODES: dict[str, dict[str, Any]] = {
    "field_category": {"general": 1, "urgent": 2, "party_policy_law": 3, "local_direction": 4,
                       "science_society": 5, "good_deeds": 6},
    "content_type": {"text": 1, "image": 2, "audio": 3, "video": 4, "live": 5, "fm": 6},
    "priority": {"emergency": 1, "priority": 2, "normal": 3},
    "outcome": {"completed": 1, "interrupted": 2, "failed": 3, "missed": 4, "rejected": 5, "cancelled": 6},
}
# Endpoint path per kind, relative to the province's base URL.
DEFAULT_PATHS: dict[str, str] = {
    OutboxKind.BULLETIN: "/api/bantin",
    OutboxKind.SCHEDULE: "/api/lichphat",
    OutboxKind.CANCEL: "/api/lichphat/huy",
    OutboxKind.STATUS: "/api/cumloa/trangthai",
    OutboxKind.PLAY_LOG: "/api/nhatkyphat",
    "login": "/api/auth/login",
    "inbound": "/api/bantin/gui-xuong",
}


@dataclass(frozen=True)
class ProvinceMapping:
    """One province's names: defaults overridden by its configuration."""

    fields: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FIELDS))
    codes: dict[str, dict[str, Any]] = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULT_CODES.items()})
    paths: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PATHS))

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> ProvinceMapping:
        config = config or {}
        codes = {k: dict(v) for k, v in DEFAULT_CODES.items()}
        for name, table in (config.get("codes") or {}).items():
            codes.setdefault(name, {}).update(table)
        return cls(DEFAULT_FIELDS | dict(config.get("fields") or {}), codes,
                   DEFAULT_PATHS | dict(config.get("paths") or {}))

    def to_wire(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Rename keys (recursively) and translate coded values; unknown keys keep our name."""
        out: dict[str, Any] = {}
        for key, value in record.items():
            if key in self.codes and value is not None:
                value = self.codes[key].get(value, value)
            if isinstance(value, Mapping):
                value = self.to_wire(value)
            elif isinstance(value, list):
                value = [self.to_wire(v) if isinstance(v, Mapping) else v for v in value]
            out[self.fields.get(key, key)] = value
        return out

    def from_wire(self, wire: Mapping[str, Any]) -> dict[str, Any]:
        """The province's record with our keys and values (the inverse of to_wire for the keys we know)."""
        names = {v: k for k, v in self.fields.items()}
        out: dict[str, Any] = {}
        for key, value in wire.items():
            ours = names.get(key, key)
            if ours in self.codes and value is not None:
                value = {v: k for k, v in self.codes[ours].items()}.get(value, value)
            if isinstance(value, Mapping):
                value = self.from_wire(value)
            elif isinstance(value, list):
                value = [self.from_wire(v) if isinstance(v, Mapping) else v for v in value]
            out[ours] = value
        return out


