"""bench/synth.py: a synthetic corpus from processed sample records (no models needed:
the source records are written by hand here, or made of the sample corpus's Russian
texts with a title and a body zone and no facts)."""

import gzip
import importlib.util
import json
import re
from collections import Counter

import pytest

from letopis.record import Article, article_id, validate
from letopis.store.dedup import DUPLICATE_THRESHOLD, content_text, signature, similarities
from tests.conftest import CORPUS, ROOT

spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
synth = importlib.util.module_from_spec(spec)
spec.loader.exec_module(synth)


def mention(text, words, word, normal, kind="name"):
    start = text.index(words)
    offset = words.index(word)
    return {"start": start + offset, "end": start + offset + len(word), "text": word, "normal": normal,
            "kind": kind, "ner_type": "PER", "link": None}


def make_record(text, entities, title=None):
    record = {"id": article_id(text), "text": text, "schema": "1.0",
              "meta": {"lang": "ru", "title": title, "published": "2022-01-27", "published_source": "text"},
              "zones": [{"kind": "title", "start": 0, "end": text.index("\n"), "rule": None},
                        {"kind": "body", "start": text.index("\n") + 2, "end": len(text), "rule": None}],
              "entities": entities, "quotes": [], "events": [], "times": [], "stages": {}}
    assert not validate(Article.from_dict(record))
    return record


TEXT_1 = ("Лавров ответил Блинкену\n\nМинистр иностранных дел Сергей Лавров заявил, что ответ США "
          "изучается. Лаврову задали вопрос о встрече с Энтони Блинкеном в Женеве. "
          "«Разговор возможен», — сказал Лавров.")
TEXT_2 = ("Песков прокомментировал визит в Минск\n\nПресс-секретарь Дмитрий Песков сообщил, что "
          "визит в Минск пока не планируется. По словам Пескова, дата будет согласована позже.")


def source_records():
    t1, t2 = TEXT_1, TEXT_2
    r1 = make_record(t1, [
        {"id": "e1", "type": "PER", "name": "Сергей Лавров", "key": "per:lavrov", "kb_id": "per:lavrov",
         "roles": [{"text": "Министр иностранных дел", "start": t1.index("Министр"),
                    "end": t1.index("Министр") + 23}],
         "mentions": [mention(t1, "Лавров ответил", "Лавров", "Лавров"),
                      mention(t1, "Сергей Лавров заявил", "Сергей Лавров", "Сергей Лавров"),
                      mention(t1, "Лаврову задали", "Лаврову", "Лавров"),
                      mention(t1, "сказал Лавров", "Лавров", "Лавров")]},
        {"id": "e2", "type": "PER", "name": "Энтони Блинкен", "key": "PER:энтони блинкен",
         "mentions": [mention(t1, "ответил Блинкену", "Блинкену", "Блинкен"),
                      mention(t1, "Энтони Блинкеном", "Энтони Блинкеном", "Энтони Блинкен")]},
        {"id": "e3", "type": "GPE", "name": "Женева", "key": "GPE:женева",
         "mentions": [mention(t1, "в Женеве", "Женеве", "Женева")]},
    ], title="Лавров ответил Блинкену")
    r1["quotes"] = [{"id": "q1", "kind": "direct", "start": t1.index("Разговор"), "end": t1.index("»"),
                     "speaker": "e1", "speaker_text": "Лавров", "speaker_start": t1.rindex("Лавров"),
                     "speaker_end": t1.rindex("Лавров") + 6}]
    r2 = make_record(t2, [
        {"id": "e1", "type": "PER", "name": "Дмитрий Песков", "key": "per:peskov", "kb_id": "per:peskov",
         "mentions": [mention(t2, "Песков прокомментировал", "Песков", "Песков"),
                      mention(t2, "Дмитрий Песков", "Дмитрий Песков", "Дмитрий Песков"),
                      mention(t2, "словам Пескова", "Пескова", "Песков")]},
        {"id": "e2", "type": "GPE", "name": "Минск", "key": "gpe:minsk", "kb_id": "gpe:minsk",
         "mentions": [mention(t2, "в Минск", "Минск", "Минск"),
                      mention(t2, "в Минск пока", "Минск", "Минск")]},
    ])
    return [r1, r2, tagged_record(), {"error": {"input": "x.html", "reason": "no_article"}}]


TEXT_3 = ("Стороны обсудили переговоры\n\nВ четверг стороны обсудили сроки договора, планы работы и "
          "итоги встречи. Эксперты изучили вопросы безопасности, поставки зерна и условия соглашения. "
          "«Работа продолжится», — заявил представитель делегации. Новые переговоры намечены на осень, "
          "участники назвали условия разумными, а выводы сделают позже.")


