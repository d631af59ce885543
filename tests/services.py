"""Where the tests find the external services they need (see docs/testing.md).

`make test` runs the suite through scripts/test-services.sh, which starts a
throwaway PostgreSQL server and finds Debian's Chromium, and passes them on in
LETOPIS_TEST_POSTGRES and LETOPIS_CHROMIUM.  Without a variable the tests that
need it skip, with the reason, except under CI=true, where they fail: CI must
never pass by silently skipping them.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import pytest

# Flags for Chromium in this sandbox: running as root needs --no-sandbox, and
# the background-networking flags keep it from calling out (there is no network).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI=true: these tests must run in CI, not skip)", pytrace=False)
    pytest.skip(reason)


def _required(var: str, what: str) -> str:
    value = os.environ.get(var, "").strip()
    if not value:
        _unavailable(
            f"{what} not available: run the suite through `make test` "
            f"(scripts/test-services.sh) or set {var}"
        )
    return value


def postgres_url() -> str:
    """The URL of a PostgreSQL database the tests may use (and fill), or skip."""
    return _required("LETOPIS_TEST_POSTGRES", "PostgreSQL")


def chromium_path() -> str:
    """The path of a Chromium executable for the browser tests, or skip."""
    path = _required("LETOPIS_CHROMIUM", "Chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"LETOPIS_CHROMIUM={path} is not an executable file", pytrace=False)
    return path


@contextmanager
def serving(app) -> Iterator[str]:
    """APP under uvicorn on a free port of 127.0.0.1, in a thread: its base URL, until
    the block ends."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
