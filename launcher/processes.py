"""`radio scheduler` as a child process, as deployed: started, SIGKILLed and restarted by the fault run
(bench/fault_run.py) and the crash tests, which both need the real process, not a thread."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path


class SchedulerProcess:
    """One scheduler at a time; each start logs to `logdir/scheduler<N>.log`."""

    def __init__(self, env: dict[str, str], logdir: Path) -> None:
        self.env = env
        self.logdir = logdir
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        with (self.logdir / f"scheduler{self.starts}.log").open("w") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen([sys.executable, "-m", "launcher.cli", "scheduler"], env=self.env,
                                         stdout=log, stderr=log)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def log_text(self) -> str:
        """Every start's log, in order."""
        return "".join(p.read_text(errors="replace") for p in sorted(self.logdir.glob("scheduler*.log")))
