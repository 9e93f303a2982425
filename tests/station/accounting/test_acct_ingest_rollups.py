"""Node events through the ingest keep the rollups equal to a full rebuild (SQLite: deferred refresh;
PostgreSQL: one statement per batch), with duplicates, replays and out-of-order events."""

from __future__ import annotations

import json

from acct_support import local, ms, world
from acct_support import node_event as _ev
from sqlalchemy import select

from radio.db.models import AsRun, NodeEventRow
from radio.protocol import EventKind, NodeEvent
from radio.protocol.messages import event_id_for
from scheduler.ingest import apply_to_as_run, insert_new_events
from station.accounting import periods
from station.accounting.queries import area_scope, commune_figures
from station.accounting.rollups import rebuild

NOV = periods.month(2025, 11)


def test_ingested_events_give_the_same_rollups_as_a_rebuild(sessions):
    from datetime import date

    with sessions() as s:
        w = world(s)
        w.commune("38001", {"Đông": 2, "Tây": 1})
        b = w.bulletin(local(date(2025, 11, 20), 6))
        for node in ("Đông-1", "Đông-2", "Tây-1"):
            w.run(b, node, "pending")
        s.commit()
        t0 = ms(b.start_at)
        done = json.dumps({"played_ms": 60_000})
        cut = json.dumps({"played_ms": 20_000, "reason": "emergency"})
        batches = [
            [_ev(b, "Đông-1", EventKind.RECEIVED, t0 - 5000), _ev(b, "Đông-1", EventKind.STARTED, t0),
             _ev(b, "Đông-2", EventKind.FINISHED, t0 + 60_000, done)],  # finished before started: out of order
            [_ev(b, "Đông-2", EventKind.STARTED, t0 + 3), _ev(b, "Đông-1", EventKind.STARTED, t0),  # duplicate
             _ev(b, "Tây-1", EventKind.STARTED, t0 + 4000), _ev(b, "Tây-1", EventKind.INTERRUPTED, t0 + 24_000, cut)],
            [_ev(b, "Tây-1", EventKind.STARTED, t0 + 90_000, attempt=2),
             _ev(b, "Tây-1", EventKind.FINISHED, t0 + 150_000, done, attempt=2),
             _ev(b, "Đông-1", EventKind.FINISHED, t0 + 60_000, done)],
        ]
        for batch in batches:
            new = insert_new_events(s, batch, b.start_at)
            apply_to_as_run(s, new)
            s.commit()
        assert s.query(NodeEventRow).count() == 9
        rows = {(r.node_id, r.attempt): r for r in s.scalars(select(AsRun))}
        assert rows[("Đông-2", 1)].outcome == "completed" and rows[("Đông-2", 1)].started_at_ms == t0 + 3
        assert rows[("Tây-1", 1)].outcome == "interrupted" and rows[("Tây-1", 2)].outcome == "completed"
        assert rows[("Tây-1", 2)].requested_ms == 60_000
        scope = area_scope(s, w.province)
        kept = commune_figures(s, scope, NOV)
        fig = kept[w.communes["38001"].id]
        assert (fig.completed, fig.interrupted, fig.late, fig.nodes_completed, fig.airtime_played_ms,
                fig.played_ms) == (3, 1, 1, 3, 60_000, 200_000)
        with s.bind.begin() as conn:
            rebuild(conn)
        assert commune_figures(s, scope, NOV) == kept


def test_process_ingest_stores_each_event_once_and_advances_as_run(sessions, db_url):
    import time as _time
    from datetime import date

    from radio.protocol import encode, topics
    from scheduler.ingest_process import ProcessIngest

    with sessions() as s:
        w = world(s)
        w.commune("38001", {"Đông": 1})
        b = w.bulletin(local(date(2025, 11, 20), 6))
        w.run(b, "Đông-1", "pending")
        s.commit()
        t0, bid, cid = ms(b.start_at), b.id, b.command_id
    ingest = ProcessIngest(db_url)
    ingest.start()
    started = NodeEvent(event_id_for("Đông-1", cid, "started"), "Đông-1", EventKind.STARTED, t0, cid, bid)
    finished = NodeEvent(event_id_for("Đông-1", cid, "finished"), "Đông-1", EventKind.FINISHED, t0 + 60_000, cid, bid,
                         None, json.dumps({"played_ms": 60_000}))
    for ev in (started, started, finished, started):
        ingest.on_message(topics.node_event("Đông-1"), encode(ev))
    ingest.on_message(topics.node_event("Tây-9"), encode(finished))  # payload's node is not the topic's: dropped
    deadline = _time.monotonic() + 30
    while ingest.stored < 2 and _time.monotonic() < deadline:
        _time.sleep(0.05)
    ingest.stop()
    assert ingest.stored == 2
    with sessions() as s:
        assert s.query(NodeEventRow).count() == 2
        row = s.scalars(select(AsRun)).one()
        assert (row.outcome, row.played_ms, row.started_at_ms) == ("completed", 60_000, t0)
