"""Per-province configuration and the field mapping: secrets from files, refusals that name the problem, and
names and codes overridden without touching our records."""

from __future__ import annotations

from pathlib import Path

import pytest

from radio.settings import load_settings
from station.httt.config import Backoff, HtttConfigError, links_from_settings
from station.httt.mapping import ProvinceMapping

TOML = """
[[httt.provinces]]
code = "38"
base_url = "https://httt.example.invalid/"
username = "dai-xa"
password_file = "{secret}"
batch = 100000

[httt.provinces.mapping.fields]
cluster_id = "MaThietBi"

[httt.provinces.mapping.codes.field_category]
general = "TTC"
"""


def test_the_toml_config_gives_one_link_per_province_with_its_secret_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "httt-38.password"
    secret.write_text("mat-khau-that\n")
    config = tmp_path / "radio.toml"
    config.write_text(TOML.format(secret=secret))
    (link,) = links_from_settings(load_settings(config_file=config, env={}).extra)
    assert (link.code, link.base_url, link.username, link.password) == (
        "38", "https://httt.example.invalid", "dai-xa", "mat-khau-that")
    assert link.batch == 5000  # bounded
    wire = link.mapping.to_wire({"cluster_id": "n1", "field_category": "general", "outcome": "completed"})
    assert wire == {"MaThietBi": "n1", "LinhVuc": "TTC", "KetQua": 1}
    assert link.mapping.from_wire(wire) == {"cluster_id": "n1", "field_category": "general", "outcome": "completed"}


@pytest.mark.parametrize(("entry", "message"), [
    ({"code": "3", "base_url": "https://x"}, "2 digits"),
    ({"code": "38", "base_url": "ftp://x"}, r"http\(s\) URL"),
    ({"code": "38", "base_url": "https://x", "password_file": "/nonexistent/commune-radio/secret"}, "password_file"),
])
def test_a_bad_province_entry_is_refused_with_the_reason(entry: dict[str, str], message: str) -> None:
    with pytest.raises(HtttConfigError, match=message):
        links_from_settings({"httt": {"provinces": [entry]}})


def test_no_httt_table_means_no_connector() -> None:
    assert links_from_settings({}) == []


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff(base_s=5, cap_s=600)
    assert [backoff.delay_s(n) for n in (1, 2, 3, 4, 8, 20)] == [5, 10, 20, 40, 600, 600]


def test_nested_records_are_renamed_too() -> None:
    mapping = ProvinceMapping()
    wire = mapping.to_wire({"author": {"author_name": "A", "pen_name": "B"},
                            "schedule": {"start": "s", "end": "e", "days": []}, "priority": "emergency"})
    assert wire == {"TacGia": {"HoTen": "A", "ButDanh": "B"},
                    "LichPhat": {"ThoiGianBatDau": "s", "ThoiGianKetThuc": "e", "DanhSachNgay": []},
                    "MucDoUuTien": 1}
