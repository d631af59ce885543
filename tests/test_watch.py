"""Watchlists (letopis.watch), on SQLite and (when the suite has a server) PostgreSQL:
CRUD and name resolution, matching at ingest (entity, event type, status, quotes
about an entity, status changes of a followed event), no repeats across re-ingest,
near-duplicate copies and re-published statements, the transaction guarantees, the
cost with no watchlist, Atom feeds checked with feedparser, digests, and webhooks
against a local HTTP server that fails, then succeeds. Hand-built records, no models."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from letopis.store import open_store
from letopis.store.db import StoreError
from letopis.store.ingest import ingest
from letopis.store.query import Ambiguous, NotFound
from letopis.watch import matching
from letopis.watch.digest import matches, parse_since, render
from letopis.watch.feeds import clean, entity_feed, rfc3339, watchlist_feed
from letopis.watch.watchlists import Conflict, WatchedName, WatchError, Watchlist, add_watchlist, get_watchlist, \
    list_watchlists, remove_watchlist
from letopis.watch.webhooks import backoff, deliver_due, deliveries, utc
from tests.store_helpers import article, db, fail_storing  # noqa: F401  (db: the fixture)

BLINKEN = ("e1", "PER", "Энтони Блинкен", ["Энтони Блинкен", "Блинкен"], "per:blinken_antony", "USA")
LAVROV = ("e2", "PER", "Сергей Лавров", ["Сергей Лавров", "Лавров"], "per:lavrov_sergey", "RUS")
RUSSIA = ("e3", "GPE", "Россия", ["России", "Россия"], "gpe:russia", "RUS")

STATEMENT = "Россия должна немедленно отвести войска от границы"


FILLERS = [
    "Он напомнил, что Вашингтон и его партнёры готовы к дипломатии, но не позволят ставить под сомнение "
    "суверенитет соседей. Дипломат отметил, что ответ альянса на предложения России будет передан в письменном виде.",
    "Эксперты в студии спорили о том, насколько серьёзны эти слова и чем ответит Кремль на очередное "
    "предупреждение. Биржевые индексы в Москве после заявления снизились почти на два процента за день торгов.",
    "Накануне в Брюсселе прошло заседание совета, на котором министры обсуждали поставки газа и цены на "
    "электроэнергию. Представитель Еврокомиссии пообещал подготовить новые меры поддержки для домохозяйств.",
    "Корреспондент нашего издания сообщает, что в аэропорту усилены меры безопасности, а у здания посольства "
    "собрались несколько десятков демонстрантов с плакатами и флагами разных стран мира.",
    "Аналитики обращают внимание на то, что переговорный процесс затягивается уже несколько месяцев, а "
    "стороны так и не договорились даже о формате следующих консультаций на уровне заместителей министров.",
]


def statement(published="2022-01-10", outlet="Агентство", quote=STATEMENT, variant=0, title="Заявление Блинкена"):
    """Blinken says QUOTE in an article about Russia; VARIANT picks the rest of the
    text (the same variant twice is a near-duplicate copy, another one is not)."""
    text = (f"{title}\n"
            f"Государственный секретарь США Энтони Блинкен выступил в Берлине с речью о европейской безопасности. "
            f"«{quote}», — заявил Блинкен журналистам после встречи с союзниками. Речь шла о России. {FILLERS[variant]}")
    return article(text, published=published, outlet=outlet, entities=[BLINKEN, RUSSIA],
                   quotes=[("q1", quote, "e1")])


def talks(published="2022-01-12", status="planned", title="Переговоры", kind="CONSULT", variant=0):
    text = (f"{title}\nЭнтони Блинкен и Сергей Лавров проведут переговоры в Женеве, сообщили в Госдепартаменте. "
            f"Стороны обсудят гарантии безопасности, которых требует Россия. {FILLERS[variant]}")
    return article(text, published=published, entities=[BLINKEN, LAVROV, RUSSIA],
                   events=[{"type": kind, "subtype": "negotiations", "trigger": "переговоры", "status": status,
                            "participants": ["e1", "e2"]}])


def watch(db, name, entity=(), about=(), quotes=True, events=True, types=(), statuses=(), allow_new=False, **extra):
    names = [WatchedName("entity", item) for item in entity] + [WatchedName("about", item) for item in about]
    return add_watchlist(db, Watchlist(name=name, names=names, quotes=quotes, events=events, event_types=list(types),
                                       statuses=list(statuses), **extra), allow_new=allow_new)


def kinds(db, watchlist) -> list[str]:
    return [item["kind"] for item in matches(db, get_watchlist(db, watchlist.name))]


# -- CRUD and names -------------------------------------------------------------------------------

def test_a_watchlist_is_stored_with_its_resolved_entities_and_removed_with_its_matches(db):
    ingest(db, [statement()], None)
    added = watch(db, "Блинкен", entity=["Блинкен"], about=["Россия"], quotes=True, events=True,
                  types=["consult", "THREATEN"], statuses=["planned", "not planned"])
    assert added.id is not None and added.event_types == ["CONSULT", "THREATEN"]
    assert added.statuses == ["planned", "not_planned"]
    assert [(item.role, item.name, item.entity_name) for item in added.names] == \
        [("entity", "Блинкен", "Энтони Блинкен"), ("about", "Россия", "Россия")]
    assert get_watchlist(db, f"#{added.id}").name == get_watchlist(db, "Блинкен").name == "Блинкен"
    assert [item.name for item in list_watchlists(db)] == ["Блинкен"]
    with pytest.raises(Conflict, match="exists already"):
        watch(db, "Блинкен", entity=["Россия"])
    ingest(db, [statement(published="2022-01-11", quote="Мы не отступим от своих принципов", variant=1),
                statement(published="2022-01-12", quote="России придётся выбрать дипломатию", variant=2)], None)
    assert get_watchlist(db, "Блинкен").matches == 1  # the quote about Russia
    removed = remove_watchlist(db, "Блинкен")
    assert removed.matches == 1 and list_watchlists(db) == []
    assert db.value("SELECT count(*) FROM watch_matches") == 0
    assert db.value("SELECT count(*) FROM watch_entities") == 0
    with pytest.raises(NotFound):
        get_watchlist(db, "Блинкен")


def test_unknown_ambiguous_and_invalid_requests_are_refused_with_the_reason(db):
    ingest(db, [article("Первая\nАлександр Иванов выступил на форуме.",
                        entities=[("e1", "PER", "Александр Иванов", ["Александр Иванов"], None)]),
                article("Вторая\nСергей Иванов прокомментировал решение.",
                        entities=[("e1", "PER", "Сергей Иванов", ["Сергей Иванов"], None)])], None)
    with pytest.raises(Ambiguous) as error:
        watch(db, "Иванов", entity=["Иванова"])
    assert {candidate["name"] for candidate in error.value.candidates} == {"Александр Иванов", "Сергей Иванов"}
    with pytest.raises(NotFound, match="--new"):
        watch(db, "Некто", entity=["Валерий Залужный"])
    for bad, message in [(dict(types=["MEET"]), "unknown event type"), (dict(statuses=["held"]), "unknown status"),
                         (dict(webhook_url="ftp://x"), "http"), (dict(quotes=False, events=False), "neither")]:
        with pytest.raises(WatchError, match=message):
            watch(db, "Плохой", entity=["Александр Иванов"], **bad)
    with pytest.raises(WatchError, match="at least one"):
        watch(db, "Пустой")
    assert list_watchlists(db) == []  # nothing half-added


def test_a_name_not_in_the_store_yet_is_watched_and_resolved_by_the_article_that_brings_it(db):
    pending = watch(db, "Лавров", entity=["Сергей Лавров"], quotes=False, allow_new=True)
    assert pending.names[0].entity_id is None and pending.to_dict()["pending"] == ["Сергей Лавров"]
    ingest(db, [statement()], None)  # Lavrov is not in it: still pending
    assert get_watchlist(db, "Лавров").names[0].entity_id is None
    ingest(db, [talks()], None)
    resolved = get_watchlist(db, "Лавров")
    assert resolved.names[0].entity_name == "Сергей Лавров"
    assert kinds(db, resolved) == ["event"]  # the article that brought him already matched


# -- matching -------------------------------------------------------------------------------------

def test_a_quote_of_a_watched_speaker_is_told_once_across_reingest_copies_and_republications(db):
    watchlist = watch(db, "Блинкен", entity=["Энтони Блинкен"], quotes=True, events=False, allow_new=True)
    first = statement()
    summary = ingest(db, [first], None)
    assert kinds(db, watchlist) == ["quote"]
    assert summary.notifications == 1 and "1 new watchlist notifications" in "\n".join(summary.lines())
    assert ingest(db, [first], None).notifications == 0  # the same article again
    copy = article(first.text.replace("\n", "\n\n") + "\nЧитайте также: главные новости дня", published="2022-01-10",
                   outlet="Портал", entities=[BLINKEN, RUSSIA], quotes=[("q1", STATEMENT, "e1")])
    summary = ingest(db, [copy], None)
    assert summary.duplicates == 1 and summary.notifications == 0  # a near-duplicate copy: grouped, not told again
    edited = "Россия должна немедленно и полностью отвести войска от границы"
    updated = article(first.text.replace(STATEMENT, edited) + "\nПозже Блинкен добавил: «Мы ждём ответа до пятницы».",
                      published="2022-01-10", outlet="Лента", entities=[BLINKEN, RUSSIA],
                      quotes=[("q1", edited, "e1"), ("q2", "Мы ждём ответа до пятницы", "e1")])
    assert ingest(db, [updated], None).duplicates == 1  # a copy with the quote edited and a statement added
    assert [item["quote"]["text"] for item in matches(db, get_watchlist(db, "Блинкен"))] == \
        [STATEMENT, "Мы ждём ответа до пятницы"]  # only the new one is told
    other_outlet = statement(outlet="Другое издание", title="Блинкен потребовал от России отвести войска", variant=1)
    summary = ingest(db, [other_outlet], None)  # another article (not a copy) with the same statement
    assert summary.stored == 1 and summary.duplicates == 0
    assert db.value("SELECT count(*) FROM articles") == 4
    assert kinds(db, watchlist) == ["quote", "quote"]
    ingest(db, [statement(published="2022-01-11", quote="Мы не отступим от своих принципов", variant=2)], None)
    items = matches(db, get_watchlist(db, "Блинкен"))
    assert [item["quote"]["text"] for item in items] == [STATEMENT, "Мы ждём ответа до пятницы",
                                                         "Мы не отступим от своих принципов"]
    assert items[0]["quote"]["speaker"]["name"] == "Энтони Блинкен"
    assert items[0]["path"] == f"/articles/{first.id}#q-q1"


@pytest.mark.parametrize("mine, theirs, same", [
    ("Россия должна отвести войска", "Россия должна отвести войска.", True),  # punctuation
    ("Россия должна отвести войска", "РОССИЯ должна отвести войска", True),  # case
    ("Россия должна отвести войска", "Россия должна немедленно и полностью отвести войска", True),  # words added
    ("Россия должна отвести войска от границы с Украиной", "Россия должна отвести войска", True),  # cut
    ("Мы готовы к диалогу, но не позволим ставить под сомнение суверенитет наших соседей и партнёров",
     "Мы готовы к диалогу, но не позволим ставить под вопрос суверенитет наших соседей и партнёров", True),  # edited
    ("о событии номер 5", "о событии номер 12", False),  # another number: another statement
    ("Россия должна отвести войска", "США должны отвести войска", False),
    ("Мы ждём ответа до пятницы", "Россия должна отвести войска", False),
])
def test_a_copys_quote_is_the_same_statement_when_its_words_are(mine, theirs, same):
    def quote(text, speaker=1):
        return {"text": text, "speaker_id": speaker, "speaker_text": None}

    assert matching.same_statement(quote(mine), quote(theirs)) is same
    assert matching.same_statement(quote(mine), quote(theirs, speaker=2)) is False  # never another speaker's


def test_quotes_about_an_entity_match_only_when_it_is_named_inside_the_quote(db):
    watchlist = watch(db, "О России", about=["Россия"], quotes=True, events=False, allow_new=True)
    ingest(db, [statement(), statement(published="2022-01-11", quote="Мы не отступим от своих принципов",
                                       variant=1)], None)
    items = matches(db, get_watchlist(db, watchlist.name))
    assert [item["quote"]["text"] for item in items] == [STATEMENT]
    assert [entity["name"] for entity in items[0]["quote"]["about"]] == ["Россия"]


def test_events_match_by_entity_type_status_and_pair(db):
    ingest(db, [statement()], None)  # Blinken and Russia known
    planned = watch(db, "Встречи", entity=["Блинкен"], quotes=False, types=["CONSULT"], statuses=["planned"])
    threats = watch(db, "Угрозы", entity=["Блинкен"], quotes=False, types=["THREATEN"])
    pair = watch(db, "США–Россия", entity=["Блинкен"], about=["Россия"], quotes=False)
    everything = watch(db, "Всё", entity=["Блинкен"])
    ingest(db, [talks(status="not_planned", published="2021-11-01", title="Раньше", variant=1)], None)
    ingest(db, [talks(status="planned")], None)
    assert kinds(db, planned) == ["event"]  # the not-planned one of November did not match
    assert kinds(db, threats) == []
    assert kinds(db, pair) == []  # Russia is named, but not an actor of the talks
    assert kinds(db, everything) == ["event", "event"]  # the quote was stored before the watchlist
    event = matches(db, get_watchlist(db, "Встречи"))[0]["event"]
    assert event["type"] == "CONSULT" and event["status"] == "planned"
    assert {actor["name"] for actor in event["actors"]} == {"Энтони Блинкен", "Сергей Лавров"}


def test_a_followed_event_tells_its_status_changes_once_each(db):
    ingest(db, [statement()], None)
    followed = watch(db, "Встречи", entity=["Блинкен"], quotes=False, types=["CONSULT"], statuses=["planned"])
    ingest(db, [talks(status="planned")], None)
    ingest(db, [talks(status="planned", published="2022-01-13", title="Напоминание",
                      variant=1)], None)  # another report, same status: nothing new
    ingest(db, [talks(status="occurred", published="2022-01-14", title="Итоги", variant=2)], None)
    assert db.value("SELECT count(*) FROM event_clusters") == 1
    items = matches(db, get_watchlist(db, followed.name))
    assert [item["kind"] for item in items] == ["event", "status"]
    change = items[1]["event"]
    assert (change["previous_status"], change["status"]) == ("planned", "occurred")
    ingest(db, [talks(status="occurred", published="2022-01-15", title="Ещё итоги", variant=3)], None)
    assert kinds(db, followed) == ["event", "status"]


def test_a_status_change_is_told_even_by_an_article_that_does_not_name_the_watched_entity(db):
    ingest(db, [statement()], None)
    followed = watch(db, "Блинкен", entity=["Блинкен"], quotes=False)
    three = article("Переговоры\nЭнтони Блинкен и Сергей Лавров проведут переговоры, в которых участвует Россия. "
                    + FILLERS[1], published="2022-01-12", entities=[BLINKEN, LAVROV, RUSSIA],
                    events=[{"type": "CONSULT", "trigger": "переговоры", "status": "planned",
                             "participants": ["e1", "e2", "e3"]}])
    called_off = article("Отмена\nСергей Лавров сообщил, что переговоры с участием России отменены. " + FILLERS[2],
                         published="2022-01-14", entities=[LAVROV, RUSSIA],
                         events=[{"type": "CONSULT", "trigger": "переговоры", "status": "not_planned",
                                  "participants": ["e2", "e3"]}])
    ingest(db, [three], None)
    ingest(db, [called_off], None)
    assert db.value("SELECT count(*) FROM event_clusters") == 1
    items = matches(db, get_watchlist(db, followed.name))
    assert [item["kind"] for item in items] == ["event", "status"]
    assert items[1]["article"]["id"] == called_off.id
    assert (items[1]["event"]["previous_status"], items[1]["event"]["status"]) == ("planned", "not_planned")


def test_matches_are_stored_with_their_article_or_not_at_all(db, monkeypatch):
    watchlist = watch(db, "Блинкен", entity=["Энтони Блинкен"], allow_new=True, webhook_url="http://127.0.0.1:9/hook")
    real = matching.record

    def disk_full(*args):
        real(*args)
        raise StoreError("the disk is full")

    monkeypatch.setattr(matching, "record", disk_full)
    with pytest.raises(StoreError):
        ingest(db, [statement()], None)
    assert db.value("SELECT count(*) FROM articles") == 0
    assert db.value("SELECT count(*) FROM watch_matches") == 0
    assert db.value("SELECT count(*) FROM watch_deliveries") == 0
    monkeypatch.setattr(matching, "record", real)
    ingest(db, [statement()], None)  # the next run redoes it, whole
    assert kinds(db, watchlist) == ["quote"] and db.value("SELECT count(*) FROM watch_deliveries") == 1


@pytest.mark.parametrize("where", ["load", "match_stored"])
def test_a_matching_bug_never_costs_the_article(db, monkeypatch, where):
    watch(db, "Блинкен", entity=["Энтони Блинкен"], allow_new=True)

    def broken(*args):
        raise KeyError("oops")

    monkeypatch.setattr(matching, where, broken)
    summary = ingest(db, [statement()], None)
    assert summary.stored == 1 and summary.failed == 0
    error = db.row("SELECT stage, reason, detail FROM ingest_errors")
    assert error["stage"] == "watch" and error["reason"] == "match_failed" and "oops" in error["detail"]


def test_with_no_watchlist_matching_runs_no_query(db, monkeypatch):
    ingest(db, [statement()], None)  # loads (and caches) the empty watchlists
    calls = []
    real = db.execute
    monkeypatch.setattr(db, "execute", lambda *args: calls.append(args[0]) or real(*args))

    class Stored:
        duplicate_of = None

    assert matching.match_article(db, statement(), Stored()) == []
    assert calls == []


def test_a_watchlist_added_in_another_process_is_seen_within_a_second(db, monkeypatch):
    ingest(db, [statement()], None)
    assert matching.active(db) is None
    other = open_store(db.target)  # the web server, say
    try:
        watch(other, "Блинкен", entity=["Энтони Блинкен"])
    finally:
        other.close()
    cached = db._watch_cache
    db._watch_cache = (matching._generation, cached[1] - matching.RELOAD_S, None)  # a second later
    assert matching.active(db) is not None


# -- feeds -----------------------------------------------------------------------------------------

HOSTILE = 'Это <script>alert("x")</script> & ]]> «ложь»\x01\x0b\x1f конец'


def parse_feed(data: bytes):
    feedparser = pytest.importorskip("feedparser")
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_a_watchlist_feed_is_valid_atom_even_with_hostile_text(db):
    watchlist = watch(db, "Блинкен", entity=["Энтони Блинкен"], allow_new=True)
    ingest(db, [statement(quote=HOSTILE), talks(status="planned", variant=1)], None)
    data = watchlist_feed(db, get_watchlist(db, watchlist.name), "http://localhost:8000/")
    assert data.startswith(b"<?xml")
    parsed = parse_feed(data)
    assert parsed.version == "atom10"
    assert parsed.feed.title == "letopis: Блинкен"
    assert parsed.feed.id.startswith("tag:letopis,2024:watchlist/")
    entries = parsed.entries
    assert len(entries) == 2
    event, quote = entries  # newest first
    assert quote.link.startswith("http://localhost:8000/articles/") and quote.link.endswith("#q-q1")
    assert quote.id.startswith("tag:letopis,2024:quote/")
    assert "<script>" in quote.title  # kept as text
    assert "\x01" not in quote.title and "\x0b" not in quote.title  # control characters gone
    assert "Энтони Блинкен" in quote.title and quote.updated_parsed and quote.published.startswith("2022-01-10")
    assert "&lt;script&gt;" in quote.content[0].value  # escaped inside the HTML content
    assert event.link.endswith("#ev-ev1") and "planned" in event.title and "Сергей Лавров" in event.title
    assert "Энтони Блинкен и Сергей Лавров проведут <strong>переговоры</strong> в Женеве" in event.content[0].value
    assert {tag.term for tag in event.tags} >= {"event", "CONSULT", "status:planned"}
    again = parse_feed(watchlist_feed(db, get_watchlist(db, watchlist.name), "http://localhost:8000/"))
    assert [entry.id for entry in again.entries] == [entry.id for entry in entries]  # stable ids


def test_an_entity_feed_lists_its_quotes_and_events(db):
    ingest(db, [statement(quote=HOSTILE), talks(status="planned", variant=1)], None)
    entity = db.row("SELECT id, name, type FROM entities WHERE name = 'Энтони Блинкен'")
    parsed = parse_feed(entity_feed(db, entity, "http://localhost:8000"))
    assert parsed.feed.links[0].href == f"http://localhost:8000/feeds/entities/{entity['id']}.atom"
    titles = [entry.title for entry in parsed.entries]
    assert any(title.startswith("CONSULT negotiations") for title in titles)
    assert any("проведут <strong>переговоры</strong>" in entry.content[0].value for entry in parsed.entries)
    assert any(title.startswith("Энтони Блинкен: «Это <script>") for title in titles)


def test_feed_helpers():
    assert clean("a\x00b\x0bc\td\ud800e") == "abc\tde"
    assert rfc3339("2021-12-22") == "2021-12-22T00:00:00Z"
    assert rfc3339("2021-12-22T10:05") == "2021-12-22T10:05:00Z"
    assert rfc3339("2021-12-22 10:05:07+0300") == "2021-12-22T10:05:07+03:00"
    assert rfc3339("вчера") == "1970-01-01T00:00:00Z"


# -- digest ----------------------------------------------------------------------------------------

def test_a_digest_reads_as_text_markdown_and_escaped_html(db):
    watchlist = watch(db, "Блинкен", entity=["Энтони Блинкен"], allow_new=True)
    ingest(db, [statement(quote="Россия <b>должна</b> отвести войска *немедленно*"), talks(status="planned",
                                                                                          variant=1)], None)
    ingest(db, [talks(status="not_planned", published="2022-01-14", title="Отмена", variant=2)], None)
    watchlist = get_watchlist(db, watchlist.name)
    items = matches(db, watchlist)
    text = render(watchlist, items, "text")
    assert "3 notifications" in text and "Statements" in text and "Status changes" in text
    assert "planned → not_planned" in text and "Энтони Блинкен: «Россия <b>должна</b>" in text
    assert "CONSULT negotiations · planned: «Энтони Блинкен и Сергей Лавров проведут переговоры в Женеве, " in text
    markdown = render(watchlist, items, "markdown", base_url="http://localhost:8000")
    assert "## Statements" in markdown and r"\*немедленно\*" in markdown
    assert "(<http://localhost:8000/articles/" in markdown
    html = render(watchlist, items, "html")
    assert "<b>должна</b>" not in html and "&lt;b&gt;должна&lt;/b&gt;" in html
    assert html.startswith("<!doctype html>")
    later = matches(db, watchlist, since=items[-1]["matched_at"])
    assert [item["kind"] for item in later] == ["status"]
    assert "Nothing new" in render(watchlist, [], "text")


def test_since_takes_dates_times_and_spans():
    from datetime import datetime, timezone

    assert parse_since("2021-12-01") == "2021-12-01"
    assert parse_since("2021-12-01T08:00") == "2021-12-01T08:00:00.000000Z"
    clock = datetime(2022, 1, 2, 12, 0, tzinfo=timezone.utc)
    assert parse_since("36h", clock) == "2022-01-01T00:00:00.000000Z"
    with pytest.raises(ValueError, match="24h"):
        parse_since("yesterday")


# -- webhooks --------------------------------------------------------------------------------------

class Endpoint:
    """A local HTTP server answering each POST with the next status of ANSWERS."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.received: list[tuple[dict, bytes]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint.received.append((dict(self.headers), body))
                status = endpoint.answers.pop(0) if endpoint.answers else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_a_webhook_that_fails_then_succeeds_gets_the_match_once_with_backoff(db):
    with Endpoint([500, 200]) as endpoint:
        watch(db, "Блинкен", entity=["Энтони Блинкен"], allow_new=True, webhook_url=endpoint.url,
              webhook_secret="s3cret")
        ingest(db, [statement()], None)
        assert endpoint.received == []  # ingest never calls out: the delivery is only recorded
        pending = deliveries(db)
        assert [(row["state"], row["attempts"]) for row in pending] == [("pending", 0)]
        now = [1_900_000_000.0]
        clock = lambda: now[0]  # noqa: E731
        first = deliver_due(db, clock=clock, base_delay=10)
        assert (first.delivered, first.retrying) == (0, 1)
        row = deliveries(db)[0]
        assert row["state"] == "pending" and row["attempts"] == 1 and row["last_error"].startswith("HTTP 500")
        assert row["next_at"] == utc(now[0] + 10)
        assert deliver_due(db, clock=clock, base_delay=10).delivered == 0  # not due yet: nothing sent
        now[0] += 11
        second = deliver_due(db, clock=clock, base_delay=10, base_url="http://localhost:8000")
        assert (second.delivered, second.retrying, second.next_at) == (1, 0, None)
        row = deliveries(db)[0]
        assert row["state"] == "delivered" and row["attempts"] == 2 and row["last_error"] is None
        assert deliver_due(db, clock=clock).delivered == 0
    assert len(endpoint.received) == 2
    headers, body = endpoint.received[1]
    message = json.loads(body)
    assert message["type"] == "letopis.watch.match" and message["attempt"] == 2
    assert message["delivery_id"] == row["id"] and headers["X-Letopis-Delivery"] == str(row["id"])
    assert message["notification"]["quote"]["text"] == STATEMENT
    assert message["notification"]["url"].startswith("http://localhost:8000/articles/")
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Letopis-Signature"] == f"sha256={expected}"


