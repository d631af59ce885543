"""The JSON API, in process: every endpoint, its filters, pagination and errors."""

import json
import shutil
import time

import pytest
from fastapi.testclient import TestClient

from letopis.record import new_article

pytestmark = pytest.mark.models


def make_client(path, models, **options):
    from letopis.pipeline import default_pipeline
    from letopis.web import create_app

    app = create_app(str(path), pipeline_factory=lambda: default_pipeline(models=models), **options)
    return TestClient(app)


@pytest.fixture(scope="module")
def client(web_store, models):
    with make_client(web_store, models) as client:
        yield client


@pytest.fixture
def writable(web_store, models, tmp_path):
    path = tmp_path / "store.db"
    shutil.copyfile(web_store, path)
    with make_client(path, models) as client:
        yield client


@pytest.fixture(scope="module")
def seed_id(seed_text):
    return new_article(seed_text).id


@pytest.fixture(scope="module")
def blinken(client):
    return client.get("/api/entities/resolve", params={"name": "Блинкен"}).json()["id"]


def error_of(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    return error


# -- stats and articles ----------------------------------------------------------------------

def test_stats(client):
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 38
    assert stats["quotes"] > 100 and stats["events"] > 100
    assert any(person["name"] == "Энтони Блинкен" for person in stats["most_quoted"])


def test_articles_pages_are_stable_and_disjoint(client):
    first = client.get("/api/articles", params={"limit": 5}).json()
    again = client.get("/api/articles", params={"limit": 5}).json()
    second = client.get(first["next"].split("testserver")[1]).json()
    assert [a["id"] for a in first["items"]] == [a["id"] for a in again["items"]]
    assert len(first["items"]) == 5 and first["previous"] is None
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}
    assert second["offset"] == 5 and second["previous"]


def test_articles_filters(client):
    ukrainian = client.get("/api/articles", params={"lang": "uk"}).json()["items"]
    assert ukrainian and all(a["lang"] == "uk" for a in ukrainian)
    january = client.get("/api/articles", params={"since": "2022-01-01", "until": "2022-01-31"}).json()["items"]
    assert january and all("2022-01-01" <= a["day"] <= "2022-01-31" for a in january)


def test_articles_bad_filters(client):
    error = error_of(client.get("/api/articles", params={"since": "yesterday"}), 422)
    assert "since" in error["message"]
    error_of(client.get("/api/articles", params={"limit": 100000}), 422)
    error_of(client.get("/api/articles", params={"lang": "fr"}), 422)


def test_article_has_every_fact_with_spans(client, seed_id):
    result = client.get(f"/api/articles/{seed_id}").json()
    record = result["record"]
    text = record["text"]
    assert {zone["kind"] for zone in record["zones"]} >= {"title", "body", "boilerplate"}
    blinken = next(e for e in record["entities"] if e["name"] == "Энтони Блинкен")
    assert all(text[m["start"]:m["end"]] == m["text"] for m in blinken["mentions"])
    assert any(q["speaker"] == blinken["id"] for q in record["quotes"])
    assert any(e["status"] == "not_planned" for e in record["events"])
    assert all(text[x["start"]:x["end"]] == x["text"] for x in record["times"])
    assert result["entity_links"][blinken["id"]] > 0
    assert set(result["event_clusters"]) == {e["id"] for e in record["events"]}


def test_unknown_article(client):
    assert "no article" in error_of(client.get("/api/articles/0000000000000000"), 404)["message"]


# -- posting articles ------------------------------------------------------------------------

def test_post_text_then_read_it(writable):
    text = ("Лавров и Блинкен встретятся в Женеве\n\nГлава МИД России Сергей Лавров встретится с госсекретарем "
            "США Энтони Блинкеном в Женеве 21 января, сообщил Госдепартамент. «Мы готовы к диалогу», — "
            "заявил Блинкен журналистам.")
    response = writable.post("/api/articles", json={"text": text, "published": "2022-01-18", "outlet": "Тест"})
    assert response.status_code == 201, response.text
    stored = response.json()["articles"][0]
    assert stored["status"] == "stored" and stored["quotes"] >= 1
    record = writable.get(stored["url"]).json()["record"]
    assert record["meta"]["published"] == "2022-01-18" and record["meta"]["outlet"] == "Тест"
    assert any(e["name"] == "Энтони Блинкен" for e in record["entities"])
    again = writable.post("/api/articles", json={"text": text}).json()["articles"][0]
    assert again["status"] == "known" and again["id"] == stored["id"]


