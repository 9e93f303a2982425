"""Issue 3 in the admin: what will be read, lint warnings, voice choice, loudness; the user lexicon."""

from __future__ import annotations

from governance_support import bearer
from sqlalchemy import select
from web_support import AuthActions, add_article_with_audio, seeded_commune_id, wait_for_renders

from radio.db.governance import AuditEntry
from radio.db.models import Article, ArticleStatus, CommuneVoice, LexiconEntry
from sample_data import PLANS
from station.voices import set_commune_voice

OCR = PLANS / "kien-giang-2024-106-KH-UBND.ocr.txt"


def _article(db, body="Kế hoạch số 4069/KH-UBND ngày 28/10/2022 của UBND tỉnh về 10.000 tờ rơi."):
    # In the logged-in broadcaster's commune: only their own commune's articles may be edited.
    article = Article(title="Thông báo", body=body, commune_id=seeded_commune_id(db))
    db.add(article)
    db.commit()
    return article


def test_editor_shows_what_will_be_read(client, auth: AuthActions, db) -> None:
    article = _article(db)
    auth.login()
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "Nội dung sẽ đọc" in html
    assert "bốn nghìn không trăm sáu mươi chín" in html
    assert "Ủy ban nhân dân" in html and "mười nghìn tờ rơi" in html
    assert "Giọng miền Nam" in html


def test_chosen_voice_is_used_and_user_acronyms_are_passed(client, auth: AuthActions, db, fake_audio) -> None:
    article = _article(db, body="HTXDV Tân Sơn họp.")
    db.add(LexiconEntry(acronym="HTXDV", expansion="hợp tác xã dịch vụ"))
    db.commit()
    auth.login()
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "Hợp tác xã dịch vụ Tân Sơn" in html  # an expansion that opens a sentence is capitalised
    client.post(f"/articles/{article.id}/audio", data={"voice": "espeak-ng/vi-vn-x-south"})
    wait_for_renders(client)
    assert fake_audio.calls[-1][1:] == ("espeak-ng", "vi-vn-x-south")
    assert fake_audio.extra_acronyms == {"HTXDV": "hợp tác xã dịch vụ"}
    db.expire_all()
    assert db.get(Article, article.id).audio_id is not None


