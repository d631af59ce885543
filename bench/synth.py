"""A synthetic corpus of any size from the sample corpus, for the store benchmarks.

    python bench/synth.py texts   --count N --out FILE.jsonl[.gz] [--from RECORDS.jsonl]
                                  [--seed S] [--duplicates 0.05]
    python bench/synth.py records --count N --from RECORDS.jsonl --out FILE.jsonl[.gz]
                                  [--seed S] [--duplicates 0.05]

Both modes start from letopis records of the sample corpus (``letopis process
examples/corpus --lean``; ``texts`` runs it itself when ``--from`` is not given) and
make article ``i`` from source record ``i mod sources``, varied:

- people and places: every PER and GPE entity is kept (``KEEP``: 15% of people, 35%
  of places) or becomes a variant: a name of the same length and ending from the
  lexicons below, then copies of it with a letter or two changed (always the same
  length and last two letters: ``Лавров`` -> ``Марков`` -> ``Мирков``). It is written
  into the text at every name mention, keeping the case ending (``Лаврову`` ->
  ``Маркову``), and into the entity's ``name``, ``key`` (``PER:марков``-style,
  ``kb_id`` dropped) and the mentions' ``text``/``normal``; same length, so no other
  span moves. Variant numbers have a heavy tail with a flattened head,
  ``P(variant >= v) = ((v + 5) / 6) ** -0.8``: variant 1 is drawn for about 12% of
  the renamed entities, variant 1,000 or more for under 2%. So a real name (kept 15%
  of the time) stays the most frequent form of its person, as the skew of real news
  has it, without being in a third of all articles: with the sample corpus, where
  Путин and Песков are each in 40% of the sources, each is in 6-7% of the articles
  and the commonest variant in under 5% (at 35% kept they were in 14% each, the
  commonest variant in 9.5%); Россия is in 29% (49% at 60% kept), США, an
  abbreviation and never renamed, in 60%. Which lexicon name a variant starts from
  also depends on a hash of the whole name, so variant 1 of two people of the same
  shape are two people;
- ordinary words: ``VARY`` (30%, a fixed share drawn per article) of the lower-case
  words of four letters or more in the lead and body, outside every span a field
  copies (mentions, roles, quote speakers and cues, event triggers, times), that the
  corpus has another word for, are replaced by another word of the
  sample corpus's own leads and bodies (``vocabulary``, read from the source records
  at start) of the same language and length: where the records have tagged tokens,
  one with the same ending, part of speech and features, else the same part of speech
  and features, else the same ending and part of speech; untagged, the same last two
  letters, else the last one. A replaced token takes the new word's lemma, part of
  speech and features. So two articles made from one source are not near-copies of
  each other: the estimated Jaccard of their leads and bodies (``letopis.store.dedup``;
  the store's threshold is 0.65) has a median of 0.13-0.18 in Russian (lean records,
  then tagged ones), 0.16-0.20 in Ukrainian and 0.27 in English, whose four sources
  give a small vocabulary; the highest of 28,860 pairs was 0.59. Only the
  ``--duplicates`` are found as copies (``bench/store.py --count 3000``: 134 articles
  flagged, exactly the 134 near-copies; 2,363 before the words were varied);
- every field that copies a span of the text (role, quote speaker and cue, event
  trigger, time text, sentence tokens) is read again from the new text; ``id`` is
  ``letopis.record.article_id`` of the new text;
- ``meta``: ``published`` spread over 2021-2023 (times' ``value``s are left as they
  are), ``outlet`` and ``url`` from a list of invented outlets on ``.example`` domains;
- a footer line with the article's serial number closes each text (a new boilerplate
  zone), so no two articles share an id by chance;
- ``--duplicates F``: that share of articles are near-copies of one of the last 256
  articles: the same text up to the footer, another outlet, URL, footer and a
  publication time a few hours later. ``meta.input_id`` / ``dup_of`` say which.

Deterministic for a seed (article ``i`` depends on the seed, ``i`` and the articles
before it only through the duplicate ring); memory stays constant whatever the count.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import zlib
from collections import deque
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from letopis.record import article_id  # noqa: E402

CORPUS = ROOT / "examples" / "corpus"
KEEP = {"PER": 0.15, "GPE": 0.35}  # the share of entities left as they are
ALPHA, OFFSET = 0.8, 5  # variant numbers: P(variant >= v) = ((v + OFFSET) / (1 + OFFSET)) ** -ALPHA
VARY = 0.3  # the share of the lead's and body's ordinary words replaced
MIN_WORD = 4  # shorter words (в, на, что, его) are left as they are
RING = 256  # near-copies are made of one of the last RING articles
START = datetime(2021, 1, 1, tzinfo=timezone(timedelta(hours=3)))
SPAN_SECONDS = int((datetime(2024, 1, 1, tzinfo=START.tzinfo) - START).total_seconds())

# Lexicons written for this script: common names and towns, matched to a source name
# by length and last two letters so the case endings stay right.
PERSON_WORDS = """
Иванов Петров Сидоров Смирнов Кузнецов Попов Васильев Соколов Михайлов Новиков Федоров
Морозов Волков Алексеев Лебедев Семенов Егоров Павлов Козлов Степанов Николаев Орлов
Андреев Макаров Никитин Захаров Зайцев Соловьев Борисов Яковлев Григорьев Романов
Воробьев Сергеев Кузьмин Фролов Александров Дмитриев Королев Гусев Киселев Ильин
Максимов Поляков Сорокин Виноградов Ковалев Белов Медведев Антонов Тарасов Жуков
Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоренко Марков
Мельников Щербаков Коваленко Бондаренко Шевченко Кравченко Ткаченко Гончаренко Савченко
Карпенко Руденко Левченко Марченко Мирошниченко Фомин Лазарев Медведко Носков Блинов
Сергей Андрей Алексей Николай Дмитрий Михаил Евгений Анатолий Валерий Геннадий Аркадий
Владимир Александр Константин Виктор Олег Игорь Павел Роман Петр Иван Илья Юрий Борис
Анна Мария Елена Ольга Ирина Наталья Татьяна Светлана Марина Юлия Ксения Дарья Вера
Виталий Василий Григорий Леонид Вадим Эдуард Арсений Тимофей Дмитро Микола Тарас Богдан
Вадим Степан Глеб Денис Антон Артем Кирилл Максим Руслан Данила Федор Семен Ярослав
Бориславский Голубинский Жуковский Каменский Ковальский Полянский Садовский Березовский
Островский Лозинский Зеленцов Кабанов Синицын Лисицын Голубев Журавлев Снегирев Зимин
Карпов Ершов Рыбаков Ребров Шубин Мухин Дятлов Чижов Крылов Уткин Гусаров Суханов
Харитонов Ефимов Тихонов Логинов Быков Кудрявцев Шестаков Белоусов Горбунов Калинин
Захарова Петрова Смирнова Иванова Кузнецова Соколова Попова Лебедева Новикова Морозова
Кравец Коваль Мельник Бойко Ткачук Олейник Лысенко Гриценко Нестеренко Кириленко
Smith Brown Miller Wilson Taylor Clark Lewis Walker Harris Martin Baker Turner Parker
Morris Cooper Warren Foster Bennett Hughes Palmer Fisher Porter Hunter Graham Sullivan
John David James Peter Robert Thomas Daniel Michael Anthony Richard Mark Paul Steven
"""
PLACE_WORDS = """
Москва Самара Казань Тверь Пермь Рязань Тула Омск Томск Курск Орел Брянск Калуга Липецк
Тамбов Пенза Саратов Воронеж Белгород Смоленск Псков Новгород Вологда Кострома Иваново
Ярославль Владимир Челябинск Тюмень Уфа Иркутск Чита Хабаровск Мурманск Архангельск
Киев Харьков Одесса Днепр Львов Полтава Чернигов Житомир Винница Херсон Сумы Ровно Луцк
Минск Гомель Витебск Брест Гродно Рига Вильнюс Таллин Варшава Прага Вена Берлин Женева
Берн Лиссабон Мадрид Рим Париж Лондон Осло Стокгольм Хельсинки Анкара Баку Ереван Тбилиси
Россошь Сызрань Кинешма Торжок Ржев Елец Муром Вязьма Ухта Нальчик Майкоп Махачкала
Астрахань Оренбург Ульяновск Кемерово Барнаул Норильск Сургут Магадан Находка Ижевск
Швеция Норвегия Австрия Бельгия Греция Румыния Словения Латвия Литва Эстония Сербия
Молдова Грузия Армения Канада Япония Индия Бразилия Аргентина Мексика Италия Испания
Boston Denver Dallas Austin Seattle Chicago Houston Phoenix Atlanta Detroit Oslo Geneva
"""
OUTLETS = [
    ("Международная панорама", "panorama-world"), ("Новости Дня", "novosti-dnya"),
    ("ПолитЛента", "politlenta"), ("Вектор-Инфо", "vector-info"), ("Обозреватель24", "obozrevatel24"),
    ("Дипломатический вестник", "dipvestnik"), ("Голос Дніпра", "golos-dnipra"),
    ("Київський вісник", "kyiv-visnyk"), ("Continental Wire", "continental-wire"),
    ("Деловой курьер", "delovoy-kurier"), ("Северная звезда", "severnaya-zvezda"),
    ("Вечерний экспресс", "vecherny-express"), ("Региональный обзор", "region-obzor"),
    ("Пульс недели", "puls-nedeli"), ("Городские ведомости", "gorod-vedomosti"),
    ("Эхо событий", "echo-sobytiy"), ("Курьер Поволжья", "kurier-povolzhya"),
    ("Балтийский час", "baltic-chas"), ("Новый горизонт", "novy-gorizont"),
    ("Atlantic Dispatch", "atlantic-dispatch"),
]
FOOTERS = [
    "Больше новостей читайте на «{outlet}» · материал № {serial}",
    "Источник: {outlet}. Номер материала: {serial}",
    "© {outlet}, материал {serial}",
    "{outlet} · новость № {serial} · Подписывайтесь на наш Telegram-канал",
]
VOWELS = set("аеиоуыэюяaeiouy")
LETTERS = {
    ("cyr", True): "аеиоуыэюя", ("cyr", False): "бвгдзклмнпрстфхц",
    ("lat", True): "aeiou", ("lat", False): "bcdfghklmnprstvz",
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.mode == "records" and not args.source:
        raise SystemExit("synth: records mode needs --from RECORDS.jsonl (letopis process ... -o RECORDS.jsonl)")
    sources = load_sources(args.source)
    made = write_lines(args.out, synthesize(sources, args.count, args.seed, args.duplicates, args.mode,
                                            in_order=args.in_order))
    print(f"synth: {made} {args.mode} from {len(sources)} source records -> {args.out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="A synthetic corpus of any size from the sample corpus.")
    parser.add_argument("mode", choices=("texts", "records"),
                        help="texts: articles as a scraper dump (id, text, title, published, outlet, url); "
                             "records: whole letopis records, spans kept valid")
    parser.add_argument("--count", type=int, required=True, help="articles to write")
    parser.add_argument("--out", required=True, help="output JSON Lines file (.gz to compress), - for stdout")
    parser.add_argument("--from", dest="source",
                        help="records made by `letopis process examples/corpus --lean -o FILE` "
                             "(texts mode runs it when this is not given)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--duplicates", type=float, default=0.05,
                        help="share of near-copies of earlier articles (default: 0.05)")
    parser.add_argument("--in-order", action="store_true",
                        help="publication dates in the order of the articles, as a dump comes (default: at random)")
    return parser


# --- sources ------------------------------------------------------------------------


def load_sources(path: str | None) -> list[str]:
    """The source records with a text (error records left out), in file order, as JSON
    (loading JSON is the fastest deep copy)."""
    if path is None:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "corpus.jsonl"
            subprocess.run([sys.executable, "-m", "letopis", "process", str(CORPUS), "-o", str(out),
                            "--lean", "--no-progress"], check=True, cwd=ROOT)
            return load_sources(str(out))
    with open_text(path, "r") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    records = [json.dumps(record, ensure_ascii=False) for record in records if record.get("text")]
    if not records:
        raise SystemExit(f"synth: no records with a text in {path}")
    return records


def open_text(path: str, mode: str):
    if path == "-":
        return sys.stdout if mode == "w" else sys.stdin
    if path.endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def write_lines(path: str, items: Iterator[dict]) -> int:
    out = open_text(path, "w")
    count = 0
    try:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
    finally:
        if out is not sys.stdout:
            out.close()
    return count


# --- the generator ------------------------------------------------------------------


def synthesize(sources: list[str], count: int, seed: int, duplicates: float, mode: str,
               in_order: bool = False) -> Iterator[dict]:
    """``count`` varied records (mode ``records``) or dump rows (mode ``texts``),
    published at random over the span, or (``in_order``) spread over it in order, as a
    scraper's dump comes (near-copies still follow their original by hours)."""
    ring: deque[tuple[dict, int]] = deque(maxlen=RING)  # (record, where its footer starts)
    words = vocabulary(sources)
    slots = [word_slots(json.loads(source), words) for source in sources]
    for serial in range(count):
        rng = random.Random(f"{seed}:{serial}")
        if ring and rng.random() < duplicates:
            record, _ = near_copy(*ring[rng.randrange(len(ring))], rng, serial)
        else:
            index = serial % len(sources)
            at = (serial + rng.random()) / count if in_order else None
            record, body_end = vary(json.loads(sources[index]), slots[index], rng, serial, at)
            ring.append((record, body_end))
        yield record if mode == "records" else as_text_row(record)


