from dataclasses import replace

from procure.domain.audit_chain import GENESIS_HASH, ChainEntry, Head, chain_key, entry_hash, verify_chain

KEY = chain_key(b"s" * 32)


def build_chain(count: int, key: bytes = KEY) -> list[ChainEntry]:
    entries, previous = [], GENESIS_HASH
    for sequence in range(1, count + 1):
        content = {"action": "update", "object_id": sequence, "after": {"hours": sequence * 10}}
        digest = entry_hash(key, previous, content)
        entries.append(ChainEntry(sequence, previous, digest, content))
        previous = digest
    return entries


def test_intact_chain_verifies():
    assert verify_chain(build_chain(5), KEY) is None


def test_altered_entry_is_named():
    chain = build_chain(5)
    chain[2] = replace(chain[2], content={**chain[2].content, "after": {"hours": 999}})
    problem = verify_chain(chain, KEY)
    assert (problem.sequence, problem.problem) == (3, "altered")


def test_removed_entry_is_named():
    chain = build_chain(5)
    del chain[1]
    problem = verify_chain(chain, KEY)
    assert (problem.sequence, problem.problem) == (2, "removed")


def test_reordered_entries_are_detected():
    chain = build_chain(5)
    # Swap the contents of entries 3 and 4 but keep the sequence numbers in order.
    third, fourth = chain[2], chain[3]
    chain[2] = replace(fourth, sequence=3)
    chain[3] = replace(third, sequence=4)
    problem = verify_chain(chain, KEY)
    assert (problem.sequence, problem.problem) == (3, "reordered")


def test_hash_does_not_depend_on_key_order():
    assert entry_hash(KEY, GENESIS_HASH, {"a": 1, "b": 2}) == entry_hash(KEY, GENESIS_HASH, {"b": 2, "a": 1})


def test_a_chain_built_with_another_key_does_not_verify():
    problem = verify_chain(build_chain(3, chain_key(b"t" * 32)), KEY)
    assert (problem.sequence, problem.problem) == (1, "altered")


def test_the_chain_key_is_not_the_secret():
    assert chain_key(b"s" * 32) != b"s" * 32 and len(chain_key(b"s" * 32)) == 32


def test_a_recorded_head_beyond_the_end_names_the_cut_entries():
    chain = build_chain(5)
    head = Head(5, chain[4].entry_hash, "printed in report R")
    assert verify_chain(chain, KEY, [head]) is None
    problem = verify_chain(chain[:3], KEY, [head])
    assert (problem.sequence, problem.problem) == (4, "removed")
    assert "entries 4–5 are missing" in problem.detail and "printed in report R" in problem.detail


def test_a_recorded_head_whose_entry_differs_is_a_rewrite():
    chain = build_chain(5)
    problem = verify_chain(chain, KEY, [Head(4, "f" * 64, "printed in report R")])
    assert (problem.sequence, problem.problem) == (4, "altered")


def test_an_empty_head_is_always_in_the_chain():
    assert verify_chain([], KEY, [Head(0, GENESIS_HASH)]) is None