def test_a_refusing_or_dead_webhook_is_recorded_and_given_up(db):
    with Endpoint([404]) as endpoint:
        watch(db, "Отказ", entity=["Энтони Блинкен"], allow_new=True, webhook_url=endpoint.url)
        watch(db, "Никого", entity=["Энтони Блинкен"], allow_new=True, webhook_url="http://127.0.0.1:9/nobody")
        ingest(db, [statement()], None)
        now = [1_900_000_000.0]
        outcome = deliver_due(db, clock=lambda: now[0], base_delay=1, max_attempts=2)
        assert (outcome.gave_up, outcome.retrying) == (1, 1)
        now[0] += 5
        assert deliver_due(db, clock=lambda: now[0], base_delay=1, max_attempts=2).gave_up == 1
    states = {row["url"]: row for row in deliveries(db)}
    assert states[endpoint.url]["state"] == "failed" and "HTTP 404" in states[endpoint.url]["last_error"]
    dead = states["http://127.0.0.1:9/nobody"]
    assert dead["state"] == "failed" and dead["attempts"] == 2 and "cannot connect" in dead["last_error"]


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n, 30) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(20, 30) == 3600


# -- the command line ------------------------------------------------------------------------------

def run(capsys, *argv) -> tuple[int, str, str]:
    from letopis.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_watch_commands_end_to_end(tmp_path, capsys):
    path = str(tmp_path / "store.db")
    db = open_store(path)
    ingest(db, [statement(), article("Первая\nАлександр Иванов выступил на форуме.",
                                     entities=[("e1", "PER", "Александр Иванов", ["Александр Иванов"], None)]),
                article("Вторая\nСергей Иванов прокомментировал решение.",
                        entities=[("e1", "PER", "Сергей Иванов", ["Сергей Иванов"], None)])], None)
    db.close()
    code, _, err = run(capsys, "watch", "add", "Встречи", "--entity", "Блинкен", "--events", "CONSULT,THREATEN",
                       "--status", "planned,not_planned", "--db", path)
    assert code == 0 and "«Встречи» added: Энтони Блинкен (#1): CONSULT/THREATEN (planned, not_planned)" in err
    code, out, _ = run(capsys, "watch", "add", "Блинкен", "--entity", "Блинкен", "--quotes", "--about", "Россия",
                       "--json", "--db", path)
    added = json.loads(out)
    assert code == 0 and added["quotes"] is True and added["events"] is False
    code, _, err = run(capsys, "watch", "add", "Иванов", "--entity", "Иванова", "--db", path)
    assert code == 2 and "matches 2 entities" in err and "Александр Иванов" in err and "Сергей Иванов" in err
    code, _, err = run(capsys, "watch", "add", "Залужный", "--entity", "Валерий Залужный", "--db", path)
    assert code == 2 and "--new" in err
    code, _, err = run(capsys, "watch", "add", "Залужный", "--entity", "Валерий Залужный", "--new", "--db", path)
    assert code == 0 and "not in the store yet" in err
    code, out, _ = run(capsys, "watch", "list", "--db", path)
    assert code == 0 and [line.split("\t")[1] for line in out.splitlines()] == ["Блинкен", "Встречи", "Залужный"]
    db = open_store(path)
    ingest(db, [statement(published="2022-01-11", quote="России придётся выбрать дипломатию", variant=1),
                talks(status="planned", variant=2)], None)
    db.close()
    code, out, _ = run(capsys, "watch", "digest", "Блинкен", "--since", "2000-01-01", "--db", path)
    assert code == 0 and "1 notification since 2000-01-01: 1 statements" in out and "выбрать дипломатию" in out
    code, out, _ = run(capsys, "watch", "digest", "Встречи", "--format", "markdown", "--db", path)
    assert code == 0 and "## Events" in out and "CONSULT negotiations · planned" in out
    code, out, _ = run(capsys, "watch", "digest", "Встречи", "--since", "24h", "--format", "json", "--db", path)
    assert code == 0 and json.loads(out)["items"][0]["event"]["type"] == "CONSULT"
    feed_path = tmp_path / "feed.atom"
    code, _, _ = run(capsys, "watch", "feed", "Встречи", "-o", str(feed_path), "--db", path)
    assert code == 0 and parse_feed(feed_path.read_bytes()).entries[0].link.startswith("http://127.0.0.1:8000/")
    code, _, err = run(capsys, "watch", "deliver", "--db", path)
    assert code == 0 and "0 delivered" in err
    code, _, err = run(capsys, "watch", "remove", "Встречи", "--db", path)
    assert code == 0 and "removed, with its 1 matches" in err
    code, _, err = run(capsys, "watch", "digest", "Встречи", "--db", path)
    assert code == 2 and "no watchlist" in err


