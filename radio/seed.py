"""Sample data for the demo and the self-test: one commune from the sample plans with its villages and nodes.

The commune is Cẩm Tân (Thanh Hóa, province code 38) from samples/plans/cam-tan-2023. The commune and village
codes here are illustrative, not the official list: import the official codes for a real deployment.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from radio.broker import NodeAccount
from radio.db.models import Area, AreaLevel, Node, Role, User

PROVINCE = ("38", "Tỉnh Thanh Hóa")
COMMUNE = ("38001", "Xã Cẩm Tân")
VILLAGES = [
    "Thôn Đồng Tâm", "Thôn Tân Sơn", "Thôn Tân Thành", "Thôn Thái Long", "Thôn Cẩm Hoa", "Thôn Tân Hồng",
    "Thôn Đồng Lạc", "Thôn Phú Sơn", "Thôn Tân Bình", "Thôn Bình Sơn", "Thôn Tân Lập", "Thôn Hòa Bình",
]


# (user name, full name, role, area): one account per role so a demo shows the whole workflow.
DEMO_USERS = [
    ("bientap", "Cán bộ truyền thanh xã", Role.BROADCASTER, "commune"),
    ("lanhdao", "Chủ tịch UBND xã", Role.LEADER, "commune"),
    ("giamsat", "Cán bộ giám sát tỉnh", Role.MONITOR, "province"),
]


@dataclass(frozen=True)
class SeedResult:
    commune_id: int
    village_ids: list[int]
    accounts: list[NodeAccount]
    admin_password: str | None
    demo_passwords: dict[str, str] = field(default_factory=dict)


def seed_sample_commune(session: Session, *, nodes: int = 12, admin_password: str | None = None,
                        demo_users: bool = False) -> SeedResult:
    """Create the sample commune with `nodes` loudspeaker nodes (one per village, cycling) and an admin."""
    province = _area(session, PROVINCE[0], PROVINCE[1], AreaLevel.PROVINCE, None)
    commune = _area(session, COMMUNE[0], COMMUNE[1], AreaLevel.COMMUNE, province.id)
    villages = [
        _area(session, f"{COMMUNE[0]}-{i + 1:02d}", name, AreaLevel.VILLAGE, commune.id)
        for i, name in enumerate(VILLAGES)
    ]
    accounts: list[NodeAccount] = []
    for i in range(nodes):
        village = villages[i % len(villages)]
        node_id = f"n{COMMUNE[0]}-{i + 1:04d}"
        node = session.get(Node, node_id)
        if node is None:
            node = Node(id=node_id, name=f"Cụm loa {village.name} #{i // len(villages) + 1}", village_id=village.id)
            session.add(node)
        accounts.append(NodeAccount(node_id, secrets.token_urlsafe(16), (village.code, commune.code, province.code)))
    password = None
    if session.scalars(select(User).where(User.username == "admin")).first() is None:
        password = admin_password or secrets.token_urlsafe(12)
        session.add(User(username="admin", password_hash=generate_password_hash(password), full_name="Quản trị",
                         role=Role.ADMIN, area_id=province.id))
    demo_passwords: dict[str, str] = {}
    if demo_users:
        for username, full_name, role, level in DEMO_USERS:
            if session.scalars(select(User).where(User.username == username)).first() is None:
                demo_passwords[username] = secrets.token_urlsafe(9)
                area_id = commune.id if level == "commune" else province.id
                session.add(User(username=username, password_hash=generate_password_hash(demo_passwords[username]),
                                 full_name=full_name, role=role, area_id=area_id))
    session.commit()
    return SeedResult(commune.id, [v.id for v in villages], accounts, password, demo_passwords)


def _area(session: Session, code: str, name: str, level: str, parent_id: int | None) -> Area:
    area = session.scalars(select(Area).where(Area.code == code)).first()
    if area is None:
        area = Area(code=code, name=name, level=level, parent_id=parent_id)
        session.add(area)
        session.flush()
    return area
