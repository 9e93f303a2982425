"""User-facing errors. Messages are Vietnamese because they are shown to commune staff as-is."""


class AudioError(Exception):
    """An error the broadcaster can act on (bad upload, engine not installed, ...)."""