def vary(record: dict, slots: list[Slot], rng: random.Random, serial: int,
         at: float | None = None) -> tuple[dict, int]:
    """A fresh copy of a source record, varied (``slots``: its ordinary words that can be
    replaced, ``word_slots``), published at random or at AT (0..1) of the span."""
    old_text = record["text"]
    edits = []
    for entity in record["entities"]:
        if entity["type"] in KEEP and rng.random() >= KEEP[entity["type"]]:
            edits += rename(entity, record["text"], variant_number(rng), entity["type"])
    swaps = reword(slots, rng)
    edits += [(start, start + len(entry[0]), entry[0]) for start, entry in swaps.items()]
    text = apply_edits(record["text"], edits)
    reread_spans(record, text, edits)
    retag_tokens(record, swaps)
    record["text"] = text
    outlet, slug = OUTLETS[rng.randrange(len(OUTLETS))]
    offset = rng.randrange(SPAN_SECONDS) if at is None else int(at * SPAN_SECONDS)
    published = START + timedelta(seconds=offset)
    set_meta(record, outlet, slug, published, serial)
    title_zone = next((z for z in record["zones"] if z["kind"] == "title"), None)
    if title_zone and record["meta"].get("title") == old_text[title_zone["start"]:title_zone["end"]]:
        record["meta"]["title"] = text[title_zone["start"]:title_zone["end"]]
    else:
        record["meta"]["title"] = retitle(record["meta"].get("title"), edits, old_text)
    return finish(record, rng, outlet, serial)


