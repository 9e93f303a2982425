"""Errors a user can fix, with messages in Vietnamese shown as they are."""


class BulletinError(ValueError):
    """A request the broadcaster can fix; the message is Vietnamese and shown as-is."""

    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message = message_vi


class OverlapRefused(BulletinError):
    """The start overlaps another bulletin on some of the same loudspeakers and queueing after it was not asked:
    the page can offer "Xếp nối tiếp sau bản tin trước" as one click."""
