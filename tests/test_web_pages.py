"""The HTML pages in process: content, JSON twins, languages, errors, escaping; and the
article highlighter and timeline chart on hand-made records (no models)."""

import re
import shutil
from html import unescape

import pytest
from fastapi.testclient import TestClient

from letopis.record import new_article
from letopis.web.chart import auto_period, regroup, timeline_svg
from letopis.web.highlight import highlight


def t(key, **values):
    return key


# -- the highlighter and the chart (no store) ---------------------------------------------------

def record_result(text, **parts):
    record = {"text": text, "zones": [], "entities": [], "quotes": [], "events": [], "times": []}
    record.update(parts)
    return {"record": record, "entity_links": {"e1": 7}, "event_clusters": {"v1": 3}}


def test_highlight_nests_overlapping_spans_and_escapes():
    text = "<b>Блинкен</b> сказал: «встреча 21 декабря & точка»"
    start = text.index("встреча")
    result = record_result(
        text,
        zones=[{"kind": "body", "start": 0, "end": len(text)}],
        entities=[{"id": "e1", "type": "PER", "name": "Энтони Блинкен",
                   "mentions": [{"start": 3, "end": 10, "kind": "name"}]}],
        quotes=[{"id": "q1", "kind": "direct", "start": start, "end": len(text) - 1, "speaker": "e1"}],
        events=[{"id": "v1", "type": "CONSULT", "subtype": "meeting", "status": "not_planned",
                 "trigger": "встреча", "trigger_start": start, "trigger_end": start + 7}],
        times=[{"start": start + 8, "end": start + 18, "value": "2021-12-21"}],
    )
    html = str(highlight(result, t))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp; точка" in html
    without_label = re.sub(r'<a class="speaker"[^>]*>[^<]*</a>', "", html)
    assert unescape(re.sub(r"<[^>]+>", "", without_label)) == text  # every character once, in order
    assert '<a class="ent ent-PER m-name" data-entity="e1" title="Энтони Блинкен (PER)" href="/entities/7">' \
           'Блинкен</a>' in html
    assert html.count('data-quote="q1"') >= 3  # the label and the quote's pieces
    assert '<a class="speaker" id="q-q1" href="/entities/7"' in html
    assert 'href="/events/3"' in html and 'data-status="not_planned"' in html
    assert '<time class="tm" datetime="2021-12-21"' in html


def test_highlight_attribute_values_are_escaped():
    text = 'Он сказал: "x" onmouseover="alert(1)"'
    result = record_result(text, entities=[{"id": "e2", "type": "PER", "name": '"><script>alert(1)</script>',
                                            "mentions": [{"start": 0, "end": 2, "kind": "pronoun"}]}])
    html = str(highlight(result, t))
    assert "<script>" not in html and 'title="&#34;&gt;&lt;script&gt;' in html


def test_chart_regroups_and_fills_gaps():
    days = [{"period": "2022-01-03", "articles": 2, "quotes": 1, "events": 0},
            {"period": "2022-01-20", "articles": 1, "quotes": 0, "events": 3}]
    weeks = regroup(days, "week")
    assert [w["period"] for w in weeks] == ["2022-W01", "2022-W02", "2022-W03"]
    assert weeks[1] == {"period": "2022-W02", "articles": 0, "quotes": 0, "events": 0}
    assert auto_period(days) == "day" and auto_period([days[0], {**days[1], "period": "2023-06-01"}]) == "week"
    svg = str(timeline_svg(regroup(days, "day"), {"articles": "a", "quotes": "q", "events": "e"}, "<x>"))
    assert svg.startswith("<svg") and "&lt;x&gt;" in svg and svg.count('class="period"') == 18
    assert 'class="bar bar-quotes" data-count="1"' in svg and "style=" not in svg


# -- the pages over the store -------------------------------------------------------------------

pages = pytest.mark.models


@pytest.fixture(scope="module")
def client(web_store, models):
    from letopis.pipeline import default_pipeline
    from letopis.web import create_app

    with TestClient(create_app(web_store, pipeline_factory=lambda: default_pipeline(models=models))) as client:
        yield client


@pytest.fixture(scope="module")
def seed_id(seed_text):
    return new_article(seed_text).id


