"""Helpers for the web tests: seeded areas/nodes/users, a fake audio library, a login helper.

A module with its own name (not conftest) so tests can import it without clashing with other conftests.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from audio_library.errors import AudioError
from radio.db.models import Area, AreaLevel, Article, ArticleStatus, AudioAssetRow, Node, Role, User
from radio.db.types import utcnow

PASSWORD = "mat-khau-dung"
_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class FakeAsset:
    sha256: str
    path: Path
    duration_s: float
    size_bytes: int
    engine: str
    voice: str | None
    lufs: float | None
    true_peak_dbtp: float | None
    fallback_reason: str | None


class FakeAudioLibrary:
    """Same methods as audio_library.AudioLibrary; writes small real files so media serving is exercised."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.fail_with: str | None = None
        self.calls: list[tuple[str, str, str]] = []

    def _store(self, data: bytes, engine: str, voice: str | None) -> FakeAsset:
        sha = hashlib.sha256(data).hexdigest()
        path = self.root / f"{sha}.mp3"
        path.write_bytes(data)
        return FakeAsset(sha, path, len(data) / 1000, len(data), engine, voice, -16.0, -1.8, None)

    def synthesize(self, text: str, *, engine: str = "espeak-ng", voice: str = "vi",
                   extra_acronyms: dict[str, str] | None = None,
                   extra_loanwords: dict[str, str] | None = None, rate_wpm: int | None = None) -> FakeAsset:
        self.calls.append((text, engine, voice))
        self.rate_wpm = rate_wpm
        self.extra_acronyms = extra_acronyms
        self.extra_loanwords = extra_loanwords
        if self.fail_with:
            raise AudioError(self.fail_with)
        # 4 KB derived from the text: same text, same file, same sha (content addressing).
        seed = hashlib.sha256(text.encode()).digest()
        return self._store(b"ID3" + seed * 128, engine, voice)

    def import_file(self, src: Path, *, original_name: str) -> FakeAsset:
        data = Path(src).read_bytes()
        if not data or not original_name.lower().endswith((".mp3", ".wav")):
            raise AudioError("Tệp tải lên không phải âm thanh hợp lệ.")
        return self._store(data, "upload", None)

    def path_for(self, sha256: str) -> Path:
        if not _SHA.fullmatch(sha256):
            raise ValueError(sha256)
        path = self.root / f"{sha256}.mp3"
        if not path.exists():
            raise KeyError(sha256)
        return path


@dataclass(frozen=True)
class Seed:
    province_id: int
    commune_id: int  # Xã An Bình, villages Thôn Đông and Thôn Tây
    village_dong_id: int
    village_tay_id: int
    other_commune_id: int  # Xã Phú Lộc, village Thôn Bắc
    village_bac_id: int
    broadcaster_id: int  # scoped to Xã An Bình
    admin_id: int  # no area: sees everything
    # One account per role (authorization tests): leader and broadcaster of each commune, a province monitor.
    leader_id: int = 0  # "lanhdao", chairperson of Xã An Bình
    monitor_id: int = 0  # "giamsat", province monitor (read-only)
    other_broadcaster_id: int = 0  # "bientap2", broadcaster of Xã Phú Lộc
    other_leader_id: int = 0  # "lanhdao2", leader of Xã Phú Lộc


def seed_database(session: Session) -> Seed:
    province = Area(code="99", name="Tỉnh Thử Nghiệm", level=AreaLevel.PROVINCE)
    an_binh = Area(code="99001", name="Xã An Bình", level=AreaLevel.COMMUNE, parent=province)
    dong = Area(code="99001-01", name="Thôn Đông", level=AreaLevel.VILLAGE, parent=an_binh)
    tay = Area(code="99001-02", name="Thôn Tây", level=AreaLevel.VILLAGE, parent=an_binh)
    phu_loc = Area(code="99002", name="Xã Phú Lộc", level=AreaLevel.COMMUNE, parent=province)
    bac = Area(code="99002-01", name="Thôn Bắc", level=AreaLevel.VILLAGE, parent=phu_loc)
    session.add_all([province, an_binh, dong, tay, phu_loc, bac])
    session.flush()
    session.add_all(
        [
            Node(id="loa-dong-1", name="Cụm loa Đông 1", village_id=dong.id, online=True,
                 last_seen_at=utcnow(), agent_version="0.1.0"),
            Node(id="loa-tay-1", name="Cụm loa Tây 1", village_id=tay.id, online=False,
                 last_seen_at=None, agent_version=""),
            Node(id="loa-bac-1", name="Cụm loa Bắc 1", village_id=bac.id, online=True,
                 last_seen_at=utcnow(), agent_version="0.1.0"),
        ]
    )
    pw = generate_password_hash(PASSWORD)
    broadcaster = User(username="bientap", password_hash=pw, full_name="Nguyễn Văn Biên",
                       role=Role.BROADCASTER, area_id=an_binh.id)
    admin = User(username="quantri", password_hash=pw, full_name="", role=Role.ADMIN)
    retired = User(username="nghihuu", password_hash=pw, role=Role.BROADCASTER, active=False)
    leader = User(username="lanhdao", password_hash=pw, full_name="Trần Thị Lãnh", role=Role.LEADER,
                  area_id=an_binh.id)
    monitor = User(username="giamsat", password_hash=pw, role=Role.MONITOR, area_id=province.id)
    other_broadcaster = User(username="bientap2", password_hash=pw, role=Role.BROADCASTER, area_id=phu_loc.id)
    other_leader = User(username="lanhdao2", password_hash=pw, role=Role.LEADER, area_id=phu_loc.id)
    session.add_all([broadcaster, admin, retired, leader, monitor, other_broadcaster, other_leader])
    session.commit()
    return Seed(province.id, an_binh.id, dong.id, tay.id, phu_loc.id, bac.id, broadcaster.id, admin.id,
                leader.id, monitor.id, other_broadcaster.id, other_leader.id)


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str = "bientap", password: str = PASSWORD) -> TestResponse:
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self) -> TestResponse:
        return self._client.post("/logout")


def seeded_commune_id(session: Session) -> int | None:
    """Xã An Bình's id when the seed is present (articles belong to a commune since approval came in)."""
    return session.scalar(select(Area.id).where(Area.code == "99001"))


def add_article_with_audio(session: Session, title: str = "Phòng chống bão số 3", sha: str = "a" * 64,
                           status: str = ArticleStatus.APPROVED) -> Article:
    """An article ready to schedule: with audio, approved by the leader, in Xã An Bình (when seeded)."""
    asset = AudioAssetRow(sha256=sha, duration_ms=61_000, size_bytes=4096, engine="espeak-ng", voice="vi")
    article = Article(title=title, body="Nội dung bản tin.", language="vi", audio=asset, status=status,
                      commune_id=seeded_commune_id(session))
    session.add(article)
    session.commit()
    return article


def wait_for_renders(client: FlaskClient) -> None:
    """"Tạo âm thanh" renders on the web's one render thread (web/render_worker.py) and the request waits only 1 s:
    on a loaded machine the call may come later, so wait until that thread's queue is empty."""
    client.application.extensions["render_worker"].pool.submit(lambda: None).result(timeout=30)
