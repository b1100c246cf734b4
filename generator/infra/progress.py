"""What `archive build` shows while it works: one line per finished stage and,
on a terminal, a progress bar for the long ones."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 24
# A bar appears only for a stage that lasts: short builds print stage lines only.
SHOW_AFTER = 0.5


class Bar:
    """A one-line progress bar, redrawn in place; silent when not on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.shown = False
        self.stage = ""
        self.started = 0.0
        self.drawn = 0.0

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.live or total <= 0:
            return
        now = time.monotonic()
        if stage != self.stage:
            self.stage, self.started = stage, now
        if now - self.started < SHOW_AFTER or (now - self.drawn < 0.1 and done < total):
            return
        self.drawn = now
        filled = WIDTH * done // total
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r  {stage:<7} [{bar}] {done:,}/{total:,}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (WIDTH + 40) + "\r")
            self.stream.flush()
            self.shown = False


def stage_line(stream: TextIO, bar: Bar | None) -> Callable[[str, float, str], None]:
    """A callback printing `  render    2.31 s  13,033 pages rendered, 0 unchanged`."""

    def show(stage: str, seconds: float, detail: str) -> None:
        if bar:
            bar.clear()
        line = f"  {stage:<7} {seconds:6.2f} s"
        stream.write(f"{line}  {detail}\n" if detail else line + "\n")
        stream.flush()

    return show
