"""A local Ray instance ends with the driver that started it, even a driver killed with SIGKILL.

Ray's gcs_server and raylet die with the driver and the Ray workers with the raylet, but
its dashboard and runtime-env agents (measured with Ray 2.60) see the raylet go, then hang,
re-parented to init. So the driver starts the local instance in a temporary folder of its
own and, first, this reaper, in a session of its own (Ctrl+C does not reach it), reading a
pipe from the driver. When the pipe closes, because the driver ended however it ended, the
reaper kills every process with a file open in that folder (every Ray process logs there)
or with the instance's token in its environment (what a Ray worker runs, such as Tesseract),
then removes the folder. Processes are found through /proc: on systems without it (macOS)
no reaper runs and Ray's own shutdown is all there is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

OWNER_VARIABLE = "THEMES_RAY_OWNER"
QUIET_ROUNDS = 3  # a sweep ends after this many rounds that found nothing ...
SWEEP_INTERVAL_S = 0.2
SWEEP_AT_MOST_S = 10.0  # ... or after this long
REAPER_WAIT_S = 15.0


class LocalInstanceReaper:
    """The reaper of one local Ray instance: made before `ray.init`, closed after shutdown."""

    def __init__(self) -> None:
        """Start the reaper (where there is /proc), waiting on a pipe only this process holds."""
        self.token = uuid.uuid4().hex
        self.process: subprocess.Popen | None = None
        self.folder: str | None = None
        if Path("/proc/self/fd").is_dir():
            self.folder = tempfile.mkdtemp(prefix="themes-ray-")
            self.process = subprocess.Popen(
                [sys.executable, "-m", __name__, self.folder, self.token, str(os.getpid())],
                stdin=subprocess.PIPE,
                start_new_session=True,
            )

    @contextlib.contextmanager
    def starting(self) -> Iterator[dict[str, Any]]:
        """Inside: start the local instance with these `ray.init` options; its processes inherit the token."""
        os.environ[OWNER_VARIABLE] = self.token
        try:
            yield {"_temp_dir": self.folder} if self.folder else {}
        finally:
            del os.environ[OWNER_VARIABLE]

    def close(self) -> None:
        """After `ray.shutdown()`: let the reaper kill what is left, and wait for it."""
        if self.process is None:
            return
        assert self.process.stdin is not None
        self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(REAPER_WAIT_S)
        self.process = None


def belongs(pid: str, folder: str, marker: bytes) -> bool:
    """Whether process `pid` has a file open under `folder` or the token in its environment."""
    proc = Path("/proc") / pid
    with contextlib.suppress(OSError):
        if marker in (proc / "environ").read_bytes().split(b"\0"):
            return True
        for fd in (proc / "fd").iterdir():
            with contextlib.suppress(OSError):
                if str(fd.readlink()).startswith(folder):
                    return True
    return False


def sweep(folder: str, token: str, spare: set[int]) -> None:
    """Kill the instance's processes, round after round, until a few rounds find none."""
    marker = f"{OWNER_VARIABLE}={token}".encode()
    deadline = time.monotonic() + SWEEP_AT_MOST_S
    quiet = 0
    while quiet < QUIET_ROUNDS and time.monotonic() < deadline:
        found = [
            int(proc.name)
            for proc in Path("/proc").glob("[0-9]*")
            if int(proc.name) not in spare and belongs(proc.name, folder + os.sep, marker)
        ]
        for pid in found:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        quiet = 0 if found else quiet + 1
        time.sleep(SWEEP_INTERVAL_S)


def main(folder: str, token: str, driver_pid: str) -> None:
    """The reaper: wait for the driver's pipe to close, kill what its Ray instance left, tidy up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdin.buffer.read()
    sweep(folder, token, {os.getpid(), int(driver_pid)})
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
