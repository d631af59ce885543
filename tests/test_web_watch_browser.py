"""Watchlists in a real headless Chromium (when one is available: tests/services.py):
the watch button of an entity's page, the watchlist's page filling as articles are
ingested, and a notification's link landing on the highlighted fact. A store of
hand-built records: no models. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest

from letopis.store import open_store
from letopis.store.ingest import ingest
from tests.conftest import ROOT
from tests.services import serving
from tests.test_watch import statement, talks
from tests.test_web_watch import store  # noqa: F401  (the fixture: a store of two hand-built articles)

SHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture
def server(store):
    from letopis.web import create_app

    with serving(create_app(store)) as base:
        yield base, store


@pytest.fixture
def page():
    from tests.services import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
        page = context.new_page()
        page.set_default_timeout(20_000)
        problems = []
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss()))
        yield page
        assert not problems, f"errors in the browser: {problems}"
        browser.close()


def test_watch_an_entity_from_its_page_and_follow_a_notification_to_the_fact(server, page):
    base, path = server
    page.goto(f"{base}/entities?q=Блинкен")
    page.click("text=Энтони Блинкен")
    page.wait_for_selector("form.watch-button")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "watch-entity.png"))
    with page.expect_navigation(url="**/watchlists/*"):
        page.click("form.watch-button button[type=submit]")
    assert page.locator("h1").inner_text() == "Энтони Блинкен"
    assert page.locator(".watch-matches li").count() == 0
    db = open_store(path)  # the next ingest, while the page is open
    try:
        ingest(db, [statement(published="2022-01-14", quote="Мы не отступим от своих принципов", variant=3)], None)
    finally:
        db.close()
    page.reload()
    page.wait_for_selector(".watch-matches li.match-quote")
    page.screenshot(path=str(SHOTS / "watchlist.png"), full_page=True)
    with page.expect_navigation(url="**/articles/*#q-q1"):
        page.click(".watch-matches li.match-quote blockquote a")
    target = page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
    assert target == "q-q1"  # the speaker label of the quote, scrolled to
    assert page.locator("#q-q1").is_visible()
    outline = page.evaluate("getComputedStyle(document.querySelector('#q-q1 + .q')).outlineStyle")
    assert outline == "solid"  # the fact the feed entry points to stands out
    speaker = page.locator("#q-q1").get_attribute("href")
    report = page.request.get(f"{base}/api/events").json()["items"][0]["first_report"]["id"]
    page.goto(f"{base}/articles/{report}#ev-ev1")
    outline = page.evaluate("getComputedStyle(document.querySelector('#ev-ev1 + .ev')).outlineStyle")
    assert outline == "solid"
    page.screenshot(path=str(SHOTS / "watch-event-anchor.png"))
    page.goto(f"{base}/watchlists")
    page.wait_for_selector(".watchlist-row")
    page.screenshot(path=str(SHOTS / "watchlists.png"), full_page=True)
    feed = page.request.get(f"{base}/feeds/entities/{speaker.split('/')[-1]}.atom")
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
