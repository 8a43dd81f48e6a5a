"""Pausing the cyclic garbage collector while a whole plan is loaded into memory.

Loading 10,000 tasks allocates a hundred thousand tuples and small objects; each 700
allocations trigger a collection, and the older generations are traversed again and again,
although these objects form no reference cycles to collect. Measured on the 10,000-task plan,
`load_facts` takes 0.30 s with the collector running and 0.18 s without.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block (nested uses are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