def get_html(client, path, status=200, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in response.text and " style=" not in response.text  # nothing inline
    return response.text


@pages
def test_home(client):
    html = get_html(client, "/")
    assert "Хроника" in html and 'lang="ru"' in html
    assert html.count('class="count"') >= 4 and "Энтони Блинкен" in html
    assert '<script src="/static/letopis.js" defer>' in html


@pages
def test_language_switch_is_remembered(web_store, models):
    from letopis.web import create_app

    with TestClient(create_app(web_store)) as client:
        html = get_html(client, "/?lang=en")
        assert 'lang="en"' in html and "Most quoted" in html
        assert 'lang="en"' in get_html(client, "/events")  # from the cookie
        assert 'lang="ru"' in get_html(client, "/events?lang=ru")
        assert 'lang="en"' in get_html(TestClient(client.app), "/", headers={"accept-language": "en-GB,en;q=0.9"})


@pages
def test_search_page_highlights(client):
    html = get_html(client, "/search?q=встречи")
    assert html.count("<mark>") >= 3 and 'class="result"' in html
    assert "ничего не найдено" not in html.lower()
    assert "Ничего не найдено" in get_html(client, "/search?q=зюзюкинщина")


@pages
def test_article_page(client, seed_id):
    html = get_html(client, f"/articles/{seed_id}")
    assert 'data-speaker="Энтони Блинкен"' in html and 'class="speaker"' in html
    assert 'class="z z-boilerplate"' in html and 'class="ev"' in html and 'class="tm"' in html
    assert re.search(r'<a class="ent ent-PER[^"]*"[^>]*href="/entities/\d+"', html)
    assert re.search(r'<a class="ev"[^>]*href="/events/\d+"', html)
    assert "не планируется" in html


@pages
def test_entity_page(client):
    entity_id = client.get("/api/entities/resolve", params={"name": "Блинкен"}).json()["id"]
    html = get_html(client, f"/entities/{entity_id}")
    assert '<h1 class="entity-name">Энтони Блинкен</h1>' in html
    assert '<svg class="chart"' in html and "bar-quotes" in html
    assert "госсекретарь США" in html and "Упоминается вместе с" in html
    assert get_html(client, f"/entities/{entity_id}?by=week").count("-W") >= 1
    data = client.get(f"/entities/{entity_id}?format=json").json()
    assert data["profile"]["entity"]["id"] == entity_id and data["quotes"]


@pages
def test_events_pages(client):
    html = get_html(client, "/events?actor=Байден&actor2=Путин&status=not_planned")
    assert 'data-status="not_planned"' in html and "Depo.ua" in html
    data = client.get("/events?actor=Байден&actor2=Путин&status=not_planned&format=json").json()
    event_id = next(e["id"] for e in data["events"] if e["subtype"] == "meeting")
    html = get_html(client, f"/events/{event_id}")
    assert "Первое сообщение" in html and "<mark>" in html
    assert "Выберите одного" not in html
    ambiguous = get_html(client, "/events?actor=Сергей", status=400)
    assert "Сергей Лавров" in ambiguous and "выберите одного" in ambiguous


@pages
@pytest.mark.parametrize("path", ["/articles", "/articles?lang=uk", "/entities", "/entities?q=Лавров&type=PER",
                                  "/quotes", "/quotes?speaker=Лавров&kind=direct", "/paste", "/docs"])
def test_other_pages(client, path):
    get_html(client, path)


@pages
@pytest.mark.parametrize("path, status", [("/nowhere", 404), ("/articles/0000", 404), ("/entities/999999", 404),
                                          ("/events/999999", 404), ("/events?since=вчера", 400),
                                          ("/events?type=DANCE", 400), ("/entities/abc", 422),
                                          ("/quotes?speaker=Зюзюкин", 404), ("/articles?offset=-1", 400)])
def test_error_pages(client, path, status):
    html = get_html(client, path, status=status)
    assert 'class="error-page"' in html and 'class="message"' in html
    assert client.get(path + ("&" if "?" in path else "?") + "format=json").json()["error"]["status"] == status


@pages
def test_every_page_has_a_json_twin(client, seed_id):
    assert client.get("/?format=json").json()["stats"]["articles"] == 38
    assert client.get(f"/articles/{seed_id}?format=json").json()["record"]["id"] == seed_id
    assert client.get("/search?q=встреча&format=json").json()["results"]
    assert client.get("/events?format=json").json()["events"]
    assert client.get("/quotes?format=json").json()["quotes"]


@pages
def test_paste_form_escapes_and_redirects(web_store, models, tmp_path):
    from letopis.pipeline import default_pipeline
    from letopis.web import create_app

    path = tmp_path / "store.db"
    shutil.copyfile(web_store, path)
    with TestClient(create_app(str(path), pipeline_factory=lambda: default_pipeline(models=models))) as client:
        text = ("Проверка <script>alert(1)</script>\n\nСергей Лавров заявил, что <img src=x onerror=alert(1)> "
                "переговоры продолжатся.")
        response = client.post("/paste", data={"text": text, "format": "auto"}, follow_redirects=False)
        assert response.status_code == 303
        html = get_html(client, response.headers["location"])
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<img src=x" not in html
        refused = client.post("/paste", data={"text": "  "})
        assert refused.status_code == 400 and 'role="alert"' in refused.text
        cross = client.post("/paste", data={"text": text}, headers={"origin": "http://evil.example"})
        assert cross.status_code == 403
