"""The web's speech render worker: one thread per web process renders queued jobs (station.render_jobs).

The request that clicked "Tạo âm thanh" records the job, hands it here and waits at most QUICK_WAIT_S: a short
article is done by then and the page shows the audio as before; a long one shows a progress bar that polls
`articles.render_status`. One thread, so two renders never compete for the two cores with the web itself.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from audio_library import AudioError
from radio.db.models import Article, ArticleStatus
from radio.db.types import utcnow
from radio.db.workflow import RenderJob, RenderState
from station import approval
from station.assets import upsert_audio_asset
from station.audit import Actor, record, snapshot
from station.lexicon import speech_text
from web.context import RadioContext
from web.i18n import N_

log = logging.getLogger(__name__)
QUICK_WAIT_S = 1.0
CHANGED_MEANWHILE = N_("Nội dung bài đã thay đổi trong lúc tạo âm thanh: hãy bấm “Tạo âm thanh” lại.")
FAILED = N_("Không tạo được âm thanh do lỗi máy chủ. Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị viên.")
REOPENED = N_("Âm thanh mới khác bản lãnh đạo đã duyệt: bài viết chờ lãnh đạo duyệt lại.")
FALLBACK = N_("Đã dùng giọng đọc dự phòng: %(reason)s")


@dataclass(frozen=True)
class RenderInput:
    """Everything the render needs, read in the request (the worker has no request or logged-in user)."""

    job_id: int
    article_id: int
    text: str
    engine: str
    voice: str
    acronyms: dict[str, str]
    loanwords: dict[str, str]
    rate_wpm: int | None
    actor: Actor
    remote_addr: str


class RenderWorker:
    def __init__(self, ctx: RadioContext) -> None:
        self.ctx = ctx
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="render")

    def submit(self, job: RenderInput) -> Future[None]:
        return self.pool.submit(self.run, job)

    def _set(self, job_id: int, **values: Any) -> None:
        with self.ctx.sessionmaker() as s:
            job = s.get(RenderJob, job_id)
            if job is not None:
                for key, value in values.items():
                    setattr(job, key, value)
                s.commit()

    def run(self, job: RenderInput) -> None:
        """Render and attach; every failure ends the job as failed with a message (never an unhandled error)."""
        try:
            self._set(job.job_id, state=RenderState.RUNNING, started_at=utcnow())
            try:
                asset = self.ctx.audio_library.synthesize(
                    job.text, engine=job.engine, voice=job.voice, extra_acronyms=job.acronyms,
                    extra_loanwords=job.loanwords, rate_wpm=job.rate_wpm)
            except AudioError as exc:
                self._set(job.job_id, state=RenderState.FAILED, message=str(exc), finished_at=utcnow())
                return
            self._attach(job, asset)
        except Exception:
            log.exception("render job %s failed", job.job_id)
            self._set(job.job_id, state=RenderState.FAILED, message=FAILED, finished_at=utcnow())

    def _attach(self, job: RenderInput, asset: Any) -> None:
        with self.ctx.sessionmaker() as s:
            row = s.get(RenderJob, job.job_id)
            article = s.get(Article, job.article_id)
            if row is None or article is None:
                return
            if speech_text(article) != job.text:  # edited while rendering: this audio says the old text
                row.state, row.message, row.finished_at = RenderState.FAILED, CHANGED_MEANWHILE, utcnow()
                s.commit()
                return
            asset_row = upsert_audio_asset(s, asset)
            notes: list[str] = []
            changed = article.audio_id is not None and article.audio_id != asset_row.id
            if changed and approval.return_to_review(s, article, job.actor, remote_addr=job.remote_addr,
                                                     reason=approval.AUDIO_CHANGED):
                notes.append(REOPENED)
            if article.audio_id != asset_row.id and article.status == ArticleStatus.REJECTED:
                approval.reopen_after_change(article)  # new audio for a rejected article: a draft to submit again
            before = snapshot(article, approval.ARTICLE_FIELDS)
            article.audio_id, article.updated_at = asset_row.id, utcnow()
            record(s, job.actor, "article.audio", "article", article.id, before,
                   snapshot(article, approval.ARTICLE_FIELDS), f"synthesize sha256={asset_row.sha256}",
                   area_id=approval.article_area_id(s, article), remote_addr=job.remote_addr)
            if asset.fallback_reason:
                notes.append(f"{FALLBACK}|{asset.fallback_reason}")
            row.state, row.message, row.finished_at = RenderState.DONE, "\n".join(notes), utcnow()
            s.commit()


def worker() -> RenderWorker:
    found: RenderWorker = current_app.extensions["render_worker"]
    return found


def init_app(app: Flask) -> None:
    app.extensions["render_worker"] = RenderWorker(app.extensions["radio"])
