"""Per-commune voice defaults (issue 15): the regional voice the editor offers first and the speaking rate.

Bắc, Trung, Nam are espeak-ng's three Vietnamese voices; a commune without a row uses the station's
configured voice and the engine's own rate.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from radio.db.models import CommuneVoice
from radio.db.types import utcnow

# region → espeak-ng voice
REGION_VOICES: dict[str, str] = {"bac": "vi", "trung": "vi-vn-x-central", "nam": "vi-vn-x-south"}
# The rates a commune may choose (words a minute); loudspeakers on poles echo, so nothing fast.
RATES = (130, 145, 160, 175)


@dataclass(frozen=True)
class VoiceDefaults:
    region: str | None
    rate_wpm: int | None

    @property
    def voice_key(self) -> str | None:
        """The editor's default choice ("espeak-ng/vi-vn-x-south"), None: the station's setting."""
        return f"espeak-ng/{REGION_VOICES[self.region]}" if self.region in REGION_VOICES else None


def commune_voice(session: Session, commune_id: int | None) -> VoiceDefaults:
    row = session.get(CommuneVoice, commune_id) if commune_id is not None else None
    return VoiceDefaults(row.region, row.rate_wpm) if row is not None else VoiceDefaults(None, None)


def set_commune_voice(session: Session, commune_id: int, region: str, rate_wpm: int | None,
                      user_id: int | None) -> tuple[dict[str, object] | None, dict[str, object]]:
    """Store the defaults (ValueError for a region or rate not offered); returns (before, after) for the audit.
    Flushes, never commits."""
    if region not in REGION_VOICES or (rate_wpm is not None and rate_wpm not in RATES):
        raise ValueError(f"bad voice defaults {region!r}, {rate_wpm!r}")
    row = session.get(CommuneVoice, commune_id)
    before = None if row is None else {"region": row.region, "rate_wpm": row.rate_wpm}
    if row is None:
        row = CommuneVoice(commune_id=commune_id)
        session.add(row)
    row.region, row.rate_wpm, row.updated_by, row.updated_at = region, rate_wpm, user_id, utcnow()
    session.flush()
    return before, {"region": region, "rate_wpm": rate_wpm}
