"""The one-writer lock beside the warehouse (`<db>.lock`), and who holds it.

POSIX record locks (lockf) belong to a process: a forked worker never inherits one,
and the kernel drops it when its process dies, however it dies. So no surviving
child can keep the warehouse locked, and a killed run never blocks the next one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import WarehouseBusyError

RETRY_INTERVAL_S = 0.05
# POSIX locks do not conflict within one process, so the lock files this process holds are kept here.
_HELD_LOCKS: dict[str, int] = {}


def lock_path_of(path: Path) -> Path:
    """Return the one-writer lock file beside the warehouse."""
    return path.with_name(path.name + ".lock")


class HeldLock:
    """The writer lock while held: `note(...)` records who holds it, for `runs` and busy messages."""

    def __init__(self, fd: int, info: dict[str, Any]) -> None:
        """Remember the locked file and the holder's details."""
        self.fd = fd
        self.info = info
        self.note()

    def note(self, **info: Any) -> None:
        """Write the holder's details (pid, command, run id, ...) into the lock file."""
        self.info.update(info)
        data = json.dumps(self.info).encode()
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)


def lock_holder(path: Path) -> dict[str, Any] | None:
    """Return who holds the writer lock of `path` ({} when unknown), or None when nobody does."""
    lock_path = lock_path_of(path)
    key = str(lock_path.resolve()) if lock_path.exists() else ""
    if key in _HELD_LOCKS:  # opening and closing the file here would drop this process's own lock
        return {"pid": os.getpid()}
    if not key:
        return None
    fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return _holder_info(fd)
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _holder_info(fd: int) -> dict[str, Any]:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


def describe_holder(info: dict[str, Any] | None) -> str:
    """Return "pid 123, ingest, run 7, since 02:30:01" for a lock holder."""
    if not info:
        return "an unknown process"
    parts = [f"pid {info['pid']}" if "pid" in info else "", info.get("command", "")]
    parts += [f"run {info['run_id']}" if "run_id" in info else "", info.get("since", "")]
    return ", ".join(part for part in parts if part)


def _try_lock(fd: int, key: str) -> bool:
    if key in _HELD_LOCKS:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


@contextlib.contextmanager
def writer_lock(path: Path, *, wait_s: float, command: str = "") -> Iterator[HeldLock]:
    """Hold the one-writer lock beside the warehouse, waiting at most `wait_s` seconds.

    The lock dies with the process that took it (never with or in a worker it forked).

    Raises:
        WarehouseBusyError: another process holds the lock after `wait_s` seconds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = lock_path_of(path)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    key = str(lock_path.resolve())
    try:
        deadline = time.monotonic() + wait_s
        while not _try_lock(fd, key):
            if time.monotonic() >= deadline:
                holder = describe_holder(lock_holder(path))
                raise WarehouseBusyError(
                    f"Another ingest is writing to {path} ({holder}; lock {lock_path}). "
                    f"Waited {wait_s:.0f} s; it will finish on its own, try again later "
                    "or raise --wait."
                ) from None
            time.sleep(RETRY_INTERVAL_S * 4)
        _HELD_LOCKS[key] = fd
        try:
            since = time.strftime("%Y-%m-%d %H:%M:%S")
            yield HeldLock(fd, {"pid": os.getpid(), "command": command, "since": since})
        finally:
            del _HELD_LOCKS[key]
            os.ftruncate(fd, 0)
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
