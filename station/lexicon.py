"""The users' lexicon (acronyms and loanwords): national entries (commune_id NULL, edited by admins only)
and each commune's own entries, and what a change of it does to approved articles.

An article is read with the shipped lexicon, then the national entries, then its own commune's entries
(a commune may read "HTX" its own way; another commune never sees nor changes that). A change that would
make an approved article sound different sends it back to the leader (station.approval.return_to_review):
what airs must be what the leader approved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from audio_library.text.lexicon import split_user_entries
from audio_library.textbridge import speakable
from radio.db.models import Article, ArticleStatus, AudioAssetRow, LexiconEntry, Role
from station.approval import area_covers, return_to_review
from station.audit import Actor

# Articles in other languages are recorded, not synthesized: the lexicon never reaches them.
SYNTH_LANGUAGES = frozenset({"vi"})
EDITORS = frozenset({Role.BROADCASTER, Role.LEADER, Role.ADMIN})
REOPEN_REASON = "Từ điển viết tắt đã đổi nên bài sẽ được đọc khác: cần lãnh đạo duyệt lại."
KINDS = ("acronym", "loanword")
# (extra_acronyms, extra_loanwords) as audio_library's normalize, lint and synthesize take them.
Readings = tuple[dict[str, str], dict[str, str]]


def speech_text(article: Article) -> str:
    """What is read on air: the title, a pause, then the body."""
    return f"{article.title.strip()}.\n{article.body.strip()}"


def readings_for(session: Session, commune_id: int | None) -> Readings:
    """National entries, overridden by the commune's own (commune_id None: the national list alone), as
    (acronyms, loanwords)."""
    rows: dict[str, tuple[str, str, str | None]] = {}
    lists = [None] if commune_id is None else [None, commune_id]
    for owner in lists:
        query = select(LexiconEntry).where(LexiconEntry.commune_id.is_(None) if owner is None
                                           else LexiconEntry.commune_id == owner).order_by(LexiconEntry.id)
        rows.update({e.acronym: (e.acronym, e.expansion, e.kind) for e in session.scalars(query)})
    return split_user_entries(rows.values())


def acronyms_for(session: Session, commune_id: int | None) -> dict[str, str]:
    """The acronym half of :func:`readings_for`."""
    return readings_for(session, commune_id)[0]


def article_readings(session: Session, article: Article) -> Readings:
    """The user lexicon (acronyms, loanwords) an article is synthesized, previewed and linted with."""
    return readings_for(session, article.commune_id)


def article_acronyms(session: Session, article: Article) -> dict[str, str]:
    """The acronym half of :func:`article_readings`."""
    return readings_for(session, article.commune_id)[0]


def may_edit(session: Session, actor: Actor, commune_id: int | None) -> bool:
    """National entries: admins only (they change every commune's speech); a commune's: its staff."""
    if commune_id is None:
        return actor.role == Role.ADMIN
    return actor.role in EDITORS and area_covers(session, actor.area_id, commune_id)


def _affected(session: Session, commune_id: int | None) -> list[Article]:
    """Approved articles with synthesized audio that entries of `commune_id` (None: national) can reach."""
    query = (select(Article).join(AudioAssetRow, AudioAssetRow.id == Article.audio_id)
             .where(Article.status.in_(ArticleStatus.AIRABLE), AudioAssetRow.engine != "upload",
                    Article.language.in_(SYNTH_LANGUAGES)).order_by(Article.id))
    if commune_id is not None:
        query = query.where(Article.commune_id == commune_id)
    return list(session.scalars(query))


def _speech(session: Session, articles: Iterable[Article]) -> dict[int, str]:
    tables: dict[int | None, Readings] = {}
    out = {}
    for article in articles:
        if article.commune_id not in tables:
            tables[article.commune_id] = readings_for(session, article.commune_id)
        out[article.id] = speakable(speech_text(article), *tables[article.commune_id])
    return out


def change_lexicon(session: Session, actor: Actor | None, commune_id: int | None, apply: Callable[[], None],
                   *, remote_addr: str = "") -> list[Article]:
    """Run `apply` (which adds or deletes entries of `commune_id`) and send back to review every approved
    article whose speech it changes; returns those articles. Flushes, never commits."""
    articles = _affected(session, commune_id)
    before = _speech(session, articles)
    apply()
    session.flush()
    after = _speech(session, articles)
    return [a for a in articles if before[a.id] != after[a.id]
            and return_to_review(session, a, actor, reason=REOPEN_REASON, remote_addr=remote_addr)]
