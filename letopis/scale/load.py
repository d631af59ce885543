"""``letopis load DIR``: the shards of ``letopis process --dask`` into the store.

The records go through ``letopis.store.ingest.ingest`` as finished records, in input
order, exactly as ``letopis ingest --records`` stores the JSON Lines of a single-process
run: registry links, near-duplicate groups, URL versions and event clusters are made
per article, incrementally, against what the store already holds. So the store is the
same whichever way the records were made, and loading again skips what is stored.
Error rows are counted and left in the errors shards, as ``ingest --records`` leaves the
error records of a processing run (``with_errors`` stores them in ``ingest_errors``).
Loading stops before the first partition not written yet: the ones after it wait for
the next load, so that articles always go in in input order.
"""

from __future__ import annotations

from typing import Callable, Iterator

from ..errors import DocumentError
from ..record import Article
from ..store.db import STORE_BATCH
from ..store.ingest import IngestSummary, ingest, record_error
from .shards import read_shards


def load(db, out: str, batch_size: int = STORE_BATCH, with_errors: bool = False,
         on_error: Callable[[DocumentError], None] | None = None,
         summary: IngestSummary | None = None, missing: list[str] | None = None) -> tuple[IngestSummary, int]:
    """Store the records of OUT's shards; (the ingest summary, error rows seen)."""
    summary = summary or IngestSummary()
    seen_errors = 0

    def records() -> Iterator[Article]:
        nonlocal seen_errors
        for item in read_shards(out, missing, in_order=True):
            if isinstance(item, DocumentError):
                seen_errors += 1
                if with_errors:
                    record_error(db, item)
                if on_error:
                    on_error(item)
                continue
            yield item

    ingest(db, records(), None, batch_size=batch_size, summary=summary)
    return summary, seen_errors
