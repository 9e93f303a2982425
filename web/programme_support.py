"""Helpers shared by the programme pages and the bulletin form: visible programmes, their next airings as
form choices, audio assets to pick a jingle from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from radio.db.models import Article, AudioAssetRow, Bulletin, Programme
from station.errors import BulletinError
from station.programme_service import occurrence_bulletins, upcoming_occurrences
from web.audio_assets import format_duration
from web.authz import scoped
from web.scope import visible_communes
from web.timefmt import format_occurrence
from web.voices import voice_name

# Jingles are picked from a drop-down: the newest assets are enough, a country's archive is not.
ASSET_CHOICE_LIMIT = 300
UPCOMING_DAYS = 7


def visible_programmes(db: Session, area_id: int | None, *, active_only: bool = False) -> list[Programme]:
    """Programmes of the communes the user may broadcast to, by name."""
    communes = [c.id for c in visible_communes(db, area_id)]
    query = (select(Programme).where(Programme.commune_id.in_(communes))
             .options(selectinload(Programme.slots), selectinload(Programme.targets)).order_by(Programme.name))
    if active_only:
        query = query.where(Programme.active.is_(True))
    return list(db.scalars(query))


def occurrence_value(programme_id: int, occurrence: datetime) -> str:
    """One form value naming both the programme and the airing, so a single drop-down can carry them."""
    return f"{programme_id}@{int(occurrence.timestamp())}"


def occurrence_choices(programmes: list[Programme], now: datetime, tz: ZoneInfo) -> list[tuple[str, str]]:
    """The next week's airings of active programmes, soonest first: ("3@1790000000", "Thời sự sáng — Thứ Hai …")."""
    found = [
        (occ, occurrence_value(p.id, occ), f"{p.name} — {format_occurrence(occ, tz)}")
        for p in programmes if p.active
        for occ in upcoming_occurrences(p, now, days=UPCOMING_DAYS)
    ]
    return [(value, text) for _when, value, text in sorted(found, key=lambda f: (f[0], f[2]))]


def parse_occurrence(value: str | None, allowed_programmes: set[int]) -> tuple[int, datetime]:
    """The (programme id, aware UTC start) a form value names; BulletinError if it is not the user's to pick."""
    programme, _sep, epoch = (value or "").partition("@")
    if not programme.isdigit() or not epoch.isdigit():
        raise BulletinError(_("Hãy chọn buổi phát của chương trình."))
    if int(programme) not in allowed_programmes:
        raise BulletinError(_("Không tìm thấy chương trình đang hoạt động."))
    return int(programme), datetime.fromtimestamp(int(epoch), UTC)


def asset_choices(db: Session) -> list[tuple[int, str]]:
    """Audio assets by a name people recognise: the article that uses it, else how it was made."""
    # Only audio of the user's own articles and programmes (station.isolation), named by their own titles.
    assets = db.scalars(scoped(select(AudioAssetRow), AudioAssetRow)
                        .order_by(AudioAssetRow.created_at.desc(), AudioAssetRow.id.desc())
                        .limit(ASSET_CHOICE_LIMIT)).all()
    titles = dict(db.execute(scoped(select(Article.audio_id, Article.title), Article)
                             .where(Article.audio_id.in_([a.id for a in assets]))).all())
    result = [(0, _("— Không có —"))]
    for asset in assets:
        origin = titles.get(asset.id) or (_("Tệp tải lên") if asset.engine == "upload"
                                          else voice_name(asset.engine, asset.voice))
        result.append((asset.id, f"{origin} ({format_duration(asset.duration_ms)}, {asset.sha256[:8]})"))
    return result


@dataclass(frozen=True)
class Occurrence:
    start: datetime
    items: list[Bulletin]


def planned_occurrences(db: Session, programme: Programme, now: datetime) -> list[Occurrence]:
    """The programme's airings in the next week, each with what is planned in it in air order."""
    return [
        Occurrence(occ, sorted(occurrence_bulletins(db, programme.id, occ), key=lambda b: (b.start_at, b.id)))
        for occ in upcoming_occurrences(programme, now, days=UPCOMING_DAYS)
    ]
