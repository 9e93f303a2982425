"""The API follows the web's rules: the approval workflow, areas, the emergency exception, audit records."""

from __future__ import annotations

from flask import Flask
from governance_support import bearer, make_objects, tomorrow_iso
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import Seed

from radio.db.governance import AuditEntry
from radio.db.models import AsRun, CommandRow, Outcome
from radio.db.types import utcnow


def test_article_to_bulletin_through_the_api(app: Flask, db: Session, seed: Seed) -> None:
    client = app.test_client()
    bt, ld, ld2 = bearer(db, "bientap"), bearer(db, "lanhdao"), bearer(db, "lanhdao2")
    created = client.post("/api/v1/articles", headers=bt, json={"title": "Tiêm phòng dại", "body": "Mang chó đi tiêm."})
    assert created.status_code == 201
    article = created.get_json()
    assert article["status"] == "draft" and article["commune_id"] == seed.commune_id
    aid = article["id"]
    assert client.post(f"/api/v1/articles/{aid}/audio/synthesize", headers=bt, json={}).get_json()["audio"]

    def schedule(headers: dict[str, str], priority: str = "normal"):  # type: ignore[no-untyped-def]
        return client.post("/api/v1/bulletins", headers=headers, json={
            "article_id": aid, "priority": priority, "start_at": tomorrow_iso(9), "area_ids": [seed.commune_id]})

    assert schedule(bt).status_code == 422
    refused = schedule(bt, "emergency")
    assert refused.status_code == 403 and "Thông tư 39" in refused.get_json()["error"]["message"]
    assert client.post(f"/api/v1/articles/{aid}/submit", headers=bt).get_json()["status"] == "submitted"
    assert client.post(f"/api/v1/articles/{aid}/submit", headers=bt).status_code == 409
    assert client.post(f"/api/v1/articles/{aid}/review", headers=ld2, json={"decision": "approve"}).status_code == 403
    no_reason = client.post(f"/api/v1/articles/{aid}/review", headers=ld, json={"decision": "reject"})
    assert no_reason.status_code == 422 and "lý do" in no_reason.get_json()["error"]["message"]
    approved = client.post(f"/api/v1/articles/{aid}/review", headers=ld, json={"decision": "approve"})
    assert approved.get_json()["status"] == "approved"

    bulletin = schedule(bt)
    assert bulletin.status_code == 201
    b = bulletin.get_json()
    assert b["approval_skipped"] is False and b["area_ids"] == [seed.commune_id]
    assert client.get(f"/api/v1/articles/{aid}", headers=bt).get_json()["status"] == "scheduled"
    # Outside the broadcaster's commune: refused; another commune cannot see or cancel it.
    outside = client.post("/api/v1/bulletins", headers=bt, json={
        "article_id": aid, "start_at": tomorrow_iso(10), "area_ids": [seed.other_commune_id]})
    assert outside.status_code == 403
    other = bearer(db, "bientap2")
    assert client.get(f"/api/v1/bulletins/{b['id']}", headers=other).status_code == 404
    assert client.post(f"/api/v1/bulletins/{b['id']}/cancel", headers=other).status_code == 404
    assert client.post(f"/api/v1/bulletins/{b['id']}/cancel", headers=ld).get_json()["status"] == "cancelled"
    assert client.post(f"/api/v1/bulletins/{b['id']}/cancel", headers=ld).status_code == 409

    # Editing the text sends it back to draft and drops the audio.
    patched = client.patch(f"/api/v1/articles/{aid}", headers=bt, json={"body": "Mang chó mèo đi tiêm."})
    assert patched.get_json()["status"] == "draft" and patched.get_json()["audio"] is None

    actions = [e.action for e in db.scalars(select(AuditEntry).where(AuditEntry.username != "system")
                                            .order_by(AuditEntry.id))]
    assert actions == ["article.create", "article.audio", "article.submit", "article.approve", "bulletin.create",
                       "bulletin.cancel", "article.edit"]


def test_lists_are_limited_to_the_users_area(app: Flask, db: Session, seed: Seed) -> None:
    objects = make_objects(db, seed)
    command = CommandRow(id="c1", bulletin_id=objects.bulletin_id, kind="play", topics=[], payload="{}",
                         issued_at=utcnow(), expires_at=utcnow())
    db.add(command)
    db.flush()
    db.add(AsRun(command_id="c1", bulletin_id=objects.bulletin_id, node_id="loa-dong-1", scheduled_start=utcnow(),
                 requested_ms=61_000, played_ms=61_000, outcome=Outcome.COMPLETED))
    db.commit()
    client = app.test_client()
    mine, other, monitor = bearer(db, "bientap"), bearer(db, "bientap2"), bearer(db, "giamsat")
    assert [n["id"] for n in client.get("/api/v1/nodes", headers=mine).get_json()["items"]] == [
        "loa-dong-1", "loa-tay-1"]
    assert [n["id"] for n in client.get("/api/v1/nodes", headers=other).get_json()["items"]] == ["loa-bac-1"]
    assert client.get("/api/v1/nodes/loa-dong-1", headers=other).status_code == 404
    assert len(client.get("/api/v1/bulletins", headers=mine).get_json()["items"]) == 1
    assert client.get("/api/v1/bulletins", headers=other).get_json()["items"] == []
    assert len(client.get("/api/v1/asrun", headers=monitor).get_json()["items"]) == 1
    assert client.get("/api/v1/asrun", headers=other).get_json()["items"] == []
    assert client.get("/api/v1/asrun?from=hom-qua", headers=mine).status_code == 422
    report = client.get(f"/api/v1/reports/communes?area_id={seed.province_id}", headers=monitor)
    assert report.status_code == 200 and {"area_id", "from", "to", "communes"} <= set(report.get_json())
    refused = client.get(f"/api/v1/reports/communes?area_id={seed.province_id}", headers=mine)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "area_forbidden"
    assert client.get(f"/api/v1/articles/{objects.article_id}", headers=other).status_code == 403