def near_copy(original: dict, body_end: int, rng: random.Random, serial: int) -> tuple[dict, int]:
    """The same story re-published by another outlet a few hours later."""
    record = json.loads(json.dumps(original))
    record["text"] = record["text"][:body_end]
    record["zones"] = [zone for zone in record["zones"] if zone["end"] <= body_end]
    names = [pair for pair in OUTLETS if pair[0] != record["meta"]["outlet"]]
    outlet, slug = names[rng.randrange(len(names))]
    published = datetime.fromisoformat(record["meta"]["published"]) + timedelta(minutes=rng.randrange(10, 600))
    set_meta(record, outlet, slug, published, serial)
    record["meta"]["dup_of"] = original["meta"]["input_id"]
    return finish(record, rng, outlet, serial)


def finish(record: dict, rng: random.Random, outlet: str, serial: int) -> tuple[dict, int]:
    """Append the footer line (a boilerplate zone) and set the id; the record and the
    length of its text before the footer."""
    text = record["text"].rstrip("\n")
    footer = FOOTERS[rng.randrange(len(FOOTERS))].format(outlet=outlet, serial=f"{serial + 1:08d}")
    start = len(text) + 2
    record["text"] = f"{text}\n\n{footer}\n"
    record["zones"].append({"kind": "boilerplate", "start": start, "end": start + len(footer), "rule": "synth_footer"})
    record["id"] = article_id(record["text"])
    return record, len(text)


