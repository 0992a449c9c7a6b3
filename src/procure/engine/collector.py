"""Pausing Python's cyclic garbage collector around work that builds many objects and no
reference cycles (an evaluation, a report's layout): its passes over them cost as much
as the work itself (bench/engine_bench.py, bench/report_bench.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(keep_made: bool = False) -> Iterator[None]:
    """The collector off inside the block, restored after.

    `keep_made`: what the block made is long-lived (an evaluation's result is cached,
    shown, rendered), so before the collector resumes it is moved to the oldest
    generation (`freeze` then `unfreeze` relink the lists without visiting the objects);
    left in the youngest, its hundreds of thousands of entries would all be visited by
    the very next young collection, and again by the middle one, for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if keep_made:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
