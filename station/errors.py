"""Errors a user can fix, with messages in Vietnamese shown as they are."""


class BulletinError(ValueError):
    """A request the broadcaster can fix; the message is Vietnamese and shown as-is."""

    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message = message_vi
