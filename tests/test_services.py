"""The services that scripts/test-services.sh provides answer (tests/services.py)."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.services import CHROMIUM_ARGS, chromium_path, postgres_url

PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Летопись</title></head>
<body><h1 id="title">Летопись: проверка</h1><p>Київ, Москва, 2024</p></body></html>
"""


def test_postgres_answers():
    url = postgres_url()
    import psycopg
    with psycopg.connect(url, connect_timeout=10) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
        # Cyrillic text goes in and out unchanged.
        assert conn.execute("select %s::text", ["Летопись"]).fetchone() == ("Летопись",)


@pytest.fixture
def local_site(tmp_path):
    """A tiny page served by http.server on 127.0.0.1; yields its URL."""
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # keep the test output quiet
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_chromium_renders_a_local_page(local_site, tmp_path):
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    shot = tmp_path / "page.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            page = browser.new_page(viewport={"width": 480, "height": 200})
            page.goto(local_site, timeout=30_000)
            assert page.title() == "Летопись"
            assert page.inner_text("#title") == "Летопись: проверка"
            box = page.locator("#title").bounding_box()
            assert box is not None and box["width"] > 50 and box["height"] > 10
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 1000