def test_bad_voice_is_refused(client, auth: AuthActions, db, fake_audio) -> None:
    article = _article(db)
    auth.login()
    html = client.post(f"/articles/{article.id}/audio", data={"voice": "sam/robot"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Giọng đọc không hợp lệ." in html and fake_audio.calls == []


def test_ocr_text_without_diacritics_is_flagged_and_needs_confirmation(client, auth: AuthActions, db,
                                                                       fake_audio) -> None:
    article = _article(db, body=OCR.read_text(encoding="utf-8")[:3000])
    auth.login()
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "Văn bản chưa phù hợp để phát." in html
    refused = client.post(f"/articles/{article.id}/audio", data={"voice": "espeak-ng/vi"},
                          follow_redirects=True).get_data(as_text=True)
    assert "mất dấu" in refused and fake_audio.calls == []
    client.post(f"/articles/{article.id}/audio", data={"voice": "espeak-ng/vi", "confirm_unfit": "yes"})
    wait_for_renders(client)
    assert len(fake_audio.calls) == 1


def test_lexicon_add_validate_delete(client, auth: AuthActions, db) -> None:
    auth.login()
    ok = client.post("/lexicon/", data={"acronym": "htxdv", "expansion": "hợp tác xã  dịch vụ"},
                     follow_redirects=True).get_data(as_text=True)
    assert "Đã thêm “HTXDV”" in ok
    entry = db.scalars(select(LexiconEntry)).one()
    assert (entry.acronym, entry.expansion) == ("HTXDV", "hợp tác xã dịch vụ")
    for data, message in [
        ({"acronym": "HTXDV", "expansion": "khác"}, "đã có trong từ điển"),
        ({"acronym": "x", "expansion": "ích"}, "Từ viết tắt gồm"),
        ({"acronym": "CLB", "expansion": "câu lạc bộ số 2"}, "không chứa chữ số"),
        ({"acronym": "CLB", "expansion": ""}, "không được để trống"),
    ]:
        html = client.post("/lexicon/", data=data, follow_redirects=True).get_data(as_text=True)
        assert message in html
    assert db.scalars(select(LexiconEntry)).all() == [entry]
    client.post(f"/lexicon/{entry.id}/delete")
    db.expire_all()
    assert db.scalars(select(LexiconEntry)).all() == []


def test_loanword_entries_are_kept_apart_and_read(client, auth: AuthActions, db, fake_audio) -> None:
    article = _article(db, body="Hợp tác xã Mekofood bán hàng trực tuyến.")
    auth.login()
    ok = client.post("/lexicon/", data={"kind": "loanword", "acronym": "Mekofood", "expansion": "mê cô phút"},
                     follow_redirects=True).get_data(as_text=True)
    assert "Đã thêm “Mekofood”" in ok and "Từ mượn, tên riêng nước ngoài" in ok
    entry = db.scalars(select(LexiconEntry)).one()
    assert (entry.acronym, entry.kind, entry.commune_id) == ("Mekofood", "loanword", seeded_commune_id(db))
    for data, message in [
        ({"kind": "loanword", "acronym": "mekofood", "expansion": "khác"}, "đã có trong từ điển"),
        ({"kind": "loanword", "acronym": "1abc", "expansion": "một"}, "Từ mượn gồm"),
        ({"kind": "other", "acronym": "Abc", "expansion": "a bê xê"}, "Loại mục không hợp lệ."),
    ]:
        assert message in client.post("/lexicon/", data=data, follow_redirects=True).get_data(as_text=True)
    assert db.scalars(select(LexiconEntry)).all() == [entry]
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "Mê cô phút" in html and "Mekofood" not in html.split("Nội dung sẽ đọc")[1]
    client.post(f"/articles/{article.id}/audio", data={"voice": "espeak-ng/vi"})
    wait_for_renders(client)
    assert fake_audio.extra_loanwords == {"Mekofood": "mê cô phút"} and fake_audio.extra_acronyms == {}


def test_loanword_change_sends_approved_articles_back_to_review(client, auth: AuthActions, db) -> None:
    article = add_article_with_audio(db, title="Hợp tác xã", status=ArticleStatus.APPROVED)
    article.body = "Mekofood mở cửa hàng mới."
    db.commit()
    auth.login()
    html = client.post("/lexicon/", data={"kind": "loanword", "acronym": "Mekofood", "expansion": "mê cô phút"},
                       follow_redirects=True).get_data(as_text=True)
    assert "chờ lãnh đạo duyệt lại" in html
    db.expire_all()
    assert db.get(Article, article.id).status == ArticleStatus.SUBMITTED


SPEECH = "Hợp tác xã Mekofood bán hàng. KGX hỗ trợ.\n\nII. TỔ CHỨC THỰC HIỆN\nUBND xã chủ trì."


def test_editor_shows_segments_with_pauses_and_words_to_add(client, auth: AuthActions, db) -> None:
    article = _article(db, body=SPEECH)
    auth.login()
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    speech = html.split('class="speakable"')[1]
    assert speech.count('class="speech-paragraph"') == 2  # title and first paragraph; the section
    # Since normalizer 1.15 a heading keeps the capital of its first word after "Phần hai," (the held-back sets).
    assert '<p class="segment segment-heading">Phần hai, Tổ chức thực hiện. <span class="pause"' in speech
    assert "nghỉ 0,8 s</span>" in speech and "nghỉ 0,6 s</span>" in speech and 'class="pause-icon"' in speech
    assert "Từ viết tắt chưa có trong từ điển" in html and "<strong>KGX</strong>" in html
    assert "sẽ được đánh vần: “ca gờ ích xì”" in html
    assert 'name="acronym" value="KGX"' in html and "Đánh vần" in html and "Đọc thành" in html
    assert "Từ nước ngoài chưa có cách đọc" in html and 'name="acronym" value="Mekofood"' in html
    assert html.count("Thêm vào từ điển") == 2
    assert f'name="commune_id" value="{seeded_commune_id(db)}"' in html
    assert "Từ nước ngoài chưa có cách đọc: Mekofood" not in html  # listed once, with its form


def test_adding_from_the_editor_expands_spells_and_reads_loanwords(client, auth: AuthActions, db) -> None:
    article = _article(db, body=SPEECH + "\nKGX và HTQX cùng làm.")
    commune = str(seeded_commune_id(db))
    auth.login()
    base = {"commune_id": commune, "article_id": str(article.id)}
    added = client.post("/lexicon/", data={**base, "kind": "acronym", "acronym": "KGX", "mode": "expand",
                                           "expansion": "khu ga xép"})
    assert added.headers["Location"].endswith(f"/articles/{article.id}")
    client.post("/lexicon/", data={**base, "kind": "acronym", "acronym": "HTQX", "mode": "spell", "expansion": ""})
    client.post("/lexicon/", data={**base, "kind": "loanword", "acronym": "Mekofood", "expansion": "mê cô phút"})
    rows = db.execute(select(LexiconEntry.acronym, LexiconEntry.expansion, LexiconEntry.kind,
                             LexiconEntry.commune_id).order_by(LexiconEntry.id)).all()
    assert [tuple(r) for r in rows] == [("KGX", "khu ga xép", "acronym", int(commune)),
                                        ("HTQX", "hát tê quy ích xì", "acronym", int(commune)),
                                        ("Mekofood", "mê cô phút", "loanword", int(commune))]
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert "Thêm vào từ điển" not in html
    assert "Mê cô phút bán hàng" in html and "khu ga xép hỗ trợ" in html.replace("Khu ga xép", "khu ga xép")
    empty = client.post("/lexicon/", data={**base, "kind": "acronym", "acronym": "ABQ", "mode": "expand",
                                           "expansion": ""}, follow_redirects=True).get_data(as_text=True)
    assert "không được để trống" in empty and "Sửa bài viết" in empty


def test_adding_from_the_editor_stays_in_the_users_commune(client, auth: AuthActions, db) -> None:
    article = _article(db, body=SPEECH)
    auth.login()
    refused = client.post("/lexicon/", data={"kind": "acronym", "acronym": "KGX", "mode": "spell",
                                             "commune_id": "", "article_id": str(article.id)})
    assert refused.status_code == 403
    assert db.scalars(select(LexiconEntry)).all() == []


def test_commune_voice_defaults_pick_the_editor_voice_and_the_rate(client, auth: AuthActions, db,
                                                                   fake_audio) -> None:
    article = _article(db)
    commune = seeded_commune_id(db)
    auth.login()
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert '<option value="espeak-ng/vi" selected>Giọng miền Bắc (espeak-ng, ngoại tuyến)</option>' in html
    page = client.get("/voices/").get_data(as_text=True)
    assert "Giọng đọc của xã" in page and "Xã An Bình" in page and "Miền Trung" in page
    saved = client.post(f"/voices/{commune}", data={"region": "nam", "rate_wpm": "145"}, follow_redirects=True)
    assert "Đã lưu giọng đọc mặc định của Xã An Bình." in saved.get_data(as_text=True)
    row = db.get(CommuneVoice, commune)
    assert (row.region, row.rate_wpm) == ("nam", 145)
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert '<option value="espeak-ng/vi-vn-x-south" selected>' in html and "145 từ/phút" in html
    client.post(f"/articles/{article.id}/audio")  # no voice sent: the commune's
    wait_for_renders(client)
    assert fake_audio.calls[-1][1:] == ("espeak-ng", "vi-vn-x-south") and fake_audio.rate_wpm == 145
    for bad in ({"region": "tay", "rate_wpm": ""}, {"region": "bac", "rate_wpm": "400"}):
        assert "không hợp lệ" in client.post(f"/voices/{commune}", data=bad, follow_redirects=True).get_data(
            as_text=True)
    db.expire_all()
    assert (db.get(CommuneVoice, commune).region, db.get(CommuneVoice, commune).rate_wpm) == ("nam", 145)
    assert "commune_voice.set" in db.scalars(select(AuditEntry.action)).all()


def test_installed_piper_voices_are_listed_by_name(client, auth: AuthActions, db, fake_audio,
                                                   monkeypatch) -> None:
    article = _article(db)
    monkeypatch.setattr(type(fake_audio), "voice_choices", lambda self: [("espeak-ng", "vi"),
                                                                          ("piper", "vi_VN-vais1000-medium")],
                        raising=False)
    auth.login()
    html = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert '<option value="piper/vi_VN-vais1000-medium">Giọng Piper “vais1000” (medium)</option>' in html
    client.post(f"/articles/{article.id}/audio", data={"voice": "piper/vi_VN-vais1000-medium"})
    wait_for_renders(client)
    assert fake_audio.calls[-1][1:] == ("piper", "vi_VN-vais1000-medium")


def test_api_synthesis_uses_the_communes_voice_rate_and_loanwords(app, db, seed, fake_audio) -> None:
    set_commune_voice(db, seed.commune_id, "trung", 130, None)
    db.add(LexiconEntry(acronym="Mekofood", expansion="mê cô phút", kind="loanword", commune_id=seed.commune_id))
    db.commit()
    client = app.test_client()
    bt = bearer(db, "bientap")
    created = client.post("/api/v1/articles", headers=bt, json={"title": "Tin", "body": "Mekofood mở cửa."})
    aid = created.get_json()["id"]
    assert client.post(f"/api/v1/articles/{aid}/audio/synthesize", headers=bt, json={}).status_code == 200
    assert fake_audio.calls[-1][1:] == ("espeak-ng", "vi-vn-x-central") and fake_audio.rate_wpm == 130
    assert fake_audio.extra_loanwords == {"Mekofood": "mê cô phút"}
    refused = client.post(f"/api/v1/articles/{aid}/audio/synthesize", headers=bt, json={"voice": "piper/none"})
    assert refused.status_code == 422
