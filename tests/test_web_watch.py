"""Watchlists on the web, in process: the /api/watchlists API, the Atom feeds under
/feeds/ (checked with feedparser), the watch forms of the entity and event pages and
the /watchlists pages. A store of hand-built records: no models."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from letopis.store import open_store
from letopis.store.ingest import ingest
from tests.test_watch import HOSTILE, statement, talks

feedparser = pytest.importorskip("feedparser")


@pytest.fixture
def store(tmp_path):
    path = str(tmp_path / "store.db")
    db = open_store(path)
    ingest(db, [statement(), talks(status="planned", variant=1)], None)
    db.close()
    return path


@pytest.fixture
def client(store):
    from letopis.web import create_app

    with TestClient(create_app(store)) as client:
        yield client


def add_more(path, records):
    db = open_store(path)
    try:
        return ingest(db, records, None)
    finally:
        db.close()


def entity_id(client, name):
    return client.get("/api/entities/resolve", params={"name": name}).json()["id"]


def test_the_api_adds_lists_shows_and_removes_watchlists(client):
    response = client.post("/api/watchlists", json={"name": "Встречи", "entities": ["Блинкен"],
                                                    "event_types": ["consult"], "statuses": ["planned"]})
    assert response.status_code == 201, response.text
    added = response.json()
    assert added["quotes"] is False and added["events"] is True  # only events were asked for
    assert added["event_types"] == ["CONSULT"] and added["names"][0]["entity_name"] == "Энтони Блинкен"
    assert added["feed"] == f"http://testserver/feeds/watchlists/{added['id']}.atom"
    assert [item["name"] for item in client.get("/api/watchlists").json()["items"]] == ["Встречи"]
    assert client.get(f"/api/watchlists/{added['id']}").json()["name"] == "Встречи"
    assert client.get("/api/watchlists/Встречи").json()["id"] == added["id"]
    taken = client.post("/api/watchlists", json={"name": "Встречи", "entities": ["Лавров"]})
    assert taken.status_code == 409 and "exists already" in taken.json()["error"]["message"]
    removed = client.delete(f"/api/watchlists/{added['id']}")
    assert removed.status_code == 200 and removed.json()["removed"]["name"] == "Встречи"
    assert client.get(f"/api/watchlists/{added['id']}").status_code == 404


def test_the_api_says_why_a_watchlist_cannot_be_added(client):
    unknown = client.post("/api/watchlists", json={"name": "X", "entities": ["Валерий Залужный"]})
    assert unknown.status_code == 404 and "allow_new" in unknown.json()["error"]["message"]
    pending = client.post("/api/watchlists", json={"name": "X", "entities": ["Валерий Залужный"], "allow_new": True})
    assert pending.status_code == 201 and pending.json()["pending"] == ["Валерий Залужный"]
    bad = client.post("/api/watchlists", json={"name": "Y", "entities": ["Блинкен"], "event_types": ["MEET"]})
    assert bad.status_code == 400 and "unknown event type" in bad.json()["error"]["message"]
    invalid = client.post("/api/watchlists", json={"entities": ["Блинкен"]})
    assert invalid.status_code == 422
    other_site = client.post("/api/watchlists", json={"name": "Z", "entities": ["Блинкен"]},
                             headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert other_site.status_code == 403
    assert client.delete("/api/watchlists/X", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403


def test_matches_reach_the_api_and_a_valid_feed_that_links_to_the_highlighted_fact(client, store):
    added = client.post("/api/watchlists", json={"name": "Блинкен", "entities": ["Блинкен"]}).json()
    add_more(store, [statement(published="2022-01-15", quote=HOSTILE, variant=2),
                     talks(status="planned", published="2022-01-15", title="Подтверждение", variant=3)])
    add_more(store, [talks(status="not_planned", published="2022-01-16", title="Отмена", variant=4)])
    items = client.get(f"/api/watchlists/{added['id']}/matches").json()["items"]
    assert [item["kind"] for item in items] == ["quote", "event", "status"]
    assert items[0]["url"].startswith("http://testserver/articles/") and items[0]["url"].endswith("#q-q1")
    response = client.get(f"/feeds/watchlists/{added['id']}.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0 and parsed.version == "atom10"
    status, event, quote = parsed.entries  # newest first; in the page's language (Russian by default)
    assert "Контакт переговоры" in status.title and "планируется → не планируется" in status.title
    assert "(планируется)" in event.title and "участники: Энтони Блинкен, Сергей Лавров" in event.content[0].value
    english = feedparser.parse(client.get(f"/feeds/watchlists/{added['id']}.atom", params={"lang": "en"}).content)
    assert english.bozo == 0 and "CONSULT negotiations" in english.entries[0].title
    assert "planned → not planned" in english.entries[0].title and "(planned)" in english.entries[1].title
    assert "participants: Энтони Блинкен" in english.entries[1].content[0].value
    assert parsed.feed.subtitle.endswith(": цитаты и события") and english.feed.subtitle.endswith(": quotes and events")
    page = client.get(quote.link.replace("http://testserver", ""))
    assert page.status_code == 200 and 'id="q-q1"' in page.text  # the anchor the feed links to
    event_page = client.get(status.link.replace("http://testserver", ""))
    anchor = status.link.split("#")[1]
    assert f'<span class="anchor" id="{anchor}"></span><a class="ev"' in event_page.text
    again = client.get(f"/feeds/watchlists/{added['id']}.atom", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""  # a reader polling an unchanged feed
    assert client.get("/feeds/watchlists/999.atom").status_code == 404
    bad_since = client.get(f"/api/watchlists/{added['id']}/matches", params={"since": "вчера"})
    assert bad_since.status_code == 400 and "24h" in bad_since.json()["error"]["message"]
    assert client.get(f"/feeds/watchlists/{added['id']}.rss").status_code == 404


def test_an_entity_feed_is_served_and_linked_from_its_page(client):
    blinken = entity_id(client, "Блинкен")
    response = client.get(f"/feeds/entities/{blinken}.atom")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0 and len(parsed.entries) == 2
    assert {entry.link.split("#")[1] for entry in parsed.entries} == {"q-q1", "ev-ev1"}
    page = client.get(f"/entities/{blinken}").text
    assert f'<link rel="alternate" type="application/atom+xml" href="/feeds/entities/{blinken}.atom"' in page
    assert client.get("/feeds/entities/424242.atom").status_code == 404


def test_the_watch_button_of_an_entity_page_adds_a_watchlist(client):
    blinken = entity_id(client, "Блинкен")
    page = client.get(f"/entities/{blinken}").text
    form = re.search(r'<form class="watch-button" action="/watchlists" method="post">(.*?)</form>', page, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    assert fields == {"name": "Энтони Блинкен", "entity": f"#{blinken}"}
    response = client.post("/watchlists", data={**fields, "quotes": "1", "events": "1"}, follow_redirects=False)
    assert response.status_code == 303
    shown = client.get(response.headers["location"])
    assert shown.status_code == 200 and "Энтони Блинкен" in shown.text and ".atom" in shown.text
    listed = client.get("/watchlists")
    assert "Энтони Блинкен" in listed.text and "<script>" not in listed.text
    assert "script-src 'self'" in listed.headers["content-security-policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", listed.text)  # no inline script


def test_the_watch_button_of_an_event_page_watches_the_pair_and_type(client):
    event_id = client.get("/api/events").json()["items"][0]["id"]
    page = client.get(f"/events/{event_id}").text
    form = re.search(r'<form class="watch-button" action="/watchlists" method="post">(.*?)</form>', page, re.S).group(1)
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)
    names = dict(fields)
    assert names["types"] == "CONSULT" and names["entity"].startswith("#") and names["about"].startswith("#")
    data = {}
    for key, value in [*fields, ("events", "1")]:
        data.setdefault(key, []).append(value)
    response = client.post("/watchlists", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    watchlist = client.get("/api/watchlists").json()["items"][0]
    assert watchlist["event_types"] == ["CONSULT"] and watchlist["quotes"] is False
    assert {item["entity_name"] for item in watchlist["names"]} == {"Энтони Блинкен", "Сергей Лавров"}


def test_the_form_shows_what_went_wrong(client):
    response = client.post("/watchlists", data={"name": "Никто", "entity": "Валерий Залужный", "quotes": "1"})
    assert response.status_code == 404 and "--new" in response.text
    assert 'value="Никто"' in response.text  # the form keeps what was typed
    cross = client.post("/watchlists", data={"name": "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403


def test_a_watchlist_page_lists_its_notifications_and_can_remove_it(client, store):
    added = client.post("/api/watchlists", json={"name": "Блинкен", "entities": ["Блинкен"]}).json()
    add_more(store, [statement(published="2022-01-15", quote="Мы не отступим от своих принципов", variant=2)])
    page = client.get(f"/watchlists/{added['id']}")
    assert "Мы не отступим от своих принципов" in page.text and "#q-q1" in page.text
    assert client.get(f"/watchlists/{added['id']}", params={"format": "json"}).json()["items"][0]["kind"] == "quote"
    removed = client.post(f"/watchlists/{added['id']}/remove", follow_redirects=False)
    assert removed.status_code == 303 and client.get("/api/watchlists").json()["items"] == []
