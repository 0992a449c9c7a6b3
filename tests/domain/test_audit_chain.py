from dataclasses import replace

from procure.domain.audit_chain import GENESIS_HASH, ChainEntry, entry_hash, verify_chain


def build_chain(count: int) -> list[ChainEntry]:
    entries, previous = [], GENESIS_HASH
    for sequence in range(1, count + 1):
        content = {"action": "update", "object_id": sequence, "after": {"hours": sequence * 10}}
        digest = entry_hash(previous, content)
        entries.append(ChainEntry(sequence, previous, digest, content))
        previous = digest
    return entries


def test_intact_chain_verifies():
    assert verify_chain(build_chain(5)) is None


def test_altered_entry_is_named():
    chain = build_chain(5)
    chain[2] = replace(chain[2], content={**chain[2].content, "after": {"hours": 999}})
    problem = verify_chain(chain)
    assert (problem.sequence, problem.problem) == (3, "altered")


def test_removed_entry_is_named():
    chain = build_chain(5)
    del chain[1]
    problem = verify_chain(chain)
    assert (problem.sequence, problem.problem) == (2, "removed")


def test_reordered_entries_are_detected():
    chain = build_chain(5)
    # Swap the contents of entries 3 and 4 but keep the sequence numbers in order.
    third, fourth = chain[2], chain[3]
    chain[2] = replace(fourth, sequence=3)
    chain[3] = replace(third, sequence=4)
    problem = verify_chain(chain)
    assert (problem.sequence, problem.problem) == (3, "reordered")


def test_hash_does_not_depend_on_key_order():
    assert entry_hash(GENESIS_HASH, {"a": 1, "b": 2}) == entry_hash(GENESIS_HASH, {"b": 2, "a": 1})
