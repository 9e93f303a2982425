"""Content approval before air (draft → submitted → approved | rejected) and the area rule behind it.

Rules, the same for the web, the API and the CLI:
- a broadcaster (or admin) submits an article of a commune they are responsible for;
- a leader (chairperson) of that commune, or of the province above it, or an admin, approves or rejects it
  (a rejection must say why);
- changing the text or replacing the recording of a submitted/approved article sends it back to draft,
  so what airs is always what the leader saw;
- only approved content is scheduled. An emergency (Thông tư 39/2020: under the chairperson's authority)
  may skip approval only when a leader or admin sends it; a broadcaster may air an emergency only with
  content the leader already approved (e.g. a storm warning prepared in advance).
Nothing here commits: the caller commits the change together with its audit entry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from radio.db.models import Area, AreaLevel, Article, ArticleStatus, Role, User
from station.audit import Actor, record, snapshot
from station.errors import BulletinError

ARTICLE_FIELDS = ("title", "body", "language", "commune_id", "audio_id", "status", "review_comment", "field_category",
                  "content_type", "author_name", "pen_name", "summary", "produced_at", "source")
SUBMITTERS = frozenset({Role.BROADCASTER, Role.ADMIN})
REVIEWERS = frozenset({Role.LEADER, Role.ADMIN})
# A rejected article goes back to draft when its text or audio changes; submitting it unchanged is refused.
SUBMITTABLE = (ArticleStatus.DRAFT,)
EMERGENCY_WITHOUT_APPROVAL = frozenset({Role.LEADER, Role.ADMIN})
# Back to draft on a text/recording change from any of these: the leader must see the new version.
REOPENED_BY_EDIT = (ArticleStatus.SUBMITTED, ArticleStatus.APPROVED, ArticleStatus.REJECTED,
                    ArticleStatus.SCHEDULED, ArticleStatus.AIRED)

NOT_YOUR_AREA = "Bạn không phụ trách xã của bài viết này."
BROADCASTER_EMERGENCY = ("Bài viết chưa được duyệt. Theo Thông tư 39/2020/TT-BTTTT, chỉ lãnh đạo xã mới được "
                         "phát khẩn cấp nội dung chưa duyệt: hãy báo lãnh đạo xã phát, hoặc trình duyệt bài trước.")
AUDIO_CHANGED = "Âm thanh tạo lại khác bản đã duyệt: cần lãnh đạo duyệt lại."
NOT_APPROVED = "Bài viết chưa được lãnh đạo duyệt. Chỉ nội dung đã duyệt mới được lên lịch phát."


class ApprovalError(BulletinError):
    """A workflow step that is not possible now (wrong status, missing comment); message in Vietnamese."""


class NotAllowed(ApprovalError):
    """The actor's role or area does not allow this; views answer 403."""


class WrongStatus(ApprovalError):
    """The article is not in a status where this step applies (e.g. approving a draft); the API answers 409."""


def _scope_root_id(session: Session, area_id: int) -> int | None:
    """A village account acts for its whole commune (one station per commune), as web.scope does."""
    area = session.get(Area, area_id)
    if area is None:
        return None
    if area.level == AreaLevel.VILLAGE and area.parent_id is not None:
        return area.parent_id
    return area.id


def area_covers(session: Session, user_area_id: int | None, area_id: int | None) -> bool:
    """True when an account tied to user_area_id may act on area_id: the same area or one of its ancestors.

    An account without an area is national and covers everything, including things without an area;
    an account with an area never covers a national (area-less) object.
    """
    if user_area_id is None:
        return True
    root = _scope_root_id(session, user_area_id)
    seen: set[int] = set()
    current = session.get(Area, area_id) if area_id is not None else None
    while current is not None and current.id not in seen:  # `seen` guards against a corrupt parent cycle
        if current.id == root:
            return True
        seen.add(current.id)
        current = current.parent
    return False


def article_area_id(session: Session, article: Article) -> int | None:
    """The area that owns an article: its commune, else its author's area (a province article), else national."""
    if article.commune_id is not None:
        return article.commune_id
    author = session.get(User, article.author_id) if article.author_id is not None else None
    return author.area_id if author is not None else None


def can_read_article(session: Session, actor: Actor, article: Article) -> bool:
    """Readable in the owner's area and below it (a province text reaches its communes), never sideways:
    commune B neither sees nor airs commune A's articles."""
    owner = article_area_id(session, article)
    return owner is None or area_covers(session, actor.area_id, owner) or area_covers(session, owner, actor.area_id)


def can_edit_article(session: Session, actor: Actor, article: Article) -> bool:
    return actor.role in SUBMITTERS and area_covers(session, actor.area_id, article_area_id(session, article))


def _audit(session: Session, actor: Actor, action: str, article: Article, before: dict[str, object],
           remote_addr: str, detail: str = "") -> None:
    record(session, actor, action, "article", article.id, before, snapshot(article, ARTICLE_FIELDS), detail,
           area_id=article_area_id(session, article), remote_addr=remote_addr)