def test_an_ingest_killed_with_sigkill_leaves_each_article_with_its_notifications(tmp_path):
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from tests.test_store_faults import ROOT, write_records

    records = tmp_path / "records.jsonl"
    write_records(records, 600)  # 600 articles, each with one new statement of Peskov
    db_path = str(tmp_path / "store.db")
    db = open_store(db_path)
    watch(db, "Песков", entity=["Дмитрий Песков"], allow_new=True, webhook_url="http://127.0.0.1:9/hook")
    db.close()
    command = [sys.executable, "-m", "letopis", "ingest", "--records", str(records), "--db", db_path,
               "--batch-size", "8", "--store-batch", "8", "--no-progress"]

    def counts() -> tuple[int, ...]:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return tuple(connection.execute(sql).fetchone()[0] for sql in (
                "SELECT count(*) FROM articles", "SELECT count(*) FROM articles WHERE dup_group <> id",
                "SELECT count(*) FROM watch_matches",
                "SELECT count(DISTINCT article_id) FROM watch_matches", "SELECT count(*) FROM watch_deliveries"))
        finally:
            connection.close()

    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
        try:
            if counts()[0] >= 40:
                break
        except sqlite3.Error:
            continue
    if process.poll() is not None:
        pytest.skip("the ingest finished before it could be killed (machine too fast for this check)")
    process.send_signal(signal.SIGKILL)
    process.wait()
    articles, copies, notifications, told, owed = counts()
    assert 0 < articles < 600 and copies > 0  # the short numbered articles group as near-duplicates
    # every stored article has its one notification and delivery, no more: each tells
    # another statement (another number), so a copy tells it too
    assert articles == notifications == told == owed
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert counts()[0] == counts()[2] == counts()[3] == counts()[4] == 600


def test_a_name_resolved_in_a_batch_that_is_stored_again_stays_resolved(db, monkeypatch):
    # a batch with a failing article is rolled back and stored again, one savepoint per
    # article: the resolution of a watched name the first pass made is made again
    watch(db, "Лавров", entity=["Сергей Лавров"], quotes=False, allow_new=True)
    bad = statement(variant=1)
    fail_storing(monkeypatch, bad.id)
    summary = ingest(db, [talks(), statement(), bad], None)  # the second reads the rules again
    assert (summary.stored, summary.failed) == (2, 1)
    resolved = get_watchlist(db, "Лавров")
    assert resolved.names[0].entity_name == "Сергей Лавров"
    assert kinds(db, resolved) == ["event"]