def set_meta(record: dict, outlet: str, slug: str, published: datetime, serial: int) -> None:
    meta = record["meta"]
    meta.update(outlet=outlet, outlet_source="metadata", published=published.isoformat(),
                published_source="metadata", input="synth", input_line=None, input_format="jsonl",
                input_id=f"syn-{serial + 1:08d}", encoding="utf-8",
                url=f"https://{slug}.example/news/{published:%Y/%m/%d}/{serial + 1:08d}.html")
    meta.pop("dup_of", None)


def as_text_row(record: dict) -> dict:
    meta = record["meta"]
    title = meta.get("title") or next(
        (record["text"][z["start"]:z["end"]] for z in record["zones"] if z["kind"] == "title"), None)
    row = {"id": meta["input_id"], "text": record["text"], "title": title, "published": meta["published"],
           "outlet": meta["outlet"], "url": meta["url"]}
    if meta.get("dup_of"):
        row["dup_of"] = meta["dup_of"]
    return row


# --- names ----------------------------------------------------------------------------


def variant_number(rng: random.Random) -> int:
    """1, 2, 3, ... with a heavy tail: a few variants of each name are frequent, most
    rare; the first is drawn about 12% of the time, less than a real name is kept."""
    return min(int((1 + OFFSET) * rng.paretovariate(ALPHA) - OFFSET), 1_000_000)