def submit(session: Session, article: Article, actor: Actor, *, now: datetime, remote_addr: str = "") -> None:
    """Send an article to the commune leader for approval."""
    if not can_edit_article(session, actor, article):
        raise NotAllowed("Chỉ cán bộ đài của xã (hoặc quản trị) được trình duyệt bài viết này.")
    if article.status == ArticleStatus.REJECTED:
        raise WrongStatus("Bài viết bị từ chối chưa được sửa: hãy sửa nội dung hoặc âm thanh theo ý kiến của lãnh "
                          "đạo rồi trình lại.")
    if article.status not in SUBMITTABLE:
        raise WrongStatus("Bài viết đã được trình hoặc đã duyệt; chỉ trình lại bài nháp hoặc bài bị từ chối.")
    if article.audio_id is None:
        raise ApprovalError("Bài viết chưa có âm thanh: hãy bấm “Tạo âm thanh” hoặc tải lên tệp ghi âm, nghe thử, "
                            "rồi mới trình lãnh đạo duyệt.")
    before = snapshot(article, ARTICLE_FIELDS)
    article.status, article.submitted_by, article.submitted_at = ArticleStatus.SUBMITTED, actor.user_id, now
    article.reviewed_by, article.reviewed_at, article.review_comment = None, None, ""
    _audit(session, actor, "article.submit", article, before, remote_addr)


def review(session: Session, article: Article, actor: Actor, *, decision: str, comment: str, now: datetime,
           remote_addr: str = "") -> None:
    """Approve or reject a submitted article; a rejection must tell the broadcaster what to fix."""
    if actor.role not in REVIEWERS or not area_covers(session, actor.area_id, article_area_id(session, article)):
        raise NotAllowed("Chỉ lãnh đạo xã của bài viết (hoặc quản trị) được duyệt bài này.")
    if decision not in ("approve", "reject"):
        raise ApprovalError("Hãy chọn duyệt hoặc từ chối.")
    comment = (comment or "").strip()
    if decision == "reject" and not comment:
        raise ApprovalError("Hãy ghi lý do từ chối để cán bộ đài biết cần sửa gì.")
    if article.status != ArticleStatus.SUBMITTED:
        raise WrongStatus("Bài viết chưa được trình duyệt (hoặc đã được xem xét).")
    before = snapshot(article, ARTICLE_FIELDS)
    article.status = ArticleStatus.APPROVED if decision == "approve" else ArticleStatus.REJECTED
    article.reviewed_by, article.reviewed_at, article.review_comment = actor.user_id, now, comment
    _audit(session, actor, f"article.{decision}", article, before, remote_addr)


def reopen_after_change(article: Article) -> bool:
    """Send a changed article back to draft; True when its approval (or pending review) was withdrawn."""
    if article.status not in REOPENED_BY_EDIT:
        return False
    article.status = ArticleStatus.DRAFT
    article.submitted_by = article.submitted_at = article.reviewed_by = article.reviewed_at = None
    return True


def return_to_review(session: Session, article: Article, actor: Actor | None, *, reason: str,
                     remote_addr: str = "") -> bool:
    """An approved article whose audio (or the speech it would be rendered to) changed goes back to the
    leader: status "submitted", approval withdrawn, with an audit entry saying why. True when it moved.

    Unlike reopen_after_change (the broadcaster changed the text: back to draft) the content is still the
    broadcaster's finished work, so it waits for the leader rather than for another submission.
    """
    if article.status not in ArticleStatus.AIRABLE:
        return False
    before = snapshot(article, ARTICLE_FIELDS)
    article.status = ArticleStatus.SUBMITTED
    article.reviewed_by = article.reviewed_at = None
    record(session, actor, "article.reopen", "article", article.id, before, snapshot(article, ARTICLE_FIELDS),
           reason, area_id=article_area_id(session, article), remote_addr=remote_addr)
    return True


def check_airable(session: Session, article: Article | None, actor: Actor | None, priority: str) -> bool:
    """Raise unless this content may be scheduled by this actor; True when an emergency skips approval.

    actor None is a trusted server-side caller (CLI, tests): approval is still required for articles.
    """
    if article is None:
        # Audio without an article has had no approval: only admins (or the server itself) may air it.
        if actor is not None and actor.role != Role.ADMIN:
            raise NotAllowed("Chỉ phát được bài viết đã được duyệt.")
        return False
    if article.status in ArticleStatus.AIRABLE:
        return False
    if article.status == ArticleStatus.REJECTED:
        raise ApprovalError("Bài viết đã bị lãnh đạo từ chối nên không được phát, kể cả phát khẩn cấp. Hãy sửa bài "
                            "và trình duyệt lại, hoặc viết tin khẩn cấp mới.")
    if priority == "emergency" and actor is not None:
        if actor.role in EMERGENCY_WITHOUT_APPROVAL:
            return True
        raise NotAllowed(BROADCASTER_EMERGENCY)
    raise ApprovalError(NOT_APPROVED)


def mark_scheduled(article: Article | None) -> None:
    """An approved article put on the schedule shows as such; aired is computed from the as-run log."""
    if article is not None and article.status == ArticleStatus.APPROVED:
        article.status = ArticleStatus.SCHEDULED