def tagged_record():
    """A record with tokens (every word a NOUN with no features, its lemma the lower-case
    word), an event trigger, a time and a quote cue, as the NLP stages would leave them."""
    t = TEXT_3
    record = make_record(t, [])
    tokens = [{"start": m.start(), "end": m.end(), "text": m.group(), "lemma": m.group().lower(), "pos": "NOUN",
               "feats": {}, "head": 0, "rel": "root"} for m in re.finditer(r"\w+", t)]
    record["sentences"] = [{"start": 0, "end": len(t), "zone": "body", "tokens": tokens}]
    trigger = t.index("переговоры намечены")
    record["events"] = [{"id": "v1", "type": "CONSULT", "trigger_start": trigger, "trigger_end": trigger + 10,
                         "trigger": "переговоры", "status": "planned", "source": [], "target": [],
                         "participants": []}]
    record["times"] = [{"id": "t1", "start": t.index("В четверг"), "end": t.index("В четверг") + 9,
                        "text": "В четверг", "value": "2022-01-27", "mod": None, "anchor": "published"}]
    record["quotes"] = [{"id": "q1", "kind": "direct", "start": t.index("Работа"), "end": t.index("»"),
                         "speaker": None, "speaker_text": "представитель делегации",
                         "speaker_start": t.index("представитель"), "speaker_end": t.index("представитель") + 23,
                         "cue": "заявил", "cue_start": t.index("заявил"), "cue_end": t.index("заявил") + 6}]
    assert not validate(Article.from_dict(record))
    return record


def corpus_records():
    """Records of the sample corpus's Russian UTF-8 texts: a title and a body zone, no
    facts (enough for the ordinary words; the real records need the models)."""
    records = []
    for path in sorted((CORPUS / "txt").glob("ru_*.txt")):
        try:
            text = path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n").rstrip()
        except UnicodeDecodeError:
            continue
        record = make_record(text, [])
        record["meta"]["title"] = text[:text.index("\n")]
        records.append(record)
    return records


