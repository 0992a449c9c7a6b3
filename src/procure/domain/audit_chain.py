"""The hash chain of the audit log, as pure functions.

Each entry's hash covers its own content and the previous entry's hash, so altering an
entry breaks its own hash, removing one leaves a gap in the sequence, and reordering
breaks the link to the previous hash. The head hash is printed on every audit report,
which anchors the chain outside the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    sequence: int
    prev_hash: str
    entry_hash: str
    content: Mapping[str, Any]


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str  # "altered" | "removed" | "reordered"
    detail: str


def verify_chain(entries: Iterable[ChainEntry]) -> ChainProblem | None:
    """The first problem in the chain, or None when it is intact. Entries in stored order."""
    expected_sequence = 1
    previous = GENESIS_HASH
    for entry in entries:
        if entry.sequence > expected_sequence:
            return ChainProblem(
                expected_sequence,
                "removed",
                f"entries {expected_sequence}–{entry.sequence - 1} are missing before entry {entry.sequence}",
            )
        if entry.sequence < expected_sequence or entry.prev_hash != previous:
            return ChainProblem(
                entry.sequence,
                "reordered",
                f"entry {entry.sequence} does not follow the entry before it",
            )
        if entry_hash(entry.prev_hash, entry.content) != entry.entry_hash:
            return ChainProblem(entry.sequence, "altered", f"entry {entry.sequence} was changed after it was written")
        previous = entry.entry_hash
        expected_sequence += 1
    return None
