"""The users' acronym lexicon: national entries (commune_id NULL, edited by admins only) and each commune's
own entries, and what a change of it does to approved articles.

An article is read with the shipped lexicon, then the national entries, then its own commune's entries
(a commune may read "HTX" its own way; another commune never sees nor changes that). A change that would
make an approved article sound different sends it back to the leader (station.approval.return_to_review):
what airs must be what the leader approved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from audio_library.textbridge import speakable
from radio.db.models import Article, ArticleStatus, AudioAssetRow, LexiconEntry, Role
from station.approval import area_covers, return_to_review
from station.audit import Actor

# Articles in other languages are recorded, not synthesized: the lexicon never reaches them.
SYNTH_LANGUAGES = frozenset({"vi"})
EDITORS = frozenset({Role.BROADCASTER, Role.LEADER, Role.ADMIN})
REOPEN_REASON = "Từ điển viết tắt đã đổi nên bài sẽ được đọc khác: cần lãnh đạo duyệt lại."


def speech_text(article: Article) -> str:
    """What is read on air: the title, a pause, then the body."""
    return f"{article.title.strip()}.\n{article.body.strip()}"


def acronyms_for(session: Session, commune_id: int | None) -> dict[str, str]:
    """National entries, overridden by the commune's own (commune_id None: the national list alone)."""
    query = select(LexiconEntry).where(LexiconEntry.commune_id.is_(None))
    table = {e.acronym: e.expansion for e in session.scalars(query)}
    if commune_id is not None:
        own = select(LexiconEntry).where(LexiconEntry.commune_id == commune_id)
        table.update({e.acronym: e.expansion for e in session.scalars(own)})
    return table


def article_acronyms(session: Session, article: Article) -> dict[str, str]:
    """The user lexicon an article is synthesized and previewed with."""
    return acronyms_for(session, article.commune_id)


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
    tables: dict[int | None, dict[str, str]] = {}
    out = {}
    for article in articles:
        if article.commune_id not in tables:
            tables[article.commune_id] = acronyms_for(session, article.commune_id)
        out[article.id] = speakable(speech_text(article), tables[article.commune_id])
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