def rename(entity: dict, text: str, variant: int, kind: str) -> list[tuple[int, int, str]]:
    """Give the entity a varied name; return the text edits at its name mentions."""
    salt = zlib.crc32(entity["name"].encode("utf-8"))
    mapping = {token: replacement(token, variant, kind, salt) for token in entity["name"].split() if token_like(token)}
    if not mapping:
        return []
    entity["name"] = " ".join(mapping.get(token, token) for token in entity["name"].split())
    entity["key"] = f"{entity['type']}:{entity['name'].lower()}"
    entity["kb_id"] = None
    edits = []
    for mention in entity["mentions"]:
        if mention["kind"] != "name" or text[mention["start"]:mention["end"]] != mention["text"]:
            continue
        new = substitute(mention["text"], mapping)
        if mention.get("normal"):
            mention["normal"] = substitute(mention["normal"], mapping)
        if new != mention["text"]:
            edits.append((mention["start"], mention["end"], new))
    return edits


def token_like(token: str) -> bool:
    """A capitalised word of three letters or more; abbreviations (США, ЕС) are kept."""
    return len(token) >= 3 and token.isalpha() and token[0].isupper() and not token.isupper()


def substitute(phrase: str, mapping: dict[str, str]) -> str:
    """Each word of ``phrase`` that inflects a mapped name token gets the replacement's
    stem and keeps its own ending: ``Лаврову`` with {Лавров: Марков} -> ``Маркову``."""
    words = phrase.split(" ")
    for i, word in enumerate(words):
        for token, new in mapping.items():
            shared = common_prefix(word, token)
            if shared >= max(2, len(token) - 2):
                words[i] = new[:shared] + word[shared:]
                break
    return " ".join(words)


def common_prefix(a: str, b: str) -> int:
    size = 0
    for x, y in zip(a, b):
        if x != y:
            break
        size += 1
    return size


_LEXICONS: dict[str, dict[tuple[int, str], list[str]]] = {}


def lexicon(kind: str) -> dict[tuple[int, str], list[str]]:
    """Lexicon words by (length, last two letters)."""
    if kind not in _LEXICONS:
        table: dict[tuple[int, str], list[str]] = {}
        for word in (PERSON_WORDS if kind == "PER" else PLACE_WORDS).split():
            table.setdefault((len(word), word[-2:].lower()), []).append(word)
        _LEXICONS[kind] = table
    return _LEXICONS[kind]


def replacement(token: str, variant: int, kind: str, salt: int = 0) -> str:
    """The same length and last two letters as ``token``; a function of the token, the
    variant number and ``salt`` (a hash of the whole name, so that variant 1 of two
    names of the same shape are two people) alone, so a variant is the same person in
    every article."""
    table = lexicon(kind)
    choices = [word for word in table.get((len(token), token[-2:].lower()), []) if word != token]
    if not choices:  # the same last letter at least: -а, -я, -й, a consonant
        choices = [word for (size, end), words in table.items() if size == len(token) and end[-1] == token[-1]
                   for word in words if word != token]
    if choices:
        base = choices[(variant - 1 + salt) % len(choices)]
        level = (variant - 1) // len(choices)
    else:
        base, level = token, variant
    return mutate(base, level) if level else base


