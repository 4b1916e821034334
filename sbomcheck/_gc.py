"""Keep the cyclic garbage collector out of the hot loops.

Reading and scanning a large SBOM allocates millions of small, long-lived, acyclic objects;
the collector would rescan them again and again for nothing. Pausing it halves the time of
every such step (shared/reference/performance.md). Reference counting still frees everything.

Where the collector is off for longer than one document (a batch audit run in one process,
a pool worker, the command line), `collect_between_documents` frees what reference counting
cannot, cycles, between documents (docs/performance.md, "The garbage collector").
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG_LIMIT = 100_000
"""Objects left alive since the last collection (`gc.get_count()[0]`, which counts while the
collector is off too) past which `collect_between_documents` runs one."""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic GC for the block, restoring the previous state after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_between_documents() -> None:
    """With the collector off, free the cycles of the documents done so far, once enough
    objects have been left since the last pass; with it on, do nothing (it runs by itself).

    Called between documents, when the one before is freed: the young generation then holds
    what outlived it (results, documents a batch keeps, cycles), and a pass over it alone is
    cheap. Each object is walked once (older generations are not), so a batch stays linear.
    """
    if not gc.isenabled() and gc.get_count()[0] >= YOUNG_LIMIT:
        gc.collect(0)
