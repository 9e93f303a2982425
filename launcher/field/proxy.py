"""A TCP proxy on loopback that gives each node's connections its own 4G link (delay, jitter, loss, drops).

Real sockets see the faults: the node's MQTT session and its GET /time exchanges go through it. Each message read
from one side (chunks read back to back count as one) is delivered to the other after the link's one-way delay
for that direction, in order (TCP never reorders), so a slow message holds up the ones behind it as on a real link.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Coroutine
from typing import Any

from launcher.field.link import LinkModel

MESSAGE_GAP_S = 0.010  # chunks read closer together than this are one message (they share the queue of the link)


class _Route:
    def __init__(self, link: LinkModel, target: tuple[str, int]) -> None:
        self.link = link
        self.target = target
        self.writers: set[asyncio.StreamWriter] = set()
        self.server: asyncio.base_events.Server | None = None


class FieldProxy:
    """Runs its own event loop on a thread; `route()` opens a listening port for one node's link to a target."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="field-proxy", daemon=True)
        self._thread.start()
        self._routes: list[_Route] = []

    def _run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def route(self, link: LinkModel, target_port: int, target_host: str = "127.0.0.1") -> int:
        """A loopback port whose connections reach target through this link; returns the port."""
        route = _Route(link, (target_host, target_port))

        async def open_server() -> int:
            route.server = await asyncio.start_server(lambda r, w: self._accept(route, r, w), "127.0.0.1", 0)
            return int(route.server.sockets[0].getsockname()[1])

        port: int = self._run(open_server())
        self._routes.append(route)
        return port

    def drop(self, link: LinkModel, seconds: float) -> None:
        """Cut every connection on this link and refuse new ones for `seconds` (a 4G drop)."""
        link.drops.append((time.time(), seconds))
        for route in self._routes:
            if route.link is link:
                for writer in list(route.writers):
                    self.loop.call_soon_threadsafe(writer.close)

    def _accept(self, route: _Route, reader: asyncio.StreamReader,
                writer: asyncio.StreamWriter) -> Coroutine[Any, Any, None]:
        # Recorded as soon as asyncio accepts it, before its task runs: a task cancelled at close() before its first
        # step never reaches _serve's `finally`, so close() must find its socket here to close it.
        route.writers.add(writer)
        return self._serve(route, reader, writer)

    async def _serve(self, route: _Route, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_writer: asyncio.StreamWriter | None = None
        try:
            if route.link.down_at(time.time()):
                return
            up_reader, up_writer = await asyncio.open_connection(*route.target)
            route.writers.add(up_writer)
            await asyncio.gather(self._pump(route.link, reader, up_writer, up=True),
                                 self._pump(route.link, up_reader, writer, up=False))
        except (OSError, asyncio.CancelledError):
            pass  # the target refused, or the proxy is closing: either way this connection ends here
        finally:
            for w in (writer, up_writer):
                if w is not None:
                    route.writers.discard(w)
                    w.close()
                    with contextlib.suppress(Exception):
                        await w.wait_closed()

    async def _pump(self, link: LinkModel, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                    up: bool) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        sender = asyncio.create_task(self._deliver(queue, writer))
        last_due = 0.0
        last_read = -1.0
        delay = 0.0
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk or link.down_at(time.time()):
                    break
                now = time.monotonic()
                # One message, one delay: chunks written back to back (an HTTP answer's headers, then its body)
                # share a queue on a real link. Drawing each its own jitter would make the later chunk's delay
                # the larger of two draws: a bias against the direction that writes twice, which a real
                # link does not have (and which the node could not tell from an asymmetry).
                if now - last_read > MESSAGE_GAP_S:
                    delay = link.delay(up)
                last_read = now
                last_due = max(last_due, now + delay)
                queue.put_nowait((last_due, chunk))
        except (ConnectionError, OSError):
            pass
        finally:
            queue.put_nowait((last_due, b""))
            with contextlib.suppress(ConnectionError, OSError):
                await sender

    async def _deliver(self, queue: asyncio.Queue[tuple[float, bytes]], writer: asyncio.StreamWriter) -> None:
        while True:
            due, chunk = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not chunk:
                if writer.can_write_eof():
                    with contextlib.suppress(OSError):
                        writer.write_eof()
                return
            writer.write(chunk)
            await writer.drain()

    def close(self) -> None:
        async def shutdown() -> None:
            for route in self._routes:
                for w in list(route.writers):
                    w.close()
                if route.server is not None:
                    route.server.close()
                    await route.server.wait_closed()
            await asyncio.sleep(0.05)  # let the pumps see their sockets closed and end by themselves
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for route in self._routes:  # connections whose task was cancelled before it started
                for w in list(route.writers):
                    w.close()
            await asyncio.sleep(0.01)  # the transports finish closing on the loop's next turns

        with contextlib.suppress(Exception):
            self._run(shutdown())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()
