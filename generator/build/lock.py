"""Publishing, first step: claim the output folder.

One build at a time per output folder (an flock on `.site.lock` beside it,
naming the process that holds it), and never an output folder whose
replacement would destroy the sources or someone else's files.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from generator.errors import BuildFailure

# Lock files this process holds. A forked worker closes them at once: a worker
# still alive when its build is killed must not keep the next build out.
_HELD: set[int] = set()


def _close_held() -> None:
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_held)


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one stops with a clear message."""
    lock = out.parent / f".{out.name}.lock"
    try:
        handle = open(lock, "a+", encoding="ascii")  # noqa: SIM115 - held for the build
    except OSError as error:
        raise BuildFailure(
            str(out), f"cannot create the lock file {lock}: {error.strerror}"
        ) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildFailure(
                str(out),
                f"another build is writing this folder ({holder});"
                " wait for it to finish, then build again",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}")
        handle.flush()
        _HELD.add(handle.fileno())
        try:
            yield
        finally:
            _HELD.discard(handle.fileno())
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_out(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder whose replacement would destroy sources."""
    resolved = out.resolve()
    for path in [Path.cwd(), *protected]:
        path = path.resolve()
        if resolved == path or resolved in path.parents:
            raise BuildFailure(str(out), f"the output folder must not contain {path}")
    if resolved.exists() and not resolved.is_dir():
        raise BuildFailure(str(out), "the output path is a file, not a folder")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / "index.html").is_file():
        raise BuildFailure(
            str(out), "the output folder is not empty and holds no site; choose another --out"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
