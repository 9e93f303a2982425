"""Approval end to end in the browser: write, submit, reject, fix, approve, schedule; an emergency by the
leader skips approval; every step lands in the audit log with before and after."""

from __future__ import annotations

from flask import Flask
from governance_support import audit_actions, login
from schedule_support import tomorrow_local
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import Seed

from radio.db.governance import AuditEntry
from radio.db.models import Article, ArticleStatus, Bulletin

FMT = "%Y-%m-%dT%H:%M:%S"


def _status(db: Session, article_id: int) -> str:
    db.expire_all()
    article = db.get(Article, article_id)
    assert article is not None
    return article.status


def _schedule(client, article_id: int, seed: Seed, priority: str = "normal"):  # type: ignore[no-untyped-def]
    data = {"article_id": str(article_id), "priority": priority, "placement": "time", "on_overlap": "refuse",
            "start_local": tomorrow_local(8).strftime(FMT), "area_ids": [str(seed.commune_id)],
            "confirm_emergency": "y" if priority == "emergency" else ""}
    return client.post("/bulletins/new", data=data)


def test_broadcaster_submits_leader_reviews_and_only_approved_content_airs(app: Flask, db: Session,
                                                                           seed: Seed) -> None:
    broadcaster, leader, other_leader = app.test_client(), app.test_client(), app.test_client()
    login(broadcaster, "bientap")
    login(leader, "lanhdao")
    login(other_leader, "lanhdao2")

    created = broadcaster.post("/articles/new", data={"title": "Phòng chống sốt xuất huyết",
                                                      "body": "Người dân hãy diệt lăng quăng.", "language": "vi"})
    article_id = int(created.headers["Location"].rsplit("/", 1)[1])
    broadcaster.post(f"/articles/{article_id}/audio", data={"voice": "espeak-ng/vi"})
    page = broadcaster.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "Nháp" in page and 'id="submit-for-approval"' in page and 'id="approve"' not in page

    # A draft is not even offered to a broadcaster, as a normal bulletin or as an "emergency" (the service
    # refuses it too: tests/station/test_approval.py, test_web_api_*.py).
    for priority in ("normal", "emergency"):
        refused = _schedule(broadcaster, article_id, seed, priority)
        assert refused.status_code == 400 and "lãnh đạo duyệt" in refused.get_data(as_text=True)
    assert db.scalars(select(Bulletin)).first() is None

    assert broadcaster.post(f"/articles/{article_id}/submit").status_code == 302
    assert _status(db, article_id) == ArticleStatus.SUBMITTED
    assert "Chờ duyệt" in broadcaster.get(f"/articles/{article_id}").get_data(as_text=True)

    # The leader of another commune may not decide; the article's leader must give a reason to reject.
    assert other_leader.post(f"/articles/{article_id}/review", data={"decision": "approve"}).status_code == 403
    assert _status(db, article_id) == ArticleStatus.SUBMITTED
    page = leader.get(f"/articles/{article_id}").get_data(as_text=True)
    assert 'id="approve"' in page and 'id="reject"' in page
    leader.post(f"/articles/{article_id}/review", data={"decision": "reject", "comment": ""})
    assert _status(db, article_id) == ArticleStatus.SUBMITTED
    leader.post(f"/articles/{article_id}/review", data={"decision": "reject", "comment": "Ghi rõ ngày phun thuốc."})
    assert _status(db, article_id) == ArticleStatus.REJECTED
    page = broadcaster.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "Bị từ chối" in page and "Ghi rõ ngày phun thuốc." in page

    broadcaster.post(f"/articles/{article_id}", data={"title": "Phòng chống sốt xuất huyết",
                                                      "body": "Thứ Bảy phun thuốc diệt muỗi.", "language": "vi"})
    broadcaster.post(f"/articles/{article_id}/audio", data={"voice": "espeak-ng/vi"})
    broadcaster.post(f"/articles/{article_id}/submit")
    leader.post(f"/articles/{article_id}/review", data={"decision": "approve", "comment": ""})
    assert _status(db, article_id) == ArticleStatus.APPROVED
    assert "Đã duyệt" in broadcaster.get(f"/articles/{article_id}").get_data(as_text=True)

    assert _schedule(broadcaster, article_id, seed).status_code == 302
    assert _status(db, article_id) == ArticleStatus.SCHEDULED

    # Changing an approved text withdraws the approval: the leader must see the new version.
    broadcaster.post(f"/articles/{article_id}", data={"title": "Phòng chống sốt xuất huyết",
                                                      "body": "Chủ Nhật phun thuốc.", "language": "vi"})
    assert _status(db, article_id) == ArticleStatus.DRAFT

    assert audit_actions(db, "article") == [
        "article.create", "article.audio", "article.submit", "article.reject", "article.edit", "article.audio",
        "article.submit", "article.approve", "article.edit"]
    approve = db.scalars(select(AuditEntry).where(AuditEntry.action == "article.approve")).one()
    assert approve.before["status"] == "submitted" and approve.after["status"] == "approved"
    assert approve.username == "lanhdao" and approve.area_id == seed.commune_id and approve.remote_addr
    last_edit = db.scalars(select(AuditEntry).where(AuditEntry.action == "article.edit")
                           .order_by(AuditEntry.id.desc())).first()
    assert last_edit is not None
    assert last_edit.before["status"] == "scheduled" and last_edit.after["status"] == "draft"
    assert last_edit.before["body"] == "Thứ Bảy phun thuốc diệt muỗi." and last_edit.after["audio_id"] is None


def test_emergency_by_the_leader_skips_approval_and_is_recorded(app: Flask, db: Session, seed: Seed) -> None:
    leader = app.test_client()
    login(leader, "lanhdao")
    from web_support import add_article_with_audio

    article = add_article_with_audio(db, title="Bão số 3 đổ bộ", status=ArticleStatus.DRAFT)
    options = leader.get("/bulletins/new").get_data(as_text=True)
    assert "chưa duyệt: chỉ phát khẩn cấp" in options  # leaders see unapproved content, marked
    assert _schedule(leader, article.id, seed).status_code == 400  # not as a normal bulletin
    assert _schedule(leader, article.id, seed, "emergency").status_code == 302
    bulletin = db.scalars(select(Bulletin)).one()
    assert bulletin.priority == "emergency" and bulletin.approval_skipped is True
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "bulletin.emergency")).one()
    assert entry.username == "lanhdao" and "không qua duyệt" in entry.detail and entry.after["approval_skipped"]
