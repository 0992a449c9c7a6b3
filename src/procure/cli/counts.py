"""Counts in the command line's English lines: "1 entry", "2 entries"."""

from __future__ import annotations


def counted(number: int, one: str, other: str) -> str:
    return f"{number:,} {one if number == 1 else other}"
