"""Commune isolation: the one table that says which rows of each kind a user of an area may see.

Every list, detail page, form choice, live event, export and API answer that shows stored objects filters
them through `restrict` (or `visible` for one object), so a user of commune B never receives commune A's
bulletins, nodes, as-run rows, articles, programmes, plans or lexicon entries. The web (web.authz.scoped)
and the REST API use these same functions; a new kind of object gets a line in ISOLATION, not a filter of
its own in some view.

A scope is the set of area ids the user covers (web.scope.visible_area_ids: their commune and its villages,
or a province and everything below), or None for a national account (no limit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, or_, select, true, union
from sqlalchemy.orm import Session

from radio.db.alerts import Alert, DisasterWarning
from radio.db.models import (
    Area,
    AreaLevel,
    Article,
    AsRun,
    AudioAssetRow,
    Bulletin,
    BulletinNodeTarget,
    BulletinTarget,
    ControlRequest,
    LexiconEntry,
    Node,
    Programme,
)
from radio.db.planning import ArticleTopic, Plan
from radio.db.province import ProvinceBulletin, ProvinceDelivery
from station.targets import descendant_area_ids

T = TypeVar("T")
Scope = set[int] | None


def _nodes_in(scope: set[int]) -> Any:
    return select(Node.id).where(Node.village_id.in_(scope))


def _bulletin(scope: set[int]) -> ColumnElement[bool]:
    """A bulletin belongs to every area it airs in: a target area, a single node's village, or a village whose
    loudspeaker reported playing it (as_run is indexed by node_id, so this stays a cheap semi-join)."""
    by_area = select(BulletinTarget.bulletin_id).where(BulletinTarget.area_id.in_(scope))
    by_node = select(BulletinNodeTarget.bulletin_id).where(BulletinNodeTarget.node_id.in_(_nodes_in(scope)))
    played = select(AsRun.bulletin_id).where(AsRun.node_id.in_(_nodes_in(scope)))
    return or_(Bulletin.id.in_(by_area), Bulletin.id.in_(by_node), Bulletin.id.in_(played))


def _article(scope: set[int]) -> ColumnElement[bool]:
    # Articles without a commune come from above (a province or national text shared with every commune).
    return or_(Article.commune_id.in_(scope), Article.commune_id.is_(None))


def _audio(scope: set[int]) -> ColumnElement[bool]:
    """Audio is content-addressed and shared, so it has no area: it is the user's when one of their articles
    or programmes uses it (a jingle picker must not list, by title, another commune's drafts)."""
    mine = union(
        select(Article.audio_id).where(_article(scope)),
        select(Programme.sign_on_audio_id).where(Programme.commune_id.in_(scope)),
        select(Programme.sign_off_audio_id).where(Programme.commune_id.in_(scope)),
    ).subquery()
    return AudioAssetRow.id.in_(select(mine.c[0]))


# kind → the condition its rows must meet for a user whose scope is `scope` (never None here).
ISOLATION: dict[type, Callable[[set[int]], ColumnElement[bool]]] = {
    Article: _article,
    AudioAssetRow: _audio,
    ArticleTopic: lambda s: ArticleTopic.article_id.in_(select(Article.id).where(_article(s))),
    Bulletin: _bulletin,
    Node: lambda s: Node.village_id.in_(s),
    AsRun: lambda s: AsRun.node_id.in_(_nodes_in(s)),
    Programme: lambda s: Programme.commune_id.in_(s),
    Plan: lambda s: Plan.area_id.in_(s),
    ControlRequest: lambda s: or_(ControlRequest.area_id.in_(s), ControlRequest.node_id.in_(_nodes_in(s))),
    # Commune entries of the user's communes plus the national list (commune_id NULL) everyone reads.
    LexiconEntry: lambda s: or_(LexiconEntry.commune_id.in_(s), LexiconEntry.commune_id.is_(None)),
    Area: lambda s: Area.id.in_(s),
    # A province item is its sender's, and each receiving commune's; a delivery is its commune's and its sender's.
    ProvinceBulletin: lambda s: or_(ProvinceBulletin.origin_area_id.in_(s), ProvinceBulletin.id.in_(
        select(ProvinceDelivery.province_bulletin_id).where(ProvinceDelivery.commune_id.in_(s)))),
    ProvinceDelivery: lambda s: or_(ProvinceDelivery.commune_id.in_(s), ProvinceDelivery.province_bulletin_id.in_(
        select(ProvinceBulletin.id).where(ProvinceBulletin.origin_area_id.in_(s)))),
    # A staff alert concerns one area (a node's village, a bulletin's commune); a warning belongs to its commune.
    Alert: lambda s: Alert.area_id.in_(s),
    DisasterWarning: lambda s: DisasterWarning.commune_id.in_(s),
}


def condition(kind: type, scope: Scope) -> ColumnElement[bool]:
    """The WHERE condition for `kind` rows in `scope`; KeyError for a kind nobody has written a rule for."""
    rule = ISOLATION[kind]
    if scope is None:
        return true()
    return rule(scope or {-1})  # an empty scope (an account whose area was deleted) sees nothing


def restrict(query: Select[Any], kind: type, scope: Scope) -> Select[Any]:
    """`query` limited to the `kind` rows the scope may see."""
    return query if scope is None else query.where(condition(kind, scope))


def visible(session: Session, kind: type[T], obj_id: object, scope: Scope) -> T | None:
    """One object if it exists and the scope may see it; None otherwise (callers answer 404 for both)."""
    pk = kind.__mapper__.primary_key[0]  # type: ignore[attr-defined]
    found: T | None = session.scalar(restrict(select(kind).where(pk == obj_id), kind, scope))
    return found


def scope_of(session: Session, area_id: int | None) -> Scope:
    """The area ids an account tied to `area_id` covers (None: national); a village account acts for its
    commune (one station serves the whole commune)."""
    if area_id is None:
        return None
    area = session.get(Area, area_id)
    if area is None:
        return set()
    if area.level == AreaLevel.VILLAGE and area.parent_id is not None:
        area_id = area.parent_id
    return descendant_area_ids(session, [area_id])
