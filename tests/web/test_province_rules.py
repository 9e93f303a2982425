"""station.distribution's rules, called as the views call them: decisions are final, withdrawal, must-air windows,
areas, and the field-category report seen from a commune."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from schedule_support import tomorrow_local
from sqlalchemy.orm import Session
from web_support import Seed, add_article_with_audio

from radio.db.models import Article, Role
from radio.db.province import DeliveryStatus, ProvinceDelivery
from radio.db.types import utcnow
from station import distribution
from station.approval import NotAllowed
from station.audit import Actor
from station.errors import BulletinError
from station.field_report import field_rows


@pytest.fixture
def app(any_app: Flask) -> Flask:
    """Every test here on SQLite and on PostgreSQL (the inbox and province queries differ by database)."""
    return any_app

def _province_item(db: Session, seed: Seed, *, mode: str = "for_use") -> tuple[int, int, int]:
    """A province article sent to both communes; returns (item id, An Bình's delivery, Phú Lộc's delivery)."""
    article = add_article_with_audio(db, title="Tin tỉnh", sha="9" * 64)
    article.commune_id, article.author_id = None, seed.monitor_id  # a province text (its author's area)
    article.field_category = "general"
    db.flush()
    province = Actor(None, Role.BROADCASTER, seed.province_id, "tinh")
    window = (tomorrow_local(6), tomorrow_local(9)) if mode == "must_air" else None
    item = distribution.send_to_communes(db, province, article=db.get(Article, article.id),  # type: ignore[arg-type]
                                         commune_ids=[seed.commune_id, seed.other_commune_id], mode=mode,
                                         window=window, now=utcnow())
    db.commit()
    deliveries = {d.commune_id: d.id for d in db.query(ProvinceDelivery).filter_by(province_bulletin_id=item.id)}
    return item.id, deliveries[seed.commune_id], deliveries[seed.other_commune_id]


def _commune(seed: Seed, other: bool = False) -> Actor:
    return Actor(seed.other_broadcaster_id if other else seed.broadcaster_id, Role.BROADCASTER,
                 seed.other_commune_id if other else seed.commune_id, "bientap2" if other else "bientap")


def test_a_decline_is_final_and_needs_a_reason(db: Session, seed: Seed) -> None:
    _item, an_binh, _ = _province_item(db, seed)
    with pytest.raises(BulletinError, match="lý do"):
        distribution.decline_delivery(db, _commune(seed), an_binh, reason="  ", now=utcnow())
    distribution.decline_delivery(db, _commune(seed), an_binh, reason="Trùng lịch họp thôn", now=utcnow())
    with pytest.raises(BulletinError, match="chưa xử lý"):
        distribution.decline_delivery(db, _commune(seed), an_binh, reason="lần nữa", now=utcnow())
    with pytest.raises(BulletinError, match="từ chối hoặc thu hồi"):
        distribution.schedule_delivery(db, _commune(seed), an_binh, start_at=tomorrow_local(7), area_ids=[],
                                       now=utcnow())


def test_a_commune_cannot_decide_for_another(db: Session, seed: Seed) -> None:
    _item, an_binh, _ = _province_item(db, seed)
    with pytest.raises(NotAllowed):
        distribution.decline_delivery(db, _commune(seed, other=True), an_binh, reason="không", now=utcnow())
    with pytest.raises(NotAllowed):
        distribution.schedule_delivery(db, _commune(seed, other=True), an_binh, start_at=tomorrow_local(7),
                                       area_ids=[], now=utcnow())


def test_must_air_is_scheduled_only_inside_the_window_and_the_bulletin_keeps_the_metadata(db: Session,
                                                                                          seed: Seed) -> None:
    _item, an_binh, _ = _province_item(db, seed, mode="must_air")
    with pytest.raises(BulletinError, match="khoảng thời gian"):
        distribution.schedule_delivery(db, _commune(seed), an_binh, start_at=tomorrow_local(10), area_ids=[],
                                       now=utcnow())
    bulletin = distribution.schedule_delivery(db, _commune(seed), an_binh, start_at=tomorrow_local(7),
                                              area_ids=[seed.village_dong_id], now=utcnow())
    db.commit()
    article = db.get(Article, bulletin.article_id)
    assert article is not None and article.commune_id == seed.commune_id and article.field_category == "general"
    assert [t.area_id for t in bulletin.targets] == [seed.village_dong_id]
    start, end = tomorrow_local(0), tomorrow_local(23)
    mine = {r.category: r.bulletins for r in field_rows(db, {seed.commune_id, seed.village_dong_id,
                                                             seed.village_tay_id}, start, end)}
    theirs = {r.category: r.bulletins for r in field_rows(db, {seed.other_commune_id, seed.village_bac_id},
                                                          start, end)}
    assert mine["general"] == 1 and theirs["general"] == 0


def test_withdrawal_takes_back_only_undecided_deliveries(db: Session, seed: Seed) -> None:
    item, an_binh, phu_loc = _province_item(db, seed)
    distribution.schedule_delivery(db, _commune(seed), an_binh, start_at=tomorrow_local(7), area_ids=[],
                                   now=utcnow())
    with pytest.raises(NotAllowed):
        distribution.withdraw(db, _commune(seed), item)
    province = Actor(None, Role.LEADER, seed.province_id, "tinh-ld")
    assert distribution.withdraw(db, province, item, now=utcnow()) == 1
    db.commit()
    assert db.get(ProvinceDelivery, an_binh).status == DeliveryStatus.SCHEDULED  # type: ignore[union-attr]
    assert db.get(ProvinceDelivery, phu_loc).status == DeliveryStatus.WITHDRAWN  # type: ignore[union-attr]


def test_a_window_that_has_already_closed_is_refused(db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db, title="Tin cũ", sha="8" * 64)
    article.commune_id, article.author_id = None, seed.monitor_id
    db.commit()
    province = Actor(None, Role.BROADCASTER, seed.province_id, "tinh")
    past = utcnow() - timedelta(hours=2)
    with pytest.raises(BulletinError, match="Khoảng thời gian phát không hợp lệ"):
        distribution.send_to_communes(db, province, article=article, commune_ids=[seed.commune_id],
                                      mode="must_air", window=(past - timedelta(hours=1), past), now=utcnow())
