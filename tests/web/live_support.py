"""Reading a bounded number of Server-Sent Events from the Flask test client (for the live-update tests)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient


@dataclass(frozen=True)
class Event:
    kind: str  # "node", "playing", "bye", "retry", or "comment"
    data: Any


def parse(block: str) -> Event:
    fields: dict[str, str] = {}
    for line in block.splitlines():
        if line.startswith(":"):
            return Event("comment", line[1:].strip())
        name, _, value = line.partition(": ")
        fields[name] = value
    if "retry" in fields:
        return Event("retry", int(fields["retry"]))
    return Event(fields.get("event", "message"), json.loads(fields.get("data", "null")))


def stream(client: FlaskClient, url: str) -> Iterator[Event]:
    """Events as the server yields them; the server's own time limit (LIVE_MAX_S) bounds the loop."""
    response = client.get(url, buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    buffer = ""
    try:
        for chunk in response.response:
            buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
            while "\n\n" in buffer:
                block, buffer = buffer.split("\n\n", 1)
                yield parse(block)
    finally:
        response.close()


def read_until(events: Iterator[Event], done: Callable[[Event], bool], limit: int = 200) -> list[Event]:
    seen: list[Event] = []
    for event in events:
        seen.append(event)
        if done(event) or len(seen) >= limit:
            return seen
    return seen
