"""The audio of a province bulletin: its content link (NoiDung) downloaded into the audio library, so a commune can
air what the province recorded rather than a text read by the machine.

Nothing about the link is trusted: only http(s) to a host of a configured province (the host of its base_url, or
one listed in its `audio_hosts`), no redirect (a redirect could lead anywhere), at most the upload limit in bytes
and the link's timeout; the file then goes through the library's own upload checks (format by content, length)
and processing, as an upload from the web would. A link that fails leaves the bulletin filed as text, with the
reason logged; the commune can still schedule it with its own recording or speech.
"""

from __future__ import annotations

import logging
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from audio_library import AudioError
from station.assets import upsert_audio_asset
from station.httt.config import ProvinceLink

log = logging.getLogger(__name__)
CHUNK = 64 * 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx answer comes back as an HTTPError: refused below


def allowed_hosts(links: Iterable[ProvinceLink]) -> frozenset[str]:
    hosts: set[str] = set()
    for link in links:
        if host := urlsplit(link.base_url).hostname:
            hosts.add(host.lower())
        hosts.update(h.lower() for h in link.audio_hosts)
    return frozenset(hosts)


class ProvinceAudioFetcher:
    """Callable as inbound.AudioFetch: a content link → the audio row id, or None (logged) when it cannot be had."""

    def __init__(self, sessions: sessionmaker[Session], library: Any, hosts: frozenset[str], *, max_bytes: int,
                 timeout_s: float = 30.0, opener: Callable[..., Any] | None = None) -> None:
        self.sessions = sessions
        self.library = library
        self.hosts = hosts
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s
        self._open = opener or urllib.request.build_opener(_NoRedirect).open
        self.failures: list[tuple[str, str]] = []  # (link, reason), the latest few, for the connector's page

    @classmethod
    def for_settings(cls, sessions: sessionmaker[Session], settings: Any, links: list[ProvinceLink]
                     ) -> ProvinceAudioFetcher:
        """The scheduler's fetcher: the server's audio library and upload limit, the slowest link's timeout."""
        from audio_library import AudioLibrary

        library = AudioLibrary(settings.audio_dir, max_upload_bytes=settings.max_upload_bytes)
        return cls(sessions, library, allowed_hosts(links), max_bytes=settings.max_upload_bytes,
                   timeout_s=max((link.timeout_s for link in links), default=30.0))

    def __call__(self, url: str) -> int | None:
        try:
            return self._fetch(url)
        except (AudioError, OSError, ValueError) as exc:
            reason = str(exc)
            log.warning("province audio %s not fetched: %s", url[:200], reason)
            self.failures = [*self.failures[-19:], (url[:200], reason)]
            return None

    def _fetch(self, url: str) -> int:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in self.hosts:
            raise ValueError("liên kết âm thanh không thuộc máy chủ của tỉnh đã cấu hình")
        with tempfile.TemporaryDirectory(prefix="radio-httt-audio-") as tmp:
            path = Path(tmp) / "audio"  # a fixed name: nothing from the link becomes a path
            try:
                response = self._open(urllib.request.Request(url, headers={"Accept": "audio/*"}),
                                      timeout=self.timeout_s)
            except urllib.error.HTTPError as exc:
                exc.close()
                raise ValueError(f"máy chủ của tỉnh trả lời {exc.code}") from exc
            with response, path.open("wb") as out:
                got = 0
                while chunk := response.read(CHUNK):
                    got += len(chunk)
                    if got > self.max_bytes:
                        raise ValueError(f"tệp âm thanh lớn quá {self.max_bytes // (1024 * 1024)} MB")
                    out.write(chunk)
            asset = self.library.import_file(path, original_name=Path(parts.path).name[:120] or "audio")
        with self.sessions() as session:
            row = upsert_audio_asset(session, asset)
            session.commit()
            return row.id
