"""The keyed hash chains of the audit log, as pure functions.

Every contract has its own chain, and one more chain holds the installation-wide events
(organisations, users, tokens). Each entry's hash is an HMAC, under a key derived from
the installation's secret, of its own content and the previous entry's hash in the same
chain. So altering an entry breaks its own hash, removing one leaves a gap in the
positions, reordering breaks the link to the previous hash, and someone with write
access to the database but without the secret cannot compute a valid replacement chain.

What the key cannot catch is cutting entries off the end: a shorter chain is still a
valid chain. Heads recorded elsewhere do: every issued report prints its contract
chain's head (position and hash) and the database keeps it too (`RecordedHead`). A
recorded head that is no longer in its chain means the chain was cut or rewritten.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64

# The purpose the chain key is derived for; a new scheme gets a new label (and key).
_KEY_LABEL = b"procure audit chain: entry hashes, v1"


def chain_key(secret: bytes) -> bytes:
    """The chain's own key, derived from the installation secret (never the secret itself)."""
    return hmac.new(secret, _KEY_LABEL, hashlib.sha256).digest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(key: bytes, prev_hash: str, content: Mapping[str, Any]) -> str:
    return hmac.new(key, (prev_hash + canonical_json(content)).encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    sequence: int  # the position in its chain, from 1
    prev_hash: str
    entry_hash: str
    content: Mapping[str, Any]


@dataclass(frozen=True)
class Head:
    """A chain's last entry as someone saw it: position 0 and the genesis hash when empty."""

    sequence: int
    hash: str
    source: str = ""  # who recorded it, for the message ("report 1f0c…, issued 2026-…")


EMPTY_HEAD = Head(0, GENESIS_HASH)


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str  # "altered" | "removed" | "reordered"
    detail: str


def _head_problem(head: Head, hashes: Mapping[int, str], last: int) -> ChainProblem | None:
    if head.sequence == 0:
        return None
    said = f" ({head.source})" if head.source else ""
    if head.sequence > last:
        first_missing = last + 1
        return ChainProblem(
            first_missing,
            "removed",
            f"entries {first_missing}–{head.sequence} are missing: the chain ends at entry {last}, "
            f"but its head was recorded at entry {head.sequence}{said}",
        )
    if hashes.get(head.sequence) != head.hash:
        return ChainProblem(
            head.sequence,
            "altered",
            f"entry {head.sequence} is not the one recorded as the chain's head{said}: the chain was rewritten",
        )
    return None


def verify_chain(entries: Iterable[ChainEntry], key: bytes, heads: Iterable[Head] = ()) -> ChainProblem | None:
    """The first problem in one chain, or None when it is intact. Entries in stored order.

    `heads` are the heads recorded for this chain (in reports, in the database); each
    must still be in the chain, or the chain was cut short or rewritten since.
    """
    heads = list(heads)
    wanted = {head.sequence for head in heads}
    hashes: dict[int, str] = {}
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
        expected = entry_hash(key, entry.prev_hash, entry.content)
        if not hmac.compare_digest(expected.encode(), str(entry.entry_hash).encode()):
            return ChainProblem(entry.sequence, "altered", f"entry {entry.sequence} was changed after it was written")
        if entry.sequence in wanted:
            hashes[entry.sequence] = entry.entry_hash
        previous = entry.entry_hash
        expected_sequence += 1
    problems = [p for p in (_head_problem(head, hashes, expected_sequence - 1) for head in heads) if p]
    return min(problems, key=lambda p: p.sequence) if problems else None
