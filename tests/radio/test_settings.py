from pathlib import Path

import pytest

from radio.settings import SettingsError, load_settings


def test_defaults_then_file_then_environment(tmp_path):
    cfg = tmp_path / "radio.toml"
    cfg.write_text('mqtt_port = 1884\nweb_port = 8000\ndata_dir = "/srv/radio"\n')
    s = load_settings(cfg, env={"RADIO_WEB_PORT": "9000"})
    assert s.mqtt_port == 1884
    assert s.web_port == 9000
    assert s.data_dir == Path("/srv/radio")
    assert s.timezone == "Asia/Ho_Chi_Minh"
    assert s.db_url == "sqlite:////srv/radio/radio.db"


def test_bad_values_give_clear_errors(tmp_path):
    with pytest.raises(SettingsError, match="mqtt_port"):
        load_settings(env={"RADIO_MQTT_PORT": "abc"})
    with pytest.raises(SettingsError, match="not found"):
        load_settings(tmp_path / "missing.toml", env={})
    bad = tmp_path / "bad.toml"
    bad.write_text("mqtt_port = = 3")
    with pytest.raises(SettingsError):
        load_settings(bad, env={})


def test_secret_key_is_generated_once_and_private(tmp_path):
    s = load_settings(env={}, data_dir=tmp_path)
    first = s.flask_secret()
    assert first == s.flask_secret()
    assert len(first) >= 32
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


@pytest.mark.security
def test_session_cookie_secure_is_on_unless_clearly_turned_off(tmp_path: Path) -> None:
    assert load_settings(env={}).session_cookie_secure is True
    assert load_settings(env={"RADIO_SESSION_COOKIE_SECURE": "false"}).session_cookie_secure is False
    config = tmp_path / "radio.toml"
    config.write_text("session_cookie_secure = false\n", encoding="utf-8")
    assert load_settings(config, env={}).session_cookie_secure is False
    # A typo must not silently send session cookies over plain HTTP.
    with pytest.raises(SettingsError, match="session_cookie_secure"):
        load_settings(env={"RADIO_SESSION_COOKIE_SECURE": "flase"})
