"""Maintenance of the airtime rollups: full or scoped rebuild, moving a node, trigger removal around bulk loads."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import Connection, Date, bindparam, select, text, tuple_, update

from radio.db.models import Area, AsRun, Node
from radio.db.planning import CommuneBulletinRollup
from station.accounting.sql import L3_COLUMNS, L3M_COLUMNS, L4_COLUMNS, RollupSQL


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.execute(text(statement))


def rebuild(conn: Connection) -> None:
    """Recompute every rollup row from as_run (the caller commits)."""
    _run(conn, RollupSQL(conn.dialect.name).rebuild())


def rebuild_scope(conn: Connection, commune_ids: Collection[int] | None = None, first_day: date | None = None,
                  last_day: date | None = None) -> int:
    """Recompute the rollups of some communes and / or local days (both ends inclusive) from as_run, in the
    caller's transaction; everything when no scope is given. Returns how many (bulletin, commune) rollups were
    recomputed (-1 for a full rebuild).

    A rollup row is in scope when its commune is one of `commune_ids` and its day within the dates; the
    article-month masks of the months the dates touch are recomputed whole."""
    if commune_ids is None and first_day is None and last_day is None:
        rebuild(conn)
        return -1
    sql = RollupSQL(conn.dialect.name)
    params = {"first_day": first_day, "last_day": last_day,
              "first_month": first_day.replace(day=1) if first_day else None,
              "last_month": last_day.replace(day=1) if last_day else None,
              "after_month": _next_month(last_day) if last_day else None}

    def communes(col: str) -> list[str]:
        if commune_ids is None:
            return []
        return [f"{col} IN ({', '.join(str(int(c)) for c in commune_ids) or 'NULL'})"]

    def dated(col: str, lo: str = "first_day", hi: str = "last_day", op: str = "<=") -> list[str]:
        return ([f"{col} >= :{lo}"] if first_day else []) + ([f"{col} {op} :{hi}"] if last_day else [])

    def where(*conds: list[str]) -> str:
        return " AND ".join([c for group in conds for c in group] or ["1 = 1"])

    def run(statement: str) -> list[tuple]:
        used = {k: v for k, v in params.items() if f":{k}" in statement}
        result = conn.execute(text(statement).bindparams(*(bindparam(k, type_=Date) for k in used)), used)
        return [tuple(r) for r in result] if result.returns_rows else []

    # The (bulletin, commune) keys in scope: from as_run as it is now, and those the rollup holds (stale
    # ones included, e.g. for a commune a node has left): refresh() recomputes, or deletes, each one.
    keys = {(int(b), int(c)) for b, c in run(
        f"SELECT a.bulletin_id, v.parent_id FROM as_run a JOIN nodes n ON n.id = a.node_id "
        f"JOIN areas v ON v.id = n.village_id WHERE {where(communes('v.parent_id'), ['v.parent_id IS NOT NULL'])} "
        f"GROUP BY a.bulletin_id, v.parent_id "
        f"HAVING {where(dated('MIN(' + sql.local_day('a.scheduled_start') + ')'))}")}
    keys |= {(int(b), int(c)) for b, c in run(
        f"SELECT cb.bulletin_id, cb.commune_id FROM acct_commune_bulletin cb "
        f"WHERE {where(communes('cb.commune_id'), dated('cb.day'))}")}
    refresh(conn, keys)
    # Days and article months in scope follow from the per-bulletin rows, including any left without one.
    run(f"DELETE FROM acct_commune_day WHERE {where(communes('commune_id'), dated('day'))}")
    run(sql.insert("acct_commune_day", L3_COLUMNS,
                   sql.l3_select(where(communes("cb.commune_id"), dated("cb.day")))))
    months = ("first_month", "last_month")
    run(f"DELETE FROM acct_commune_article_month WHERE {where(communes('commune_id'), dated('month', *months))}")
    run(sql.insert("acct_commune_article_month", L4_COLUMNS,
                   sql.l4_select(where(communes("cb.commune_id"), dated("cb.month", *months)))))
    # Month rows of the months the dates touch, whole: from the day rows (in scope or not) of those months.
    run(f"DELETE FROM acct_commune_month WHERE {where(communes('commune_id'), dated('month', *months))}")
    run(sql.insert("acct_commune_month", L3M_COLUMNS, sql.l3m_select(
        where(communes("d.commune_id"), dated("d.day", "first_month", "after_month", "<")))))
    return len(keys)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def node_keys(conn: Connection, node_ids: Collection[str]) -> set[tuple[int, int]]:
    """The (bulletin, commune) rollup keys the nodes' as-run rows count in, with the nodes' current villages."""
    out: set[tuple[int, int]] = set()
    ids = sorted(node_ids)
    for i in range(0, len(ids), 400):
        out.update((int(b), int(c)) for b, c in conn.execute(
            select(AsRun.bulletin_id, Area.parent_id).distinct()
            .join(Node, Node.id == AsRun.node_id).join(Area, Area.id == Node.village_id)
            .where(AsRun.node_id.in_(ids[i:i + 400]), Area.parent_id.is_not(None))))
    return out


def move_node(conn: Connection, node_id: str, village_id: int) -> int:
    """Put a node in another village and refresh the rollups of the commune it leaves and the one it joins,
    in the caller's transaction (the triggers follow as_run, not nodes). Returns how many (bulletin, commune)
    rollups were refreshed: none when the node stays in its commune (village figures are read from as_run).

    With an ORM session: `move_node(session.connection(), ...)`, then expire the node object."""
    before = node_keys(conn, [node_id])
    conn.execute(update(Node).where(Node.id == node_id).values(village_id=village_id))
    after = node_keys(conn, [node_id])
    if before == after:
        return 0
    refresh(conn, before | after)
    return len(before | after)


def drop_triggers(conn: Connection) -> None:
    """For a bulk load only: rollups stop following as_run until create_triggers() and rebuild()."""
    _run(conn, RollupSQL(conn.dialect.name).drop_triggers())


def create_triggers(conn: Connection) -> None:
    _run(conn, RollupSQL(conn.dialect.name).create_triggers())


def refresh(conn: Connection, keys: set[tuple[int, int]]) -> None:
    """Recompute the rollups of the given (bulletin, commune) pairs and the days / months / article months they
    touch."""
    if not keys:
        return
    sql = RollupSQL(conn.dialect.name)
    pairs = sorted(keys)
    affected = _l3_l4_keys(conn, pairs)
    params = [{"bulletin_id": b, "commune_id": c} for b, c in pairs]
    for statement in sql.refresh_l2():
        conn.execute(text(statement), params)
    affected |= _l3_l4_keys(conn, pairs)
    days = sorted({(c, d) for c, d, _a, _m in affected})
    months = sorted({(c, a, m) for c, _d, a, m in affected if a is not None})
    for statement in sql.refresh_l3():
        conn.execute(text(statement), [{"commune_id": c, "day": d} for c, d in days])
    # Month rows once per (commune, month), after all of its days: not once per day.
    day_months = sorted({(c, d.replace(day=1)) for c, d in days})
    if day_months:
        for statement in sql.refresh_l3m():
            conn.execute(text(statement), [{"commune_id": c, "month": m} for c, m in day_months])
    if months:
        for statement in sql.refresh_l4():
            conn.execute(text(statement), [{"commune_id": c, "article_id": a, "month": m} for c, a, m in months])


def _l3_l4_keys(conn: Connection, pairs: list[tuple[int, int]]) -> set[tuple]:
    out: set[tuple] = set()
    for i in range(0, len(pairs), 400):
        chunk = pairs[i:i + 400]
        cb = CommuneBulletinRollup
        out.update(tuple(r) for r in conn.execute(
            select(cb.commune_id, cb.day, cb.article_id, cb.month).distinct()
            .where(tuple_(cb.bulletin_id, cb.commune_id).in_(chunk))))
    return out


@contextmanager
def deferred(conn: Connection) -> Iterator[set[tuple[int, int]]]:
    """Within one transaction: SQLite row triggers pause; the caller adds the (bulletin, commune) pairs it
    touched to the yielded set, and they are refreshed once at the end. PostgreSQL's statement triggers need
    no help, so there this does nothing."""
    keys: set[tuple[int, int]] = set()
    if conn.dialect.name != "sqlite":
        yield keys
        return
    conn.execute(text("INSERT INTO acct_defer (holder) VALUES (1)"))
    yield keys
    conn.execute(text("DELETE FROM acct_defer"))
    refresh(conn, keys)
