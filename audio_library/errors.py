"""User-facing errors. Messages are Vietnamese, the interface's source language; the web shows them in the user's
language from the message id and its values (web.i18n.audio_message), the CLI as they are."""

from __future__ import annotations


class AudioError(Exception):
    """An error the broadcaster can act on (bad upload, engine not installed, ...).

    `message` is a Vietnamese msgid (extracted for the web's catalog: scripts/translations.py) with %(name)s
    placeholders filled from `params`; str() is the Vietnamese sentence."""

    def __init__(self, message: str, **params: object) -> None:
        self.msgid = message
        self.params = params
        super().__init__(message % params if params else message)


def minutes_label(seconds: float) -> str:
    """A limit in minutes as people write it: "30", "1,5" (Vietnamese decimal comma)."""
    return f"{seconds / 60:.1f}".rstrip("0").rstrip(".").replace(".", ",")


class AudioTooLong(AudioError):
    """An upload longer than the limit. It carries the limit so the web can say it in the user's language
    (web.uploads translates MESSAGE, which must stay identical to the msgid there)."""

    MESSAGE = "Tệp âm thanh quá dài; giới hạn là %(minutes)s phút."

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.minutes = minutes_label(limit_s)
        super().__init__(self.MESSAGE, minutes=self.minutes)
