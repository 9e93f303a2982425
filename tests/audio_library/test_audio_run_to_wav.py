import re
import sys

import pytest

from audio_library.errors import AudioError
from audio_library.tts.base import PART, run_to_wav

WRITE = "import sys; open(sys.argv[1], 'wb').write(b'R' * 100 + sys.stdin.buffer.read())"


def test_output_is_moved_in_place_only_on_success(tmp_path):
    out = tmp_path / "a.wav"
    run_to_wav([sys.executable, "-c", WRITE, PART], "xin chào", out, engine="test", timeout_s=10)
    assert out.read_bytes() == b"R" * 100 + "xin chào".encode()
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(("script", "message"), [
    ("import sys; sys.stderr.write('hỏng'); sys.exit(3)", re.escape("test không tạo được giọng đọc (hỏng).")),
    ("import sys; open(sys.argv[1], 'wb').write(b'x' * 44)", "không tạo được"),  # a bare header is no audio
    ("import time; time.sleep(5)", "chạy quá lâu"),
])
def test_failures_leave_nothing_and_say_why(tmp_path, script, message):
    out = tmp_path / "a.wav"
    with pytest.raises(AudioError, match=message):
        run_to_wav([sys.executable, "-c", script, PART], "x", out, engine="test", timeout_s=1)
    assert list(tmp_path.iterdir()) == []
