"""The audit log in words: what an entry is about (its title, not "bulletin #4") and what changed, as short
local-time sentences ("Giờ phát: 09:00 02/12/2026 → 10:00 02/12/2026"), not before/after JSON in UTC.

The JSON stays in the database untouched (it is the evidence); the page and the CSV read it through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.alerts import DisasterWarning
from radio.db.governance import ApiToken, AuditEntry
from radio.db.models import Area, Article, Bulletin, Programme, User
from radio.db.province import ProvinceBulletin
from station.warnings.hazards import hazard_name
from web.i18n import current_language
from web.labels import (
    ARTICLE_STATUS_LABELS,
    DELIVERY_MODE_LABELS,
    DELIVERY_STATUS_LABELS,
    FIELD_CATEGORY_LABELS,
    FIELD_LABELS,
    INTERRUPTED_LABELS,
    LANGUAGE_LABELS,
    LEXICON_KIND_LABELS,
    OBJECT_LABELS,
    PRIORITY_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    WARNING_STATUS_LABELS,
    days_label,
    format_number,
    label,
)

# Identifiers nobody reads: the object itself is named in its own column.
HIDDEN_FIELDS = frozenset({"article_id", "programme_id", "sign_on_audio_id", "sign_off_audio_id", "node_id",
                           "bulletin_id", "province_bulletin_id"})
AREA_FIELDS = frozenset({"commune_id", "area_id", "area_ids", "origin_area_id"})
TIME_FIELDS = frozenset({"start_at", "occurrence_start", "revoked_at", "next_air_at", "window_start", "window_end"})
DATE_FIELDS = frozenset({"valid_from", "valid_to"})
# (object type, model, title column) for the entries whose object has a title.
_TITLED = (("article", Article, Article.title), ("bulletin", Bulletin, Bulletin.title),
           ("programme", Programme, Programme.name), ("area", Area, Area.name), ("api_token", ApiToken, ApiToken.name),
           ("warning", DisasterWarning, DisasterWarning.title),
           ("province_bulletin", ProvinceBulletin, ProvinceBulletin.title))


class AuditWords:
    """Titles and area names for one page of entries, loaded in a few queries, then per-entry sentences."""

    def __init__(self, db: Session, entries: Iterable[AuditEntry], tz: ZoneInfo) -> None:
        self.tz = tz
        entries = list(entries)
        self.titles: dict[tuple[str, str], str] = {}
        for kind, model, column in _TITLED:
            ids = {int(e.object_id) for e in entries if e.object_type == kind and str(e.object_id).isdigit()}
            if ids:
                rows = db.execute(select(model.id, column).where(model.id.in_(ids))).all()  # type: ignore[attr-defined]
                self.titles.update({(kind, str(i)): str(t) for i, t in rows})
        user_ids = {int(e.object_id) for e in entries if e.object_type == "user" and str(e.object_id).isdigit()}
        if user_ids:
            rows = db.execute(select(User.id, User.full_name, User.username).where(User.id.in_(user_ids))).all()
            self.titles.update({("user", str(i)): full or name for i, full, name in rows})
        area_ids = {a for e in entries for snap in (e.before, e.after) if snap
                    for a in _area_ids(snap)}
        self.areas: dict[int, str] = dict(db.execute(select(Area.id, Area.name).where(Area.id.in_(area_ids))).all()
                                          ) if area_ids else {}

    def subject(self, entry: AuditEntry) -> str:
        """ "Bản tin «Họp dân thôn 3»", or the kind and number when the object is gone."""
        kind = label(OBJECT_LABELS, entry.object_type)
        title = self.titles.get((entry.object_type, str(entry.object_id)))
        if title is None and entry.object_type == "user" and not str(entry.object_id).isdigit():
            title = str(entry.object_id)  # a failed login names what was typed
        return _("%(kind)s “%(title)s”", kind=kind, title=title) if title else f"{kind} #{entry.object_id}"

    def changes(self, entry: AuditEntry) -> list[str]:
        """One sentence per field: all of them for a creation or deletion, only the changed ones otherwise."""
        before, after = entry.before, entry.after
        if before is None and after is None:
            return []
        if before is None or after is None:
            snap = after if after is not None else before
            assert snap is not None
            return [f"{self._field(k)}: {self._value(k, v, entry)}" for k, v in snap.items() if self._shown(k, v)]
        lines = []
        for key in [*before, *(k for k in after if k not in before)]:
            old, new = before.get(key), after.get(key)
            if old == new or key in HIDDEN_FIELDS:
                continue
            if key == "body":
                lines.append(_("Nội dung: đã sửa (%(old)s → %(new)s ký tự)", old=len(old or ""), new=len(new or "")))
            elif key == "audio_id":
                lines.append(_("Âm thanh: đã thay") if new else _("Âm thanh: đã xoá"))
            else:
                lines.append(f"{self._field(key)}: {self._value(key, old, entry)} → {self._value(key, new, entry)}")
        return lines

    @staticmethod
    def _shown(key: str, value: Any) -> bool:
        return key not in HIDDEN_FIELDS and value not in (None, "", [], False)

    @staticmethod
    def _field(key: str) -> str:
        return label(FIELD_LABELS, key)

    def _value(self, key: str, value: Any, entry: AuditEntry) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        if key == "body":
            return _("%(n)s ký tự", n=len(str(value)))
        if key == "audio_id":
            return _("có")
        if key in AREA_FIELDS:
            ids = value if isinstance(value, list) else [value]
            return ", ".join(self.areas.get(i, f"#{i}") if isinstance(i, int) else str(i) for i in ids)
        if key == "targets" and isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if key in TIME_FIELDS:
            return self._time(str(value))
        if key in DATE_FIELDS:
            return self._date(str(value))
        statuses = {"article": ARTICLE_STATUS_LABELS, "warning": WARNING_STATUS_LABELS,
                    "province_delivery": DELIVERY_STATUS_LABELS}
        tables = {"priority": PRIORITY_LABELS, "language": LANGUAGE_LABELS, "interrupted": INTERRUPTED_LABELS,
                  "kind": LEXICON_KIND_LABELS, "role": ROLE_LABELS, "mode": DELIVERY_MODE_LABELS,
                  "field_category": FIELD_CATEGORY_LABELS,
                  "status": statuses.get(entry.object_type, STATUS_LABELS)}
        if key in tables:
            return label(tables[key], str(value))
        if key == "days":
            return days_label(str(value))
        if key == "hazard":
            return hazard_name(str(value), current_language())
        if key == "interval_s" and isinstance(value, int):
            return _("%(minutes)s phút", minutes=format_number(value / 60)) if value >= 60 else _(
                "%(seconds)s giây", seconds=value)
        if key == "stopped" and isinstance(value, list):
            return str(len(value))
        if key == "communes" and isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    def _time(self, text: str) -> str:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return text
        return value.astimezone(self.tz).strftime("%H:%M %d/%m/%Y") if value.tzinfo else text

    @staticmethod
    def _date(text: str) -> str:
        try:
            return date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return text


def _area_ids(snap: dict[str, Any]) -> set[int]:
    out: set[int] = set()
    for key in AREA_FIELDS:
        value = snap.get(key)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, int):
                out.add(v)
    return out