def write_records(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def records_file(tmp_path_factory):
    return write_records(tmp_path_factory.mktemp("synth") / "records.jsonl", source_records())


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    return write_records(tmp_path_factory.mktemp("synth") / "corpus.jsonl", corpus_records())


def content_signature(record):
    return signature(content_text(Article.from_dict(record)))


def run(tmp_path, records_file, mode, count, seed=0, duplicates=0.05, name="out.jsonl", in_order=False):
    out = tmp_path / name
    synth.main([mode, "--count", str(count), "--from", str(records_file), "--out", str(out),
                "--seed", str(seed), "--duplicates", str(duplicates)] + (["--in-order"] if in_order else []))
    opener = gzip.open if name.endswith(".gz") else open
    with opener(out, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_records_validate_and_are_varied(tmp_path, records_file):
    records = run(tmp_path, records_file, "records", 400)
    assert len(records) == 400
    for data in records:
        article = Article.from_dict(data)
        assert validate(article) == []
        assert article.id == article_id(article.text)
        assert_spans_read_again(data)
        assert "2021" <= article.meta.published[:4] <= "2023"
        assert article.meta.url.startswith("https://") and ".example/" in article.meta.url
    names = Counter(e["name"] for r in records for e in r["entities"] if e["type"] == "PER")
    assert names["Сергей Лавров"] > 10  # a core of real names (133 articles from its source, 15% kept)
    assert len(names) > 60  # and many varied ones
    originals = {"Сергей Лавров", "Энтони Блинкен", "Дмитрий Песков"}
    for entity in (e for r in records for e in r["entities"] if e["type"] == "PER"):
        if entity["name"] not in originals:
            assert entity["key"] == "PER:" + entity["name"].lower() and entity["kb_id"] is None


def assert_spans_read_again(record):
    """Every field that copies a span of the text equals the text at that span."""
    text = record["text"]
    for item in synth.span_holders(record):
        for start, end, field in synth.SPAN_FIELDS:
            if item.get(field) is not None and item.get(start) is not None:
                assert text[item[start]:item[end]] == item[field], (field, item)


def test_ordinary_words_are_varied_outside_the_copied_spans(tmp_path, records_file):
    records = [r for r in run(tmp_path, records_file, "records", 300, duplicates=0.0) if r["text"].startswith(
        TEXT_3[:TEXT_3.index("\n")])]
    assert len(records) == 100
    changed = Counter()
    for record in records:
        assert_spans_read_again(record)
        assert record["zones"][-1]["start"] == len(TEXT_3) + 2  # same-length words: nothing moved
        assert record["events"][0]["trigger"] == "переговоры" and record["quotes"][0]["cue"] == "заявил"
        assert record["times"][0]["text"] == "В четверг"
        assert record["quotes"][0]["speaker_text"] == "представитель делегации"
        for token in record["sentences"][0]["tokens"]:
            assert token["lemma"] == token["text"].lower()  # a replaced token took its new word's lemma
            if token["text"] != TEXT_3[token["start"]:token["end"]]:
                old = TEXT_3[token["start"]:token["end"]]
                changed[old] += 1
                assert len(old) >= synth.MIN_WORD and old.islower() and token["text"].islower()
    assert len(changed) > 5 and sum(changed.values()) > 200  # about 30% of ~25 words, 100 times
    assert not {"переговоры", "заявил", "четверг", "представитель", "делегации"} & changed.keys()


def test_variants_of_one_source_are_not_near_copies(tmp_path, corpus_file):
    sources = len(corpus_records())
    records = run(tmp_path, corpus_file, "records", 4 * sources, duplicates=0.0)
    scores = []
    for first in range(sources):
        signatures = [content_signature(r) for r in records[first::sources]]
        for i, sig in enumerate(signatures):
            scores += similarities(sig, signatures[i + 1:])
    scores.sort()
    assert len(scores) == 6 * sources
    assert scores[-1] < DUPLICATE_THRESHOLD
    assert scores[len(scores) // 2] < 0.3


def test_explicit_copies_are_near_copies(tmp_path, corpus_file):
    records = run(tmp_path, corpus_file, "records", 200, duplicates=0.2)
    by_input = {r["meta"]["input_id"]: r for r in records}
    copies = [r for r in records if r["meta"].get("dup_of")]
    assert len(copies) > 20
    for copy in copies:
        original = by_input[copy["meta"]["dup_of"]]
        assert similarities(content_signature(copy), [content_signature(original)])[0] >= DUPLICATE_THRESHOLD


def test_ids_unique_and_duplicates_roughly_honoured(tmp_path, records_file):
    records = run(tmp_path, records_file, "records", 1000, duplicates=0.1)
    assert len({r["id"] for r in records}) == len(records)
    copies = [r for r in records if r["meta"].get("dup_of")]
    assert 0.06 < len(copies) / len(records) < 0.14
    by_input = {r["meta"]["input_id"]: r for r in records}
    for copy in copies[:50]:
        original = by_input[copy["meta"]["dup_of"]]
        body = original["text"][:original["zones"][-1]["start"]]
        assert copy["text"].startswith(body)
        assert copy["meta"]["outlet"] != original["meta"]["outlet"]
        assert copy["meta"]["url"] != original["meta"]["url"]


def test_in_order_the_articles_come_as_a_dump_does(tmp_path, records_file):
    records = run(tmp_path, records_file, "records", 300, in_order=True, duplicates=0.1)
    originals = [r["meta"]["published"] for r in records if not r["meta"].get("dup_of")]
    assert originals == sorted(originals)
    assert originals[0][:4] == "2021" and originals[-1][:4] == "2023"  # spread over the three years
    at_random = [r["meta"]["published"] for r in run(tmp_path, records_file, "records", 300, name="random.jsonl")]
    assert at_random != sorted(at_random)


def test_deterministic_for_a_seed(tmp_path, records_file, corpus_file):
    a = run(tmp_path, records_file, "records", 150, seed=7, name="a.jsonl")
    b = run(tmp_path, records_file, "records", 150, seed=7, name="b.jsonl.gz")
    c = run(tmp_path, records_file, "records", 150, seed=8, name="c.jsonl")
    assert a == b
    assert [r["id"] for r in a] != [r["id"] for r in c]
    d = run(tmp_path, corpus_file, "texts", 40, seed=3, name="d.jsonl")
    e = run(tmp_path, corpus_file, "texts", 40, seed=3, name="e.jsonl")
    f = run(tmp_path, corpus_file, "texts", 40, seed=4, name="f.jsonl")
    assert d == e
    body = [row["text"][:row["text"].rindex("\n\n")] for row in d]  # the footer has the serial: left out
    assert all(x != y for x, y in zip(body, (row["text"][:row["text"].rindex("\n\n")] for row in f)))


def test_texts_mode(tmp_path, records_file):
    rows = run(tmp_path, records_file, "texts", 200, duplicates=0.0)
    assert len(rows) == 200
    assert all({"id", "text", "title", "published", "outlet", "url"} <= row.keys() for row in rows)
    assert len({row["id"] for row in rows}) == len({row["text"] for row in rows}) == 200
    assert not any("dup_of" in row for row in rows)
    assert rows[0]["title"] and rows[0]["text"].startswith(rows[0]["title"])


def test_replacement_keeps_length_and_ending():
    for token, kind in (("Лавров", "PER"), ("Блинкен", "PER"), ("Женева", "GPE"), ("Sullivan", "PER")):
        for variant in (1, 2, 5, 50, 5000):
            new = synth.replacement(token, variant, kind)
            assert len(new) == len(token) and new[-1] == token[-1] and new[0].isupper()
    assert synth.substitute("Сергея Лаврова", {"Сергей": "Андрей", "Лавров": "Марков"}) == "Андрея Маркова"
