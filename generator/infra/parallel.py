"""Work shared out to processes, one per core, when there is enough of it.

Workers are forked, so they start with everything the parent has built
(settings, layouts, the site model) and nothing is pickled but the items and
their results. Python threads would not help: the work is pure Python.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """Cores this process may use (the CPU affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def map_unordered(
    function: Callable[[T], R], items: Iterable[T], jobs: int, chunk: int = 16
) -> Iterator[R]:
    """function(item) for every item, in any order; in `jobs` forked processes if > 1."""
    items = list(items)
    if jobs <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(items)), initializer=_ignore_interrupts) as pool:
        yield from pool.imap_unordered(function, items, chunksize=chunk)


def _ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group: the build stops its workers itself
    (and a worker ends quietly when the build terminates the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child about to run a command: end it when the build's process dies.

    A build killed outright (SIGKILL, the OOM killer) cannot stop the Pagefind
    runs it started; without this they went on, orphaned, indexing into a
    folder the next build removes. Linux only; elsewhere it does nothing.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