def test_post_plain_html_and_jsonl(writable):
    plain = writable.post("/api/articles?published=2022-02-01", content="Путин провел переговоры с Макроном в "
                          "Москве.\n\nПрезидент России Владимир Путин заявил, что переговоры были полезными.".encode(),
                          headers={"content-type": "text/plain; charset=utf-8"})
    assert plain.status_code == 201, plain.text
    html = ("<html><head><title>Шольц и Байден</title></head><body><article><h1>Шольц и Байден</h1><p>"
            + "Канцлер Германии Олаф Шольц встретился с президентом США Джо Байденом в Вашингтоне. " * 4
            + "</p></article></body></html>")
    assert writable.post("/api/articles", json={"html": html}).status_code == 201
    lines = [json.dumps({"text": "Кулеба провел переговоры с Блинкеном по телефону. " * 3, "lang": "ru"},
                        ensure_ascii=False), "{broken", json.dumps({"title": "без текста"})]
    batch = writable.post("/api/articles", content="\n".join(lines).encode(),
                          headers={"content-type": "application/x-ndjson"})
    assert batch.status_code == 201
    body = batch.json()
    assert len(body["articles"]) == 1
    assert sorted(e["error"]["reason"] for e in body["errors"]) == ["bad_json", "no_text"]


@pytest.mark.parametrize("kwargs, message", [
    ({"json": {"text": "   "}}, "nothing to process"),
    ({"json": {"title": "x"}}, '"text"'),
    ({"json": ["a list"]}, "one JSON object"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, "not valid JSON"),
    ({"content": b"x", "headers": {"content-type": "image/png"}}, "unsupported Content-Type"),
    ({"json": {"text": "Текст", "published": "вчера"}}, "published must be a date"),
])
def test_post_errors(writable, kwargs, message):
    assert message in error_of(writable.post("/api/articles", **kwargs), 400)["message"]


def test_post_from_another_site_is_refused(writable):
    response = writable.post("/api/articles", json={"text": "Текст"}, headers={"origin": "http://evil.example"})
    error_of(response, 403)
    response = writable.post("/api/articles", json={"text": "Текст"}, headers={"sec-fetch-site": "cross-site"})
    error_of(response, 403)


def test_body_size_limit(web_store, models, tmp_path):
    path = tmp_path / "store.db"
    shutil.copyfile(web_store, path)
    with make_client(path, models, max_body_bytes=2000) as client:
        error = error_of(client.post("/api/articles", json={"text": "слово " * 1000}), 413)
        assert "limit" in error["message"]
        assert client.get("/api/stats").status_code == 200


class SlowPipeline:
    def run_batch(self, items):
        time.sleep(1.0)
        return []


def test_processing_time_limit(web_store, tmp_path):
    from letopis.web import create_app

    path = tmp_path / "store.db"
    shutil.copyfile(web_store, path)
    app = create_app(str(path), pipeline_factory=SlowPipeline, process_timeout_s=0.2)
    with TestClient(app) as client:
        error = error_of(client.post("/api/articles", json={"text": "Медленная статья о переговорах."}), 504)
        assert "longer than" in error["message"]


# -- entities ----------------------------------------------------------------------------------

def test_entities_search_and_type(client):
    found = client.get("/api/entities", params={"q": "Блинкена"}).json()["items"]
    assert found[0]["name"] == "Энтони Блинкен"
    people = client.get("/api/entities", params={"type": "PER", "limit": 10}).json()
    assert len(people["items"]) == 10 and all(e["type"] == "PER" for e in people["items"])
    counts = [e["articles"] for e in people["items"]]
    assert counts == sorted(counts, reverse=True)
    assert client.get("/api/entities", params={"q": "Зюзюкин"}).json()["items"] == []
    error_of(client.get("/api/entities", params={"type": "XYZ"}), 422)


def test_resolve(client):
    assert client.get("/api/entities/resolve", params={"name": "Лавров"}).json()["name"] == "Сергей Лавров"
    error = error_of(client.get("/api/entities/resolve", params={"name": "Сергей"}), 400)
    assert len(error["candidates"]) > 1 and all({"id", "name", "type"} <= set(c) for c in error["candidates"])
    error_of(client.get("/api/entities/resolve", params={"name": "Зюзюкин"}), 404)
    error_of(client.get("/api/entities/resolve"), 422)


