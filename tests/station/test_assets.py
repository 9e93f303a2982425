import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from factories import make_audio, make_bulletin, make_commune
from radio.db.models import Article, AudioAssetRow
from station.assets import collect_garbage, referenced_shas


class FakeLibrary:
    def __init__(self, shas):
        self.files = set(shas)

    def gc(self, referenced, *, min_age_s=None):
        removed = sorted(self.files - set(referenced))
        self.files -= set(removed)
        return removed


def test_gc_keeps_audio_of_articles_bulletins_and_removes_the_rest(sessions):
    from datetime import UTC, datetime

    with sessions() as s:
        _c, villages, _n = make_commune(s)
        article_audio = make_audio(s, seed="article")
        aired = make_audio(s, seed="aired")
        orphan = make_audio(s, seed="orphan")
        s.add(Article(title="t", body="b", audio_id=article_audio.id))
        make_bulletin(s, aired, datetime.now(UTC), villages)
        s.commit()
        lib = FakeLibrary([article_audio.sha256, aired.sha256, orphan.sha256, "f" * 64])
        assert referenced_shas(s) == {article_audio.sha256, aired.sha256}
        removed = collect_garbage(s, lib)
        s.commit()
        assert removed == sorted([orphan.sha256, "f" * 64])
        assert {r.sha256 for r in s.scalars(select(AudioAssetRow))} == {article_audio.sha256, aired.sha256}


@pytest.mark.integration
def test_tts_synth_cli_writes_a_broadcast_ready_mp3(tmp_path):
    out = tmp_path / "out" / "ban-tin.mp3"
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "launcher.cli", "tts", "synth", "--out", str(out), "--voice",
                           "vi-vn-x-south"], input="Thông báo của UBND xã: ngày 28/10/2022 phát 10.000 tờ rơi.",
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 1000 and out.read_bytes()[:2] in (b"\xff\xfb", b"\xff\xf3", b"ID")
    assert "LUFS" in proc.stderr and "vi-vn-x-south" in proc.stderr
    assert time.monotonic() - t0 < 60
    empty = subprocess.run([sys.executable, "-m", "launcher.cli", "tts", "synth", "--out", str(tmp_path / "x.mp3")],
                           input="  \n", capture_output=True, text=True, timeout=60)
    assert empty.returncode == 2 and not (tmp_path / "x.mp3").exists()
