"""A province item sent to Xã An Bình only (the isolation walk checks Phú Lộc never sees or changes it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import Seed

from radio.db.province import ProvinceBulletin, ProvinceDelivery
from radio.db.types import utcnow

PROVINCE_SECRET = "Tin tỉnh gửi riêng An Bình ZXQ"


def province_item_for_an_binh(db: Session, seed: Seed) -> tuple[int, int]:
    """(province item id, An Bình's delivery id)."""
    item = ProvinceBulletin(origin_area_id=seed.province_id, title=PROVINCE_SECRET, body=PROVINCE_SECRET,
                            created_at=utcnow())
    db.add(item)
    db.flush()
    delivery = ProvinceDelivery(province_bulletin_id=item.id, commune_id=seed.commune_id)
    db.add(delivery)
    db.commit()
    return item.id, delivery.id


def delivery_state(db: Session) -> list[tuple[object, ...]]:
    db.expire_all()
    return [tuple(r) for r in db.execute(select(ProvinceDelivery.id, ProvinceDelivery.status, ProvinceDelivery.reason,
                                                ProvinceDelivery.article_id))]
