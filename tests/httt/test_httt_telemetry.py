"""Node telemetry goes up in the cluster status (trạng thái cụm loa): from a heartbeat, through the node row and
the outbox, to the reference province server over real HTTP, in the province's field names."""

from __future__ import annotations

from datetime import timedelta

from httt_support import FakeClock, connector, seed_province
from sqlalchemy.orm import Session, sessionmaker

from ingest_support import node_id
from launcher.province_ref import ProvinceServer, _problem
from radio.protocol import Heartbeat, decode_heartbeat, encode
from scheduler.health import apply_heartbeats
from station.httt.mapping import ProvinceMapping
from station.httt.outbox import connection_text


def test_heartbeat_telemetry_reaches_the_province_in_the_cluster_status(
        sessions: sessionmaker[Session], ref_server: ProvinceServer, clock: FakeClock) -> None:
    seed_province(sessions)
    told, silent = node_id("38001", 0), node_id("38001", 1)
    lost_ms = int((clock.now - timedelta(minutes=40)).timestamp() * 1000)
    telemetry = {"temperature_c": 51.2, "storage_free_bytes": 1_200_000_000, "storage_total_bytes": 8_000_000_000,
                 "latitude": 10.0452, "longitude": 105.7469, "signal_dbm": -85, "network": "4G",
                 "amplifier_on": True, "mains_on": False, "mains_lost_at_ms": lost_ms}
    with sessions() as s:
        apply_heartbeats(s, [decode_heartbeat(encode(Heartbeat(told, 1, volume=80, telemetry=telemetry))),
                             decode_heartbeat(encode(Heartbeat(silent, 1, volume=60)))], clock.now)
        s.commit()
    connector(sessions, ref_server, clock).run_once()
    statuses = {item["CumLoaId"]: item for item in ref_server.stored["status"].values()}
    assert {told, silent} <= set(statuses)
    up = statuses[told]
    assert up["KetNoi"] == "4G,-85dBm" and up["NhietDo"] == 51.2 and up["AmLuong"] == 80
    assert up["ViTri"] == {"ViDo": 10.0452, "KinhDo": 105.7469}
    assert up["Nguon"] == {"DienLuoi": False, "Amply": True,
                           "MatDienLuoiLuc": (clock.now - timedelta(minutes=40)).isoformat()}
    assert up["BoNho"]["ConTrong"] == 1_200_000_000 and up["BoNho"]["TongDungLuong"] == 8_000_000_000
    # A box that reported nothing: the fields go up empty, never guessed.
    quiet = statuses[silent]
    assert quiet["KetNoi"] is None and quiet["ViTri"] is None and quiet["Nguon"] is None and quiet["NhietDo"] is None


def test_telemetry_field_names_follow_the_provinces_mapping() -> None:
    mapping = ProvinceMapping.from_config({"fields": {"temperature": "NhietDoThietBi", "latitude": "Lat"}})
    wire = mapping.to_wire({"temperature": 40.0, "position": {"latitude": 1.0, "longitude": 2.0}})
    assert wire == {"NhietDoThietBi": 40.0, "ViTri": {"Lat": 1.0, "KinhDo": 2.0}}
    assert connection_text("3G", None) == "3G" and connection_text(None, -90) == "-90dBm"
    assert connection_text(None, None) is None


def test_the_reference_server_refuses_nonsense_telemetry() -> None:
    ok = {"CumLoaId": "n1", "TrucTuyen": True, "KetNoi": "4G,-85dBm", "NhietDo": 40.5,
          "ViTri": {"ViDo": 10.0, "KinhDo": 105.0}, "Nguon": {"DienLuoi": True, "Amply": None, "MatDienLuoiLuc": None}}
    assert _problem("status", ok) == ""
    for bad in ({"NhietDo": 900}, {"ViTri": {"ViDo": 91, "KinhDo": 0}}, {"Nguon": {"DienLuoi": "có"}},
                {"Nguon": {"MatDienLuoiLuc": "14:05"}}, {"KetNoi": 4}):
        assert _problem("status", ok | bad) != "", bad
