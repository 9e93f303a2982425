"""Speech renders as jobs: one at a time per article, with a progress estimate the editor page polls.

"Tạo âm thanh" takes seconds (normalize, synthesize, process to broadcast loudness). Run inside the request,
a second click rendered twice and the page showed nothing meanwhile. Now the request records a job and a
worker (web.render_worker) renders it; a click while a job of the article is still queued or running gets that
job back instead of a second render. Nothing here commits; `now` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.workflow import RenderJob, RenderState

# A job not finished after this long belongs to a web process that died: a new click may start another.
STALE_AFTER = timedelta(minutes=5)
# Rough cost of a render, for the progress bar only: a fixed part (engine start, loudness pass, MP3 encoding)
# and a part per character (measured: 1,000 characters ≈ 5.5 s on the loaded 2-core test machine).
BASE_S, PER_CHAR_S = 1.5, 0.004
SHOWN_FOR = timedelta(minutes=2)  # how long a finished job's result is still announced on the editor page


def active_job(session: Session, article_id: int, now: datetime) -> RenderJob | None:
    """The article's queued or running job, unless it has gone stale."""
    job: RenderJob | None = session.scalars(
        select(RenderJob).where(RenderJob.article_id == article_id,
                                RenderJob.state.in_((RenderState.QUEUED, RenderState.RUNNING)),
                                RenderJob.created_at > now - STALE_AFTER)
        .order_by(RenderJob.id.desc()).limit(1)).first()
    return job


def latest_job(session: Session, article_id: int) -> RenderJob | None:
    job: RenderJob | None = session.scalars(select(RenderJob).where(RenderJob.article_id == article_id)
                                            .order_by(RenderJob.id.desc()).limit(1)).first()
    return job


def request_render(session: Session, *, article_id: int, user_id: int | None, engine: str, voice: str, chars: int,
                   now: datetime) -> tuple[RenderJob, bool]:
    """The job to wait for and whether it is new (False: one is already under way, do not start another)."""
    running = active_job(session, article_id, now)
    if running is not None:
        return running, False
    job = RenderJob(article_id=article_id, requested_by=user_id, engine=engine, voice=voice, chars=chars,
                    state=RenderState.QUEUED, message="", created_at=now)
    session.add(job)
    session.flush()
    return job, True


@dataclass(frozen=True)
class Progress:
    """What the editor page shows while it waits: the state, an estimated percentage and the time spent."""

    job_id: int
    state: str
    percent: int
    elapsed_s: int
    message: str
    # Seconds still expected from the article's length (the same estimate as the percentage); 0 once past it.
    remaining_s: int = 0

    @property
    def finished(self) -> bool:
        return self.state in (RenderState.DONE, RenderState.FAILED)


def expected_seconds(chars: int) -> float:
    return BASE_S + PER_CHAR_S * max(chars, 0)


def progress(job: RenderJob, now: datetime) -> Progress:
    """An estimate from the elapsed time against the expected time, held below 95 % until the job ends."""
    began = job.started_at or job.created_at
    elapsed = max((now - began).total_seconds(), 0.0)
    if job.state == RenderState.DONE:
        percent = 100
    elif job.state == RenderState.FAILED:
        percent = 0
    elif job.state == RenderState.QUEUED:
        percent = 2
    else:
        percent = max(5, min(95, round(100 * elapsed / expected_seconds(job.chars))))
    expected = expected_seconds(job.chars)
    remaining = expected if job.state == RenderState.QUEUED else max(expected - elapsed, 0.0)
    if job.state in (RenderState.DONE, RenderState.FAILED):
        remaining = 0.0
    return Progress(job.id, job.state, percent, round(elapsed), job.message, round(remaining))
