"""CAP 1.2 import: a real alert becomes a draft; anything else is refused with a sentence, never parsed
dangerously (entity expansion, external entities)."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.warnings.cap import CapError, parse_cap

STORM = (Path(__file__).resolve().parents[1] / "data" / "cap" / "storm.xml").read_bytes()


def test_storm_alert_becomes_a_vietnamese_draft() -> None:
    draft = parse_cap(STORM)
    assert draft.identifier == "VN-NCHMF-2026-0917-03"
    assert (draft.hazard, draft.level) == ("storm", 4)  # Severe → level 4
    assert draft.title == "Bão số 3 đang tiến vào đất liền"  # the Vietnamese info block, not the English one
    assert draft.body.startswith("Hồi 7 giờ") and "sơ tán" in draft.body


@pytest.mark.parametrize(("change", "message"), [
    (lambda x: x.replace(b"<status>Actual</status>", b"<status>Exercise</status>"), "không phải cảnh báo thật"),
    (lambda x: x.replace(b"<msgType>Alert</msgType>", b"<msgType>Cancel</msgType>"), "không tạo được"),
    (lambda x: x.replace(b"<sender>canhbao@nchmf.gov.vn</sender>", b""), "thiếu phần tử bắt buộc: sender"),
    (lambda x: x.replace(b"<severity>Severe</severity>", b"<severity>Huge</severity>"), "Mức nghiêm trọng"),
    (lambda x: x.replace(b"urn:oasis:names:tc:emergency:cap:1.2", b"urn:oasis:names:tc:emergency:cap:1.1"),
     "không phải bản tin CAP 1.2"),
    (lambda x: x.replace(b"<event>B\xc3\xa3o</event>", b"<event>Meteor</event>"), "Không nhận ra loại thiên tai"),
    (lambda x: x[:200], "không phải XML hợp lệ"),
    (lambda x: b"<html><body>404</body></html>", "không phải bản tin CAP 1.2"),
])
def test_bad_input_is_refused_with_a_reason(change, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CapError) as refused:
        parse_cap(change(STORM))
    assert message in refused.value.message


def test_entity_expansion_and_external_entities_are_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol2;</identifier></alert>')
    external = (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&x;</identifier></alert>')
    for data in (bomb, external):
        with pytest.raises(CapError, match="không được phép"):
            parse_cap(data)


def test_oversized_input_is_refused_before_parsing() -> None:
    with pytest.raises(CapError, match="quá lớn"):
        parse_cap(STORM + b" " * 300_000)
