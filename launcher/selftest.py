"""`radio selftest`: the whole path, headless, as an operator's installation check."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from launcher.system import LocalSystem
from radio.db.models import AsRun, Bulletin, BulletinTarget, Outcome
from radio.db.session import make_engine, make_sessionmaker

ARTICLE = (
    "Thông báo của Ủy ban nhân dân xã Cẩm Tân. Sáng nay, đài truyền thanh xã kiểm tra hệ thống loa. "
    "Đề nghị bà con lắng nghe."
)


@dataclass(frozen=True)
class SelftestResult:
    ok: bool
    summary: str


def schedule_article(system: LocalSystem, text: str, *, start_in_s: float, title: str = "Kiểm tra hệ thống") -> int:
    """Synthesize text and schedule it for the whole sample commune; returns the bulletin id."""
    from audio_library import AudioLibrary
    from station.assets import upsert_audio_asset

    assert system.settings is not None and system.seed is not None
    asset = AudioLibrary(system.settings.audio_dir).synthesize(text)
    engine = make_engine(system.settings.db_url)
    with make_sessionmaker(engine)() as session:
        row = upsert_audio_asset(session, asset)
        bulletin = Bulletin(title=title, audio_id=row.id, start_at=datetime.now(UTC) + timedelta(seconds=start_in_s))
        bulletin.targets.append(BulletinTarget(area_id=system.seed.commune_id))
        session.add(bulletin)
        session.commit()
        bulletin_id = bulletin.id
    engine.dispose()
    return bulletin_id


def wait_for_outcomes(system: LocalSystem, bulletin_id: int, expected: int, timeout_s: float) -> dict[str, int]:
    assert system.settings is not None
    engine = make_engine(system.settings.db_url)
    sessions = make_sessionmaker(engine)
    deadline = time.monotonic() + timeout_s
    counts: dict[str, int] = {}
    try:
        while time.monotonic() < deadline:
            with sessions() as session:
                rows = session.execute(
                    select(AsRun.outcome, func.count()).where(AsRun.bulletin_id == bulletin_id).group_by(AsRun.outcome)
                ).all()
            counts = {outcome: n for outcome, n in rows}
            if sum(n for o, n in counts.items() if o in Outcome.FINAL) >= expected:
                break
            time.sleep(0.2)
    finally:
        engine.dispose()
    return counts


def run_selftest(nodes: int = 3, workdir: Path | None = None) -> SelftestResult:
    with tempfile.TemporaryDirectory(prefix="radio-selftest-") as tmp:
        system = LocalSystem(Path(workdir or tmp), nodes=nodes, player="file")
        try:
            system.start()
            bulletin_id = schedule_article(system, ARTICLE, start_in_s=4)
            counts = wait_for_outcomes(system, bulletin_id, nodes, timeout_s=60)
        except Exception as exc:  # an installation check reports every failure as a reason, not a traceback
            return SelftestResult(False, f"selftest FAILED: {type(exc).__name__}: {exc}")
        finally:
            system.stop()
    completed = counts.get(Outcome.COMPLETED, 0)
    ok = completed == nodes
    verdict = "OK" if ok else "FAILED"
    return SelftestResult(ok, f"selftest {verdict}: {completed}/{nodes} nodes played the bulletin ({counts})")
