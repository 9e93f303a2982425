"""Issue 10 item 10 on real Mosquitto: a signed command is bound to its targets, not to the topic it came on.

An attacker with broker write access (here: the scheduler's own account, as a leaked password would give)
re-publishes a genuine, correctly signed village command on the commune topic. Only the targeted village's
node plays it and only it is credited; the others refuse it and say why.
"""

import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from factories import make_audio, make_bulletin, make_commune
from radio.broker import SCHEDULER_USER, NodeAccount
from radio.db.models import AsRun, CommandRow, NodeEventRow, Outcome
from radio.node.agent import NodeAgent
from radio.node.config import NodeConfig
from radio.protocol import topics
from radio.protocol.signing import generate_private_key, public_key_pem
from scheduler.dispatch import Dispatcher
from scheduler.ingest_writer import EventIngest
from scheduler.transport import MqttTransport

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "node"))
from node_support import MediaServer, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.security]

ACCOUNTS = [NodeAccount(f"n38001-0{v}0", f"pw{v}", (f"38001-0{v}", "38001", "38")) for v in (1, 2, 3)]


def _played(tmp_path, node_id):
    log = tmp_path / node_id / "played" / "played.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_village_command_replayed_on_the_commune_topic_plays_only_in_its_village(
        broker_factory, sessions, tmp_path):
    with sessions() as s:
        _commune, villages, _nodes = make_commune(s, villages=3)
        audio = make_audio(s, duration_ms=800)
        start = datetime.now(UTC) + timedelta(seconds=4)
        bid = make_bulletin(s, audio, start, [villages[0]]).id
        sha = audio.sha256
        s.commit()
    media = MediaServer()
    media.add(b"a", f"{sha}.mp3")  # make_audio's sha256 is that of b"a"
    broker = broker_factory(ACCOUNTS)
    key = generate_private_key(tmp_path / "server.pem")
    transport = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER],
                              client_id="sched-binding")
    ingest = EventIngest(sessions, lambda: datetime.now(UTC), flush_s=0.01,
                         acker=transport.ack_many)
    ingest.start()
    transport.handler = ingest.on_delivery
    transport.start()
    agents = [NodeAgent(NodeConfig(
        node_id=a.node_id, password=a.password, broker_port=broker.port, area_codes=a.area_codes,
        public_key_pem=public_key_pem(key), cache_dir=tmp_path / a.node_id / "cache", player="file",
        player_options={"out_dir": str(tmp_path / a.node_id / "played")}, server_url=media.url))
        for a in ACCOUNTS]
    try:
        for agent in agents:
            agent.start()
        dispatcher = Dispatcher(sessions, transport, key, lambda: datetime.now(UTC), media_base_url=media.url)
        cid = dispatcher.dispatch(bid)
        assert cid is not None
        with sessions() as s:
            row = s.get(CommandRow, cid)
            assert row.topics == [topics.area_cmd("38001-01")]
            genuine = row.payload.encode()
        # The replay: the same signed bytes, on the topic every node of the commune reads.
        transport.publish(topics.area_cmd("38001"), genuine, expiry_s=30)

        def outcomes():
            with sessions() as s:
                return {r.node_id: r for r in s.scalars(select(AsRun).where(AsRun.bulletin_id == bid))}

        assert wait_for(lambda: outcomes().get("n38001-010") is not None
                        and outcomes()["n38001-010"].outcome == Outcome.COMPLETED, timeout=20)

        # The two nodes outside the village refuse the replay and report `rejected`; the ingest does not store
        # those reports (the command was never sent to them: no as-run row to advance), it counts them.
        assert wait_for(lambda: ingest.stats().get("rejected_by_reason", {}).get(
            "command was not sent to this node", 0) >= 2, timeout=10)
        with sessions() as s:
            stored = set(s.scalars(select(NodeEventRow.node_id).where(NodeEventRow.command_id == cid)))
        assert stored == {"n38001-010"}
        time.sleep(0.5)  # anything late would show now

        # Played once where targeted (the re-published copy is a duplicate there), nowhere else.
        assert [p["item_id"] for p in _played(tmp_path, "n38001-010")] == [cid]
        assert _played(tmp_path, "n38001-020") == [] and _played(tmp_path, "n38001-030") == []
        rows = outcomes()
        assert rows["n38001-010"].played_ms > 0
        for node in ("n38001-020", "n38001-030"):  # no row, or one that credits nothing
            row = rows.get(node)
            assert row is None or (row.played_ms == 0 and row.started_at_ms is None
                                   and row.outcome not in (Outcome.COMPLETED, Outcome.STARTED))
    finally:
        for agent in agents:
            agent.stop()
        transport.stop()
        ingest.stop()
        media.close()
