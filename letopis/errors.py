"""Per-document errors: one record for each input that could not become an article.

A failure never stops a run. It is written to the output stream (or ``--errors FILE``)
as ``{"error": {"input": ..., "line": ..., "stage": ..., "reason": ..., "detail": ...}}``
and counted by reason in the run's summary.

Reasons are a fixed catalogue (``REASONS``) so summaries can be grouped and users can
look a reason up in ``docs/errors.md``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

REASONS = {
    "empty": "the input holds no text (or only white space)",
    "binary": "the input looks like binary data, not text",
    "undecodable": "the bytes could not be decoded in any supported encoding",
    "too_large": "the input is larger than the size limit (--max-bytes)",
    "unreadable": "the file could not be opened or read (permissions, I/O error)",
    "not_found": "the path does not exist",
    "bad_json": "a JSON Lines line is not valid JSON",
    "not_an_object": "a JSON Lines line is valid JSON but not an object",
    "no_text": "a JSON Lines object has neither `text` nor `html`",
    "bad_field": "a JSON Lines field has the wrong type (e.g. `text` is not a string)",
    "no_article": "the HTML page holds no article text",
    "bad_gzip": "a .gz file is corrupt or truncated",
    "stage_failed": "a processing stage raised an error on this document",
    "unsupported": "the input's kind is not supported",
    "store_failed": "the processed article could not be written to the store",
    "partition_failed": "the Dask partition holding this document kept failing (letopis process --dask)",
}


@dataclass
class DocumentError:
    input: str  # a path, "-" for stdin, or a label given by the caller
    reason: str  # a key of REASONS
    stage: str = "read"  # the stage that failed: read, clean, langid, nlp, ...
    line: int | None = None  # the line within a JSON Lines input (1-based)
    detail: str | None = None  # what exactly went wrong, and what to do about it
    article_id: str | None = None  # the article's id, when it got that far

    def __post_init__(self):
        if self.reason not in REASONS:
            raise ValueError(f"unknown error reason {self.reason!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"error": dataclasses.asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DocumentError":
        return cls(**data["error"])
