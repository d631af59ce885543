"""Paths to sources: files, directories (recursive, sorted), ``-`` for stdin, ``.gz``.

``expand_paths`` yields a ``Source`` per input to read, or a ``DocumentError`` for a
path that is missing or cannot be listed or opened. ``open_source`` gives the
(decompressed) byte stream and a way to tell how many input bytes it has consumed.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import sys
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable, Iterator

from letopis.errors import DocumentError

FORMATS = {
    ".txt": "txt", ".md": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
}
STDIN = "-"


@dataclass
class Source:
    input: str  # the path as given or as found under a given directory; "-" for stdin
    format: str | None  # txt, html, jsonl; "sniff" for stdin; None for an unknown extension
    path: str | None = None  # None for stdin
    gzipped: bool = False
    size: int = 0  # bytes on disk; 0 where unknown (stdin)


def expand_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Source | DocumentError]:
    """Sources in the order given; a single path may be passed as is."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for path in map(os.fspath, paths):
        if path == STDIN:
            yield Source(STDIN, "sniff")
        else:
            yield from expand_path(path)


def expand_path(path: str) -> Iterator[Source | DocumentError]:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        yield DocumentError(path, "not_found", detail="no such file or directory; check the path")
    except OSError as exc:
        yield unreadable(path, exc)
    else:
        if stat.S_ISDIR(info.st_mode):
            yield from walk_directory(path)
        else:
            yield file_source(path, info.st_size)


def walk_directory(path: str) -> Iterator[Source | DocumentError]:
    """Files of known formats under ``path``, sorted by name; hidden entries and symlinked
    directories are skipped."""
    try:
        with os.scandir(path) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield unreadable(path, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        full = os.path.join(path, entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from walk_directory(full)
            elif format_of(entry.name) and entry.is_file():
                yield file_source(full, entry.stat().st_size)
        except OSError as exc:
            yield unreadable(full, exc)


def file_source(path: str, size: int) -> Source:
    gzipped = path.lower().endswith(".gz")
    return Source(path, format_of(path), path, gzipped, size)


def format_of(name: str) -> str | None:
    """txt, html or jsonl by extension (the inner one for ``.gz``); None when unknown."""
    name = name.lower().removesuffix(".gz")
    return FORMATS.get(os.path.splitext(name)[1])


def open_source(source: Source) -> tuple[BinaryIO, Callable[[], int] | None]:
    """The byte stream (peekable, decompressed) and a function giving the input bytes
    consumed so far (None for stdin, where it is unknown). Raises OSError."""
    if source.path is None:
        stdin = sys.stdin.buffer
        return (stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin)), None
    if source.gzipped:
        stream = gzip.open(source.path, "rb")
        return stream, stream.fileobj.tell  # compressed bytes read so far
    stream = open(source.path, "rb")
    return stream, stream.tell


def sniff_format(head: bytes) -> str:
    """jsonl when the first character is ``{`` (or ``[``), html when ``<``, else txt."""
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")[:1]
    return {b"{": "jsonl", b"[": "jsonl", b"<": "html"}.get(start, "txt")


def unreadable(path: str, exc: OSError) -> DocumentError:
    return DocumentError(path, "unreadable", detail=(
        f"{getattr(exc, 'strerror', None) or exc}; check its permissions (or the disk), run again"))
