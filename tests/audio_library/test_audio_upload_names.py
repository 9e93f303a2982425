"""Path traversal through an upload's name (issue 10): the real library stores by content hash, whatever the
name says, and never writes next to or above its directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_support import sine_wav

from audio_library import AudioLibrary

pytestmark = pytest.mark.security


@pytest.mark.parametrize("name", ["../../x.mp3", "..\\..\\x.wav", "/etc/x.wav", "lib/../../x.wav"])
def test_upload_name_never_becomes_a_path(tmp_path: Path, name: str) -> None:
    root = tmp_path / "a" / "b" / "lib"
    library = AudioLibrary(root)
    src = sine_wav(tmp_path / "upload", seconds=2.0, dbfs=-20.0)
    asset = library.import_file(src, original_name=name)
    assert asset.path.resolve().is_relative_to(root.resolve())
    assert asset.path.name.startswith(asset.sha256)
    assert [p for p in tmp_path.rglob("x.*")] == [] and not Path("/etc/x.wav").exists()