def mutate(word: str, level: int) -> str:
    """Change one or two letters before the last two, vowel for vowel and consonant for
    consonant, case kept: a new name that declines like the old one."""
    rng = random.Random(f"{word}:{level}")
    positions = [i for i in range(1, len(word) - 2) if word[i].isalpha()] or [0]
    letters = list(word)
    for _ in range(1 + level % 2):
        i = rng.choice(positions)
        lower = letters[i].lower()
        pool = LETTERS[("lat" if lower.isascii() else "cyr", lower in VOWELS)]
        new = rng.choice([c for c in pool if c != lower])
        letters[i] = new.upper() if letters[i].isupper() else new
    return "".join(letters)


def retitle(title: str | None, edits: list[tuple[int, int, str]], old_text: str) -> str | None:
    """The metadata title with the same words replaced as in the text."""
    if not title:
        return title
    for start, end, new in edits:
        title = title.replace(old_text[start:end], new)
    return title


# --- ordinary words -------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]+")
Entry = tuple[str, str | None, str | None, tuple | None]  # form, and its token's lemma, pos, feats (sorted items)
Slot = tuple[int, str, list[Entry]]  # where a replaceable word starts, the word, its choices


class Vocabulary:
    """The lower-case words of the sample records' leads and bodies, by language, length
    and last two letters, and, where the records have tokens, by part of speech and
    grammatical features as well (the tagger's own reading of that occurrence)."""

    def __init__(self) -> None:
        self.buckets: dict[tuple, dict[Entry, None]] = {}

    def add(self, lang: str | None, entry: Entry) -> None:
        for key in self.keys(lang, entry[0], entry[2], entry[3]):
            self.buckets.setdefault(key, {})[entry] = None

    def freeze(self) -> "Vocabulary":
        self.buckets = {key: list(entries) for key, entries in self.buckets.items()}
        return self

    @staticmethod
    def keys(lang: str | None, form: str, pos: str | None, feats: tuple | None) -> tuple[tuple, ...]:
        """The buckets a word goes into and is looked up in, the closest first: the same
        length, ending, part of speech and features; the same length and grammar with
        another ending; the same length, ending and part of speech; untagged words by
        length and last two letters, then last letter."""
        if pos:
            return ((lang, len(form), form[-2:], pos, feats), (lang, len(form), pos, feats),
                    (lang, len(form), form[-2:], pos))
        return (lang, len(form), form[-2:]), (lang, len(form), form[-1:])

    def choices(self, lang: str | None, form: str, token: dict | None) -> list[Entry]:
        """The closest bucket holding another word for ``form`` (its token, where it has
        a tagged one, says its part of speech and features); empty when there is none."""
        pos = token.get("pos") if token else None
        feats = feature_items(token) if pos else None
        for key in self.keys(lang, form, pos, feats):
            entries = self.buckets.get(key, ())
            if any(entry[0] != form for entry in entries):
                return entries
        return []


def pick(entries: list[Entry], form: str, rng: random.Random) -> Entry:
    """One of the entries other than ``form`` itself, at random (the next one along
    when the draw is ``form``)."""
    index = rng.randrange(len(entries))
    while entries[index][0] == form:
        index = (index + 1) % len(entries)
    return entries[index]


def vocabulary(sources: list[str]) -> Vocabulary:
    """The sample corpus's own words, read from the source records once."""
    words = Vocabulary()
    for source in sources:
        record = json.loads(source)
        lang, tokens = record.get("meta", {}).get("lang"), tokens_by_start(record)
        for start, form in ordinary_words(record):
            token = tokens.get(start) if tokens else None
            if token is not None and token.get("text") == form and token.get("pos"):
                words.add(lang, (form, token.get("lemma"), token["pos"], feature_items(token)))
            elif token is not None or not tokens:
                words.add(lang, (form, None, None, None))
    return words.freeze()


def ordinary_words(record: dict) -> Iterator[tuple[int, str]]:
    """(start, word) of each lower-case word of ``MIN_WORD`` letters or more in the lead
    and body zones, outside every span that a field of the record copies."""
    text = record["text"]
    held = held_mask(record)
    for zone in record.get("zones", ()):
        if zone["kind"] not in ("lead", "body"):
            continue
        for match in WORD.finditer(text, zone["start"], zone["end"]):
            form = match.group()
            if len(form) >= MIN_WORD and form.islower() and not any(held[match.start():match.end()]):
                yield match.start(), form


