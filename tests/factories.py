"""Factories for domain objects in tests."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from radio.db.models import Area, AreaLevel, AudioAssetRow, Bulletin, BulletinTarget, Node


def make_commune(session: Session, *, villages: int = 2, nodes_per_village: int = 1,
                 code: str = "38001") -> tuple[Area, list[Area], list[Node]]:
    province = Area(code=code[:2], name="Tỉnh Thử", level=AreaLevel.PROVINCE)
    session.add(province)
    session.flush()
    commune = Area(code=code, name="Xã Thử", level=AreaLevel.COMMUNE, parent_id=province.id)
    session.add(commune)
    session.flush()
    vs, ns = [], []
    for i in range(villages):
        v = Area(code=f"{code}-{i + 1:02d}", name=f"Thôn {i + 1}", level=AreaLevel.VILLAGE, parent_id=commune.id)
        session.add(v)
        session.flush()
        vs.append(v)
        for j in range(nodes_per_village):
            n = Node(id=f"n{code}-{i + 1:02d}{j}", name=f"Cụm loa {i + 1}.{j}", village_id=v.id)
            session.add(n)
            ns.append(n)
    session.flush()
    return commune, vs, ns


def make_audio(session: Session, *, duration_ms: int = 3000, seed: str = "a") -> AudioAssetRow:
    row = AudioAssetRow(sha256=hashlib.sha256(seed.encode()).hexdigest(), duration_ms=duration_ms,
                        size_bytes=1000, engine="espeak-ng", voice="vi")
    session.add(row)
    session.flush()
    return row


def make_bulletin(session: Session, audio: AudioAssetRow, start_at: datetime, areas: list[Area],
                  *, priority: str = "normal", title: str = "Bản tin") -> Bulletin:
    b = Bulletin(title=title, audio_id=audio.id, start_at=start_at, priority=priority)
    for a in areas:
        b.targets.append(BulletinTarget(area_id=a.id))
    session.add(b)
    session.flush()
    return b
