"""Node configuration: defaults for a real box, and clear errors for what an operator may get wrong."""

from pathlib import Path

import pytest

from radio.node.config import NodeConfigError, load_node_config, node_config_from_dict, server_url_from_media
from radio.protocol.signing import generate_private_key, public_key_pem


@pytest.fixture
def pem(tmp_path):
    return public_key_pem(generate_private_key(tmp_path / "k.pem"))


def base(pem, **extra):
    return {"node_id": "n1", "password": "p", "public_key_pem": pem, **extra}


def test_file_defaults_suit_a_box_on_4g(tmp_path, pem):
    (tmp_path / "server.pem").write_text(pem)
    (tmp_path / "node.toml").write_text('node_id = "n1"\npassword = "p"\npublic_key_file = "server.pem"\n'
                                        'area_codes = ["38001-01", "38001"]\nstate_dir = "/var/lib/cr"\n')
    cfg = load_node_config(tmp_path / "node.toml")
    assert cfg.will_delay_s == 30 and cfg.heartbeat_s == 60 and cfg.keepalive_s == 30
    assert cfg.public_key_pem == pem and cfg.area_codes == ("38001-01", "38001")
    assert cfg.cache_dir == tmp_path / "cache" and cfg.state_path == Path("/var/lib/cr/state.db")
    assert cfg.cache_limit_bytes == 500 * 1024 * 1024


def test_state_defaults_beside_the_cache(pem):
    cfg = node_config_from_dict(base(pem, cache_dir="/x/cache"))
    assert cfg.state_path == Path("/x/state.db")


@pytest.mark.parametrize(("changes", "message"), [
    ({"password": ""}, "'password' is required"),
    ({"public_key_pem": ""}, "public_key_file"),
    ({"brokre_host": "x"}, "unknown key(s) brokre_host"),
    ({"broker_port": "1883"}, "'broker_port' must be an integer"),
    ({"broker_port": 70000}, "'broker_port' must be between"),
    ({"heartbeat_s": 0}, "'heartbeat_s' must be between"),
    ({"will_delay_s": True}, "'will_delay_s' must be an integer"),
    ({"player": "winamp"}, "player must be one of"),
    ({"area_codes": "38001"}, "'area_codes' must be a list"),
    ({"player_options": {"volume": 150}}, "'player_options.volume' must be between"),
    ({"reconnect_min_s": 10, "reconnect_max_s": 5}, "reconnect_min_s must not exceed"),
    ({"public_key_pem": "", "public_key_file": "missing.pem"}, "cannot read public_key_file"),
    ({"event_key_file": "missing.pem"}, "cannot read event_key_file"),
    ({"clock_correction_min_ms": -1}, "'clock_correction_min_ms' must be between"),
])
def test_config_mistakes_are_reported(pem, changes, message):
    with pytest.raises(NodeConfigError) as err:
        node_config_from_dict(base(pem, **changes))
    assert message in str(err.value)


def test_missing_or_broken_file(tmp_path):
    with pytest.raises(NodeConfigError, match="not found"):
        load_node_config(tmp_path / "nope.toml")
    (tmp_path / "bad.toml").write_text("node_id = ")
    with pytest.raises(NodeConfigError, match=r"bad\.toml"):
        load_node_config(tmp_path / "bad.toml")


def test_server_url_is_derived_from_media_urls():
    assert server_url_from_media("https://radio.example.vn:8443/media/ab.mp3") == "https://radio.example.vn:8443"
    assert server_url_from_media("not a url") == ""


def test_event_key_file_and_clock_threshold(tmp_path, pem):
    generate_private_key(tmp_path / "node_event_key.pem")
    cfg = node_config_from_dict(base(pem, event_key_file="node_event_key.pem", clock_correction_min_ms=20),
                                base_dir=tmp_path)
    assert cfg.event_key_pem.startswith("-----BEGIN PRIVATE KEY-----") and cfg.clock_correction_min_ms == 20
    assert node_config_from_dict(base(pem)).event_key_pem == ""  # optional: events then go unsigned
    (tmp_path / "public.pem").write_text(pem)
    with pytest.raises(NodeConfigError, match="not a PEM private key"):
        node_config_from_dict(base(pem, event_key_file="public.pem"), base_dir=tmp_path)