def held_mask(record: dict) -> bytearray:
    """1 at every character inside a span that a field copies (mentions, roles, quote
    speakers and cues, event triggers, times); tokens are read again instead."""
    mask = bytearray(len(record["text"]))
    for item in span_holders(record, tokens=False):
        for start, end, field in SPAN_FIELDS:
            s, e = item.get(start), item.get(end)
            if field in item and s is not None and e is not None and e > s:
                mask[s:e] = b"\x01" * (e - s)
    return mask


def feature_items(token: dict) -> tuple:
    return tuple(sorted((token.get("feats") or {}).items()))


def tokens_by_start(record: dict) -> dict[int, dict]:
    return {token["start"]: token for sentence in record.get("sentences", ()) for token in sentence.get("tokens", ())}


def word_slots(record: dict, words: Vocabulary) -> list[Slot]:
    """(start, word, its choices) of each ordinary word of a source record that the
    corpus has another word for; worked out once per source."""
    lang, tokens = record.get("meta", {}).get("lang"), tokens_by_start(record)
    slots = []
    for start, form in ordinary_words(record):
        token = tokens.get(start)
        entries = words.choices(lang, form, token if token is not None and token.get("text") == form else None)
        if entries:
            slots.append((start, form, entries))
    return slots


def reword(slots: list[Slot], rng: random.Random) -> dict[int, Entry]:
    """``VARY`` of the slots, drawn at random, each given one of its choices: {start: the
    new word's entry}. A fixed share, not a coin per word, so that no variant keeps
    most of its source's wording."""
    chosen = sorted(rng.sample(range(len(slots)), round(VARY * len(slots))))
    return {slots[i][0]: pick(slots[i][2], slots[i][1], rng) for i in chosen}


def retag_tokens(record: dict, swaps: dict[int, Entry]) -> None:
    """A token whose word was replaced takes the new word's lemma, part of speech and
    features (its text was read again by ``reread_spans``)."""
    if not swaps:
        return
    for token in (token for sentence in record.get("sentences", ()) for token in sentence.get("tokens", ())):
        entry = swaps.get(token["start"])
        if entry is not None and entry[2] is not None and token.get("text") == entry[0]:
            token["lemma"], token["pos"], token["feats"] = entry[1], entry[2], dict(entry[3])


# --- spans ----------------------------------------------------------------------------


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Equal-length replacements; an edit overlapping an earlier one is skipped."""
    parts, last = [], 0
    for start, end, new in sorted(edits):
        if start < last or len(new) != end - start:
            continue
        parts += [text[last:start], new]
        last = end
    parts.append(text[last:])
    return "".join(parts)


SPAN_FIELDS = (("start", "end", "text"), ("speaker_start", "speaker_end", "speaker_text"),
               ("cue_start", "cue_end", "cue"), ("trigger_start", "trigger_end", "trigger"))


def reread_spans(record: dict, new_text: str, edits: list[tuple[int, int, str]]) -> None:
    """Every field that copied a span of the old text and overlaps an edit copies it
    from the new text."""
    if not edits:
        return
    old_text = record["text"]
    changed = bytearray(len(old_text))
    for start, end, _ in edits:
        changed[start:end] = b"\x01" * (end - start)
    for item in span_holders(record, tokens=False):
        for start, end, field in SPAN_FIELDS:
            s, e = item.get(start), item.get(end)
            if s is not None and e is not None and changed.find(1, s, e) >= 0 and item.get(field) == old_text[s:e]:
                item[field] = new_text[s:e]
    for sentence in record.get("sentences", ()):  # the bulk: a loop of their own
        for token in sentence.get("tokens", ()):
            s, e = token["start"], token["end"]
            if changed.find(1, s, e) >= 0 and token.get("text") == old_text[s:e]:
                token["text"] = new_text[s:e]


def span_holders(record: dict, tokens: bool = True) -> Iterator[dict]:
    for entity in record.get("entities", ()):
        yield from entity.get("mentions", ())
        yield from entity.get("roles", ())
    if tokens:
        for sentence in record.get("sentences", ()):
            yield from sentence.get("tokens", ())
    yield from record.get("quotes", ())
    yield from record.get("events", ())
    yield from record.get("times", ())


if __name__ == "__main__":
    sys.exit(main())