def test_entity_profile_timeline_cooccurring(client, blinken):
    profile = client.get(f"/api/entities/{blinken}").json()
    assert profile["entity"]["name"] == "Энтони Блинкен" and profile["counts"]["quotes"] > 10
    assert any("госсекретарь" in role["role"].lower() for role in profile["roles"])
    assert {a["alias"] for a in profile["aliases"]} >= {"Блинкен"}
    timeline = client.get(f"/api/entities/{blinken}/timeline", params={"by": "week"}).json()
    assert timeline["by"] == "week" and all("-W" in row["period"] for row in timeline["counts"])
    assert sum(row["quotes"] for row in timeline["counts"]) > 0
    with_him = client.get(f"/api/entities/{blinken}/cooccurring", params={"limit": 5}).json()["items"]
    assert len(with_him) == 5 and "Россия" in {e["name"] for e in with_him}
    error_of(client.get(f"/api/entities/{blinken}/timeline", params={"by": "hour"}), 422)
    error_of(client.get("/api/entities/999999"), 404)
    error_of(client.get("/api/entities/abc"), 422)


# -- quotes, events, search ---------------------------------------------------------------------

def test_quotes_filters(client, blinken):
    his = client.get("/api/quotes", params={"speaker": "Блинкен", "limit": 100}).json()
    assert his["filters"]["speaker"]["id"] == blinken
    assert his["items"] and all(q["speaker"]["id"] == blinken for q in his["items"])
    direct = client.get("/api/quotes", params={"kind": "direct", "limit": 20}).json()["items"]
    assert direct and all(q["kind"] == "direct" for q in direct)
    words = client.get("/api/quotes", params={"text": "встреча"}).json()["items"]
    assert words and all(q["snippet"]["marks"] for q in words)
    error_of(client.get("/api/quotes", params={"speaker": "Зюзюкин"}), 404)
    error_of(client.get("/api/quotes", params={"kind": "shouted"}), 422)


def test_events_between_and_status(client):
    found = client.get("/api/events", params=[("between", "Байден"), ("between", "Путин"),
                                              ("status", "not_planned")]).json()
    assert {a["name"] for a in found["filters"]["actors"]} == {"Джо Байден", "Владимир Путин"}
    meetings = [e for e in found["items"] if e["type"] == "CONSULT" and e["subtype"] == "meeting"]
    assert meetings and all(e["status"] == "not_planned" for e in found["items"])
    assert any((e["first_report"] or {}).get("outlet") == "Depo.ua" for e in meetings)
    event = client.get(f"/api/events/{meetings[0]['id']}").json()
    assert event["reports_list"] and event["status_history"][0]["status"] == "not_planned"
    assert event["first_report"]["id"] == event["reports_list"][0]["article_id"]


def test_events_errors_and_type_filter(client):
    threats = client.get("/api/events", params={"type": "THREATEN"}).json()["items"]
    assert threats and all(e["type"] == "THREATEN" for e in threats)
    error_of(client.get("/api/events", params={"between": "Байден"}), 400)
    error_of(client.get("/api/events", params={"actor": "Зюзюкин"}), 404)
    error_of(client.get("/api/events/999999"), 404)
    error_of(client.get("/api/events", params={"since": "2022-13-45"}), 422)


def test_search(client):
    result = client.get("/api/search", params={"q": "встреча", "limit": 5}).json()
    assert len(result["items"]) == 5
    for item in result["items"]:
        snippet = item["snippet"]
        assert snippet["marks"] and all(snippet["start"] <= a < b <= snippet["end"] for a, b in snippet["marks"])
    assert result["next"]
    error_of(client.get("/api/search"), 422)
    assert client.get("/api/search", params={"q": "зюзюкинщина"}).json()["items"] == []


# -- cross-cutting ------------------------------------------------------------------------------

def test_security_headers_and_unknown_route(client):
    response = client.get("/api/stats")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    error_of(client.get("/api/nothing-here"), 404)
    error_of(client.delete("/api/stats"), 405)


def test_openapi_lists_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/stats", "/api/articles", "/api/articles/{article_id}", "/api/entities", "/api/entities/resolve",
                 "/api/entities/{entity_id}", "/api/entities/{entity_id}/timeline",
                 "/api/entities/{entity_id}/cooccurring", "/api/quotes", "/api/events", "/api/events/{event_id}",
                 "/api/search"):
        assert path in paths, path
    assert "post" in paths["/api/articles"]
