"""Pure pager: split a sequence into pages; there is always at least one page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    number: int  # 1-based
    total: int
    items: tuple[T, ...]

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.total else None


def paginate(items: Sequence[T], per_page: int) -> tuple[Page[T], ...]:
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    total = max(1, -(-len(items) // per_page))
    return tuple(
        Page(number, total, tuple(items[(number - 1) * per_page : number * per_page]))
        for number in range(1, total + 1)
    )
