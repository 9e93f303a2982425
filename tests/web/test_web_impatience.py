"""Issue 14 item 5 and the approval traps of item 9: a form sent twice does its work once, an identical
bulletin in the same slot is asked about, "Tạo âm thanh" renders once in the background with its progress,
an article without audio (or rejected and unchanged) cannot be submitted; the leader writes an emergency."""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta

from flask import Flask
from governance_support import audit_actions, login
from schedule_support import tomorrow_local
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from web_support import FakeAudioLibrary, Seed, add_article_with_audio

from radio.db.models import Article, ArticleStatus, Bulletin
from radio.db.types import utcnow
from radio.db.workflow import FormSubmission, RenderJob, RenderState
from station import render_jobs

FMT = "%Y-%m-%dT%H:%M:%S"
KEY = "k" * 24


def _count(db: Session, model: type) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _schedule(article_id: int, seed: Seed, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {"article_id": str(article_id), "priority": "normal", "placement": "time",
                               "on_overlap": "refuse", "start_local": tomorrow_local(8).strftime(FMT),
                               "area_ids": [str(seed.commune_id)]}
    data.update(extra)
    return data


def test_a_resubmitted_bulletin_form_returns_the_first_result(app: Flask, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    client = app.test_client()
    login(client, "bientap")
    page = client.get(f"/bulletins/new?article_id={article.id}").get_data(as_text=True)
    key = re.search(r'name="form_key" value="([^"]+)"', page)
    assert key is not None  # every render of the form carries a fresh key
    first = client.post("/bulletins/new", data=_schedule(article.id, seed, form_key=key.group(1)))
    assert first.status_code == 302
    # Back, then "Lên lịch" again: the same key, so the first bulletin, not a second one.
    again = client.post("/bulletins/new", data=_schedule(article.id, seed, form_key=key.group(1)))
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert _count(db, Bulletin) == 1
    assert "lần gửi đầu tiên" in client.get(again.headers["Location"]).get_data(as_text=True)
    # The key is the user's: another account sending the same key is not sent to someone else's result.
    leader = app.test_client()
    login(leader, "lanhdao")
    other = leader.post("/bulletins/new", data=_schedule(article.id, seed, form_key=key.group(1),
                                                         start_local=tomorrow_local(15).strftime(FMT)))
    assert other.status_code == 302 and other.headers["Location"] != first.headers["Location"]


def test_a_form_with_an_error_releases_its_key_for_the_corrected_submission(app: Flask, db: Session,
                                                                           seed: Seed) -> None:
    article = add_article_with_audio(db)
    client = app.test_client()
    login(client, "bientap")
    bad = client.post("/bulletins/new", data=_schedule(article.id, seed, form_key=KEY, start_local="hôm qua"))
    assert bad.status_code == 400
    assert db.get(FormSubmission, (seed.broadcaster_id, KEY)) is None
    good = client.post("/bulletins/new", data=_schedule(article.id, seed, form_key=KEY))
    assert good.status_code == 302 and _count(db, Bulletin) == 1


def test_a_submission_still_in_flight_is_not_done_twice(app: Flask, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    db.add(FormSubmission(user_id=seed.broadcaster_id, form_key=KEY, endpoint="bulletins.new", location=None,
                          created_at=utcnow()))
    db.commit()
    client = app.test_client()
    login(client, "bientap")
    response = client.post("/bulletins/new", data=_schedule(article.id, seed, form_key=KEY))
    assert response.status_code == 409 and "đang được xử lý" in response.get_data(as_text=True)
    assert _count(db, Bulletin) == 0
    # A claim whose request died long ago does not block the key for ever.
    row = db.get(FormSubmission, (seed.broadcaster_id, KEY))
    assert row is not None
    row.created_at = utcnow() - timedelta(minutes=10)
    db.commit()
    assert client.post("/bulletins/new", data=_schedule(article.id, seed, form_key=KEY)).status_code == 302
    assert _count(db, Bulletin) == 1


def test_two_simultaneous_submissions_of_one_form_make_one_article(app: Flask, db: Session, seed: Seed) -> None:
    results: list[int] = []
    start = threading.Barrier(2)

    def send() -> None:
        client = app.test_client()
        login(client, "bientap")
        start.wait(timeout=10)
        results.append(client.post("/articles/new", data={"title": "Tin trùng", "body": "Nội dung.",
                                                          "language": "vi", "form_key": KEY}).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert _count(db, Article) == 1
    assert sorted(results) in ([302, 302], [302, 409])


def test_identical_bulletin_in_the_same_slot_needs_a_confirmation(app: Flask, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    client = app.test_client()
    login(client, "bientap")
    assert client.post("/bulletins/new", data=_schedule(article.id, seed)).status_code == 302
    # A fresh form (new key), the same article, 2 min later, queued behind the first: the duplicate.
    later = (tomorrow_local(8) + timedelta(minutes=2)).strftime(FMT)
    asked = client.post("/bulletins/new", data=_schedule(article.id, seed, start_local=later, on_overlap="queue"))
    html = asked.get_data(as_text=True)
    assert asked.status_code == 400 and 'id="confirm-duplicate"' in html and "đã được lên lịch phát lúc" in html
    assert _count(db, Bulletin) == 1
    confirmed = client.post("/bulletins/new", data=_schedule(article.id, seed, start_local=later, on_overlap="queue",
                                                             confirm_duplicate="yes"))
    assert confirmed.status_code == 302 and _count(db, Bulletin) == 2
    # Another village at another time is not a duplicate.
    elsewhere = _schedule(article.id, seed, start_local=tomorrow_local(17).strftime(FMT),
                          area_ids=[str(seed.village_tay_id)])
    assert client.post("/bulletins/new", data=elsewhere).status_code == 302


class SlowAudio(FakeAudioLibrary):
    """A render that takes as long as the test says (a real one takes seconds)."""

    def __init__(self, root) -> None:  # type: ignore[no-untyped-def]
        super().__init__(root)
        self.release = threading.Event()

    def synthesize(self, text: str, **kwargs):  # type: ignore[no-untyped-def,override]
        assert self.release.wait(timeout=20)
        return super().synthesize(text, **kwargs)


def test_render_runs_once_in_the_background_and_reports_progress(app: Flask, db: Session, seed: Seed,
                                                                  tmp_path) -> None:  # type: ignore[no-untyped-def]
    slow = SlowAudio(tmp_path / "slow")
    app.extensions["radio"]._audio_library = slow
    app.config["RENDER_QUICK_WAIT_S"] = 1.0  # as in production: the long render shows its progress
    client = app.test_client()
    login(client, "bientap")
    created = client.post("/articles/new", data={"title": "Tin dài", "body": "Nội dung rất dài. " * 50,
                                                 "language": "vi"})
    article_id = int(created.headers["Location"].rsplit("/", 1)[1])
    first = client.post(f"/articles/{article_id}/audio", data={"voice": "espeak-ng/vi"})
    assert first.status_code == 302 and "job=" in first.headers["Location"]
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert 'id="render-progress"' in page and 'id="render-button" disabled' in page
    status_url = re.search(r'data-status-url="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    running = client.get(status_url).get_json()
    assert running["state"] in ("queued", "running") and not running["finished"] and 0 < running["percent"] < 100
    # How long it still needs, from the article's length (900 characters: about 5 s), on the page and in the poll.
    assert re.search(r"(còn|cần) khoảng \d+ giây", running["label"]), running["label"]
    assert re.search(r'id="render-label">[^<]*khoảng \d+ giây', page)
    # A second click, from another tab without the disabled button: no second render.
    again = client.post(f"/articles/{article_id}/audio", data={"voice": "espeak-ng/vi"})
    assert again.status_code == 302
    assert "đang được tạo" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert _count(db, RenderJob) == 1
    slow.release.set()
    app.extensions["render_worker"].pool.submit(lambda: None).result(timeout=20)  # the queue has drained
    done = client.get(status_url).get_json()
    assert done["finished"] and done["state"] == RenderState.DONE and done["percent"] == 100
    assert len(slow.calls) == 1
    db.expire_all()
    assert db.get(Article, article_id).audio_id is not None  # type: ignore[union-attr]
    assert "article.audio" in audit_actions(db, "article")
    result = client.get(done["done_url"]).get_data(as_text=True)
    assert 'id="render-result"' in result and "Đã tạo âm thanh." in result


def test_render_failure_is_reported_on_the_page(app: Flask, db: Session, seed: Seed,
                                                 fake_audio: FakeAudioLibrary) -> None:
    fake_audio.fail_with = "Máy đọc bị lỗi thử nghiệm."
    client = app.test_client()
    login(client, "bientap")
    created = client.post("/articles/new", data={"title": "Tin", "body": "Nội dung.", "language": "vi"})
    article_id = int(created.headers["Location"].rsplit("/", 1)[1])
    response = client.post(f"/articles/{article_id}/audio", data={"voice": "espeak-ng/vi"}, follow_redirects=True)
    assert "Máy đọc bị lỗi thử nghiệm." in response.get_data(as_text=True)
    job = db.scalars(select(RenderJob)).one()
    assert job.state == RenderState.FAILED
    assert render_jobs.progress(job, utcnow()).finished


def test_no_audio_no_submission_and_a_rejection_must_be_fixed_first(app: Flask, db: Session, seed: Seed) -> None:
    broadcaster, leader = app.test_client(), app.test_client()
    login(broadcaster, "bientap")
    login(leader, "lanhdao")
    created = broadcaster.post("/articles/new", data={"title": "Nước sạch", "body": "Đun sôi nước.", "language": "vi"})
    article_id = int(created.headers["Location"].rsplit("/", 1)[1])
    page = broadcaster.get(f"/articles/{article_id}").get_data(as_text=True)
    assert 'id="submit-for-approval"' not in page and 'id="needs-audio"' in page
    refused = broadcaster.post(f"/articles/{article_id}/submit", follow_redirects=True)
    assert "chưa có âm thanh" in refused.get_data(as_text=True)
    assert db.get(Article, article_id).status == ArticleStatus.DRAFT  # type: ignore[union-attr]

    broadcaster.post(f"/articles/{article_id}/audio", data={"voice": "espeak-ng/vi"})
    assert broadcaster.post(f"/articles/{article_id}/submit").status_code == 302
    leader.post(f"/articles/{article_id}/review", data={"decision": "reject", "comment": "Thêm số điện thoại."})
    page = broadcaster.get(f"/articles/{article_id}").get_data(as_text=True)
    assert 'id="submit-for-approval"' not in page and 'id="fix-before-resubmit"' in page
    unchanged = broadcaster.post(f"/articles/{article_id}/submit", follow_redirects=True)
    assert "chưa được sửa" in unchanged.get_data(as_text=True)
    db.expire_all()
    assert db.get(Article, article_id).status == ArticleStatus.REJECTED  # type: ignore[union-attr]
    # Fixed as asked: a new text makes it a draft again, with new audio it can go back to the leader.
    broadcaster.post(f"/articles/{article_id}", data={"title": "Nước sạch", "language": "vi",
                                                     "body": "Đun sôi nước. Gọi 0912 345 678."})
    broadcaster.post(f"/articles/{article_id}/audio", data={"voice": "espeak-ng/vi"})
    assert broadcaster.post(f"/articles/{article_id}/submit").status_code == 302
    db.expire_all()
    assert db.get(Article, article_id).status == ArticleStatus.SUBMITTED  # type: ignore[union-attr]


def test_leader_writes_an_emergency_from_scratch(app: Flask, db: Session, seed: Seed,
                                                  fake_audio: FakeAudioLibrary) -> None:
    leader = app.test_client()
    login(leader, "lanhdao")
    page = leader.get("/emergency/").get_data(as_text=True)
    assert 'id="source-write"' in page and 'name="body"' in page  # no article needed, no link to a 403
    sent = leader.post("/emergency/", data={"source": "write", "title": "Lũ quét", "confirm": "yes",
                                            "body": "Bà con thôn Đông di chuyển lên vùng cao ngay.",
                                            "area_ids": [str(seed.commune_id)], "form_key": KEY})
    assert sent.status_code == 302 and "/bulletins/" in sent.headers["Location"]
    bulletin = db.scalars(select(Bulletin)).one()
    article = db.get(Article, bulletin.article_id)
    assert article is not None and article.commune_id == seed.commune_id and article.audio_id is not None
    assert article.status in ArticleStatus.AIRABLE and article.reviewed_by == seed.leader_id
    assert bulletin.priority == "emergency" and len(fake_audio.calls) == 1
    assert {"article.create", "article.approve"} <= set(audit_actions(db, "article"))
    # The same form again (a second tap): one emergency, not two.
    assert leader.post("/emergency/", data={"source": "write", "title": "Lũ quét", "confirm": "yes", "body": "x",
                                            "area_ids": [str(seed.commune_id)], "form_key": KEY}).status_code == 302
    assert _count(db, Bulletin) == 1


def test_broadcaster_cannot_write_an_emergency_and_nobody_airs_a_rejected_article(
        app: Flask, db: Session, seed: Seed) -> None:
    rejected = add_article_with_audio(db, "Bài bị từ chối", sha="r" * 64, status=ArticleStatus.REJECTED)
    draft = add_article_with_audio(db, "Bản nháp khẩn", sha="d" * 64, status=ArticleStatus.DRAFT)
    broadcaster, leader = app.test_client(), app.test_client()
    login(broadcaster, "bientap")
    login(leader, "lanhdao")
    page = broadcaster.get("/emergency/").get_data(as_text=True)
    assert 'id="source-write"' not in page
    refused = broadcaster.post("/emergency/", data={"source": "write", "title": "x", "body": "y", "confirm": "yes",
                                                    "area_ids": [str(seed.commune_id)]})
    assert refused.status_code == 400 and _count(db, Article) == 2
    page = leader.get("/emergency/").get_data(as_text=True)
    assert draft.title in page and rejected.title not in page
    assert rejected.title not in leader.get("/bulletins/new").get_data(as_text=True)
    forced = leader.post("/emergency/", data={"article_id": str(rejected.id), "confirm": "yes",
                                              "area_ids": [str(seed.commune_id)]})
    assert forced.status_code == 400 and _count(db, Bulletin) == 0


def test_api_refuses_a_submission_without_audio_and_a_rejection_resubmitted_unchanged(
        app: Flask, db: Session, seed: Seed) -> None:
    from governance_support import bearer

    client = app.test_client()
    bt, ld = bearer(db, "bientap"), bearer(db, "lanhdao")
    aid = client.post("/api/v1/articles", headers=bt, json={"title": "Tin API", "body": "Nội dung."}).get_json()["id"]
    refused = client.post(f"/api/v1/articles/{aid}/submit", headers=bt)
    assert refused.status_code == 422 and "chưa có âm thanh" in refused.get_json()["error"]["message"]
    client.post(f"/api/v1/articles/{aid}/audio/synthesize", headers=bt, json={})
    assert client.post(f"/api/v1/articles/{aid}/submit", headers=bt).status_code == 200
    client.post(f"/api/v1/articles/{aid}/review", headers=ld, json={"decision": "reject", "comment": "Sửa lại."})
    assert client.post(f"/api/v1/articles/{aid}/submit", headers=bt).status_code == 409
    # The same audio again is no change (content-addressed: same text, same file): still refused.
    client.post(f"/api/v1/articles/{aid}/audio/synthesize", headers=bt, json={})
    assert client.post(f"/api/v1/articles/{aid}/submit", headers=bt).status_code == 409
    # A new recording is: the article is a draft again and goes back to the leader.
    upload = client.post(f"/api/v1/articles/{aid}/audio/upload", headers=bt,
                         data={"file": (io.BytesIO(b"ID3" + b"\x01" * 2048), "ban-thu-am.mp3")})
    assert upload.status_code == 200, upload.get_data(as_text=True)
    assert client.post(f"/api/v1/articles/{aid}/submit", headers=bt).get_json()["status"] == "submitted"


def test_render_progress_estimates_the_time_left_from_the_length() -> None:
    now = utcnow()
    job = RenderJob(id=1, article_id=1, engine="espeak-ng", voice="vi", chars=2500, state=RenderState.RUNNING,
                    message="", created_at=now - timedelta(seconds=4), started_at=now - timedelta(seconds=4))
    expected = render_jobs.expected_seconds(2500)  # 11.5 s
    p = render_jobs.progress(job, now)
    assert p.elapsed_s == 4 and p.remaining_s == round(expected - 4) and 0 < p.percent < 95
    late = render_jobs.progress(job, now + timedelta(seconds=30))  # past the estimate: nothing left, not negative
    assert late.remaining_s == 0 and late.percent == 95
    job.state = RenderState.QUEUED
    assert render_jobs.progress(job, now).remaining_s == round(expected)
    job.state = RenderState.DONE
    assert render_jobs.progress(job, now).remaining_s == 0
