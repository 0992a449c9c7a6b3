"""The collector pause around evaluations and report layouts."""

from __future__ import annotations

import gc

from procure.engine.collector import collector_paused


class Made:
    """Tracked by the collector, as the engine's messages are."""


def in_generation(obj: object, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation=generation))


def test_the_collector_is_off_inside_and_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    try:
        with collector_paused():
            assert not gc.isenabled()
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused(keep_made=True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_a_kept_block_made_goes_to_the_oldest_generation_and_nothing_else_does() -> None:
    try:
        with collector_paused(keep_made=True):
            kept = Made()
        gc.disable()  # no young collection may move anything while we look
        assert in_generation(kept, 2) and not in_generation(kept, 0)
        gc.enable()
        with collector_paused():
            young = Made()
        gc.disable()
        assert in_generation(young, 0)
    finally:
        gc.enable()
