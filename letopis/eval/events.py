"""``letopis eval events``: event frames against the team's dev gold or factRuEval Meetings.

Dev gold (``tests/gold/events.jsonl``, format in ``docs/gold-events.md``): each article
is read with ``letopis.read.read_paths`` (or taken inline), run through the default
pipeline plus the time, quotes and events stages, and its events are paired with the
gold's one to one: the triggers share a character and the types are equal (largest
overlap first). Four levels, each a precision / recall / F1 over all events:

- ``trigger``: the pair exists (trigger overlap and type);
- ``actors``: and the actors are right — for joint types (CONSULT, AGREE, COOPERATE)
  the set of all actors, for the others ``source`` and ``target`` each — every gold name
  matching a distinct predicted entity and no entity left over;
- ``status``: and the status is equal;
- ``full``: actors and status both right (the main figure).

A gold name matches an entity when it equals (case and ё aside) its canonical name or
the normal form of one of its name mentions, is within two edits of the canonical name
(the tolerance factRuEval uses) or of its last words (a neighbouring word the Ukrainian
recognizer keeps: "України Володимир Зеленський") once the letters Russian and Ukrainian
spell differently are folded together ("Володимир Зеленський", "Владимир Зеленский"), is a full name whose surname is the
canonical name ("Путин" where the article gives no first name), or names the same country
or organization ("США", "Соединенные Штаты"; "ЕС", "Евросоюз"). A gold name may list
alternatives separated by "|".

factRuEval-2016 (``--format factru PATH``): the Meeting facts of the devset's ``.facts``
files, scored as the official track-3 script does (``dialent/task3/eval.py``): facts
cluster per document by an exhaustive search maximising F1; a cluster's quality is
(argument F + argument F × identification) / 2; arguments match by Levenshtein
distance ≤ 2 against any name of the gold object; facts marked "сложность повышенная"
are ignored (easy mode, the default) or facts with a modality are removed (``--hard``).
letopis's Meeting facts are its CONSULT events with two or more participants, at least one
a person, one fact per distinct participant set and document, each participant given by
its canonical name.

NEREL (``--format nerel PATH``): triggers and participants against NEREL's EVENT
mentions and PARTICIPANT_IN / AGENT relations, in nerel.py.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

from ..record import Article, Meta, new_article
from .datasets import DatasetError
from .score import Counts

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = ROOT / "tests" / "gold" / "events.jsonl"
LEVELS = ("trigger", "actors", "status", "full")
JOINT_TYPES = ("CONSULT", "AGREE", "COOPERATE")
MEETING_SUBTYPES = ("meeting", "negotiations", "summit", "talks", "call", "video call", "visit",
                    "consultations", "contact", "discussion")
MAX_EDITS = 2


# --- the gold --------------------------------------------------------------------------


@dataclass
class GoldEvent:
    type: str
    start: int
    end: int
    trigger: str
    status: str
    subtype: str | None = None
    participants: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    place: str | None = None
    time: dict | None = None
    reported_by: str | None = None
    note: str | None = None


@dataclass
class GoldArticle:
    input: str
    line: int | None
    article_id: str
    lang: str
    events: list[GoldEvent]
    published: str | None = None
    published_source: str | None = None
    set: str = "corpus"
    text: str | None = None


def read_gold(path: str | Path = DEFAULT_GOLD) -> list[GoldArticle]:
    articles = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            data["events"] = [GoldEvent(**event) for event in data["events"]]
            articles.append(GoldArticle(**data))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}:{number}: not a gold article ({error})") from error
    return articles


def find_input(name: str) -> Path | None:
    for base in (Path.cwd(), ROOT):
        if (base / name).exists():
            return base / name
    return None


def read_articles(gold: list[GoldArticle]) -> tuple[list[tuple[GoldArticle, Article]], list[str]]:
    """(gold, article) pairs for the articles read as they were annotated; problems."""
    from ..read import read_paths

    pairs, problems = [], []
    for item in gold:
        label = item.input + (f":{item.line}" if item.line else "")
        found = None
        if item.text is not None:
            found = new_article(item.text, Meta(input=item.input, input_format="txt", lang=item.lang))
        elif (path := find_input(item.input)) is not None:
            published = item.published if item.published_source == "given" else None
            found = next((a for a in read_paths([path], published=published)
                          if isinstance(a, Article) and a.meta.input_line == item.line), None)
        if found is None:
            problems.append(f"{label}: not found")
        elif found.id != item.article_id:
            problems.append(f"{label}: the text changed (article id {found.id})")
        else:
            pairs.append((item, found))
    return pairs, problems


# --- the pipeline ------------------------------------------------------------------------


def events_pipeline(models=None, batch_size: int = 32):
    """The default pipeline plus the time, quotes and events stages it lacks."""
    from ..events import VERSION, extract_events
    from ..pipeline import Pipeline, Stage, default_pipeline

    pipeline = default_pipeline(models, batch_size=batch_size)
    stages, names = list(pipeline.stages), {s.name for s in pipeline.stages}
    if "times" not in names:
        from ..times import VERSION as TIMES_VERSION, extract_times

        stages.append(Stage("times", TIMES_VERSION, needs=("sentences",), sets=("times", "meta.published"),
                            run=extract_times))
    if "quotes" not in names:
        from ..quotes import VERSION as QUOTES_VERSION, extract_quotes

        stages.append(Stage("quotes", QUOTES_VERSION, needs=("sentences", "entities"), sets=("quotes",),
                            run=extract_quotes))
    if "events" not in names:
        stages.append(Stage("events", VERSION, needs=("sentences", "entities"), sets=("events",),
                            run=extract_events))
    return Pipeline(stages, batch_size=batch_size)


# --- names and actors ----------------------------------------------------------------------


def fold(name: str) -> str:
    return " ".join(name.lower().replace("ё", "е").split())


UK_RU_LETTERS = str.maketrans({"і": "и", "ї": "и", "є": "е", "э": "е", "ґ": "г", "ы": "и", "й": "и", "ь": None,
                               "'": None, "’": None})


def spelling(name: str) -> str:
    """A name with the letters that Russian and Ukrainian spell differently folded
    together ("Володимир Зеленський", "Владимир Зеленский": "володимир зеленскии",
    "владимир зеленскии"), so that a gold name in one language is within two edits of
    the same person's canonical name in the other."""
    return fold(name).translate(UK_RU_LETTERS)


def edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(current[j - 1] + 1, previous[j] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def country_of_name(name: str) -> str | None:
    """The country a name names ("соединенные штаты": USA), or the row of
    letopis/data/events/organizations.tsv it is in ("евросоюз" is "ес")."""
    from ..events.lexicon import lexicon

    lex = lexicon()
    return lex.countries.get(fold(name)) or lex.organization_rows.get(fold(name))


def name_fits(gold_name: str, entity) -> bool:
    for alternative in gold_name.split("|"):
        wanted = fold(alternative)
        known = {fold(entity.name)} | {fold(m.normal or m.text) for m in entity.mentions if m.kind in ("name", "metonymy")}
        if wanted in known or edits(spelling(wanted), spelling(entity.name)) <= MAX_EDITS:
            return True
        if entity.type == "PER" and " " not in fold(entity.name) and wanted.split()[-1] == fold(entity.name):
            return True  # the article names him by his surname only ("Путин и Эрдоган")
        size = len(wanted.split())
        if size > 1 and edits(spelling(wanted), " ".join(spelling(entity.name).split()[-size:])) <= MAX_EDITS:
            return True  # a neighbouring word kept in a Ukrainian name: "України Володимир Зеленський"
        code = country_of_name(wanted)
        if code and any(country_of_name(k) == code for k in known):
            return True
    return False


def same_actors(gold_names: list[str], entity_ids: list[str], entities: dict) -> bool:
    """Every gold name matches a distinct entity, and no entity is left over."""
    found = [entities[i] for i in dict.fromkeys(entity_ids) if i in entities]
    if len(found) != len(gold_names):
        return False
    return assign(list(gold_names), found)


def assign(names: list[str], found: list) -> bool:
    if not names:
        return True
    first, rest = names[0], names[1:]
    return any(name_fits(first, entity) and assign(rest, found[:i] + found[i + 1:]) for i, entity in enumerate(found))


def actors_right(gold: GoldEvent, event, entities: dict) -> bool:
    if gold.type in JOINT_TYPES:
        wanted = list(dict.fromkeys(gold.participants + gold.source + gold.target))
        return same_actors(wanted, event.participants + event.source + event.target, entities)
    return (same_actors(gold.source, event.source, entities) and same_actors(gold.target, event.target, entities)
            and same_actors(gold.participants, event.participants, entities))


# --- scoring -------------------------------------------------------------------------------


@dataclass
class EventsReport:
    gold_path: str
    documents: int = 0
    counts: dict[str, dict[str, Counts]] = field(default_factory=dict)  # level -> type/"all"/group -> counts
    place: list[int] = field(default_factory=lambda: [0, 0])  # right, gold places on full pairs
    time: list[int] = field(default_factory=lambda: [0, 0])
    seconds: dict[str, float] = field(default_factory=dict)
    chars: int = 0
    problems: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def add(self, level: str, keys, kind: str) -> None:
        table = self.counts.setdefault(level, {})
        for key in keys:
            counts = table.setdefault(key, Counts())
            setattr(counts, kind, getattr(counts, kind) + 1)

    @property
    def cost_share(self) -> float | None:
        nlp = self.seconds.get("nlp")
        return self.seconds.get("events", 0.0) / nlp if nlp else None

    def to_dict(self) -> dict:
        return {
            "task": "events", "gold": self.gold_path, "documents": self.documents, "chars": self.chars,
            "levels": {level: {key: c.to_dict() for key, c in table.items()} for level, table in self.counts.items()},
            "place": {"right": self.place[0], "gold": self.place[1]},
            "time": {"right": self.time[0], "gold": self.time[1]},
            "seconds": {name: round(s, 4) for name, s in self.seconds.items()},
            "events_share_of_nlp": None if self.cost_share is None else round(self.cost_share, 4),
            "problems": self.problems, "errors": self.errors,
        }


def pair_events(gold: list[GoldEvent], predicted: list) -> list[tuple[int, int]]:
    candidates = []
    for g, item in enumerate(gold):
        for p, event in enumerate(predicted):
            shared = min(item.end, event.trigger_end) - max(item.start, event.trigger_start)
            if shared > 0 and item.type == event.type:
                candidates.append((-shared, g, p))
    pairs, used_g, used_p = [], set(), set()
    for _, g, p in sorted(candidates):
        if g not in used_g and p not in used_p:
            pairs.append((g, p))
            used_g.add(g)
            used_p.add(p)
    return pairs


def score_article(item: GoldArticle, article: Article, report: EventsReport) -> None:
    entities = {e.id: e for e in article.entities}
    times = {t.id: t for t in article.times}
    label = item.input + (f":{item.line}" if item.line else "")
    groups = [f"lang {item.lang}", f"set {item.set}"]
    pairs = pair_events(item.events, article.events)
    right = {level: set() for level in LEVELS}
    for g, p in pairs:
        gold, event = item.events[g], article.events[p]
        actors_ok = actors_right(gold, event, entities)
        status_ok = gold.status == event.status
        for level, ok in (("trigger", True), ("actors", actors_ok), ("status", status_ok),
                          ("full", actors_ok and status_ok)):
            if ok:
                right[level].add((g, p))
        if actors_ok and status_ok:
            score_setting(gold, event, entities, times, report)
        else:
            report.errors.append(error_record(label, gold, event, entities, actors_ok, status_ok))
    for level in LEVELS:
        matched_g = {g for g, _ in right[level]}
        matched_p = {p for _, p in right[level]}
        for g, gold in enumerate(item.events):
            kind = "tp" if g in matched_g else "fn"
            report.add(level, [gold.type, "all", *groups], kind)
        for p, event in enumerate(article.events):
            if p not in matched_p:
                report.add(level, [event.type, "all", *groups], "fp")
    paired_g, paired_p = {g for g, _ in pairs}, {p for _, p in pairs}
    report.errors += [{"where": label, "kind": "missed", "type": e.type, "trigger": e.trigger, "status": e.status}
                      for g, e in enumerate(item.events) if g not in paired_g]
    report.errors += [{"where": label, "kind": "false", "type": e.type, "trigger": e.trigger, "status": e.status,
                       "actors": actor_names(e, entities), "rule": e.rule}
                      for p, e in enumerate(article.events) if p not in paired_p]


def score_setting(gold: GoldEvent, event, entities: dict, times: dict, report: EventsReport) -> None:
    if gold.place:
        report.place[1] += 1
        report.place[0] += event.place in entities and name_fits(gold.place, entities[event.place])
    if gold.time:
        report.time[1] += 1
        found = times.get(event.time)
        report.time[0] += bool(found and found.start < gold.time["end"] and gold.time["start"] < found.end)


def actor_names(event, entities: dict) -> dict:
    return {slot: [entities[i].name for i in getattr(event, slot) if i in entities]
            for slot in ("source", "target", "participants") if getattr(event, slot)}


def error_record(label, gold, event, entities, actors_ok, status_ok) -> dict:
    return {"where": label, "kind": "wrong", "type": gold.type, "trigger": gold.trigger,
            "status": None if status_ok else [gold.status, event.status],
            "actors": None if actors_ok else [
                {k: v for k, v in (("source", gold.source), ("target", gold.target),
                                   ("participants", gold.participants)) if v},
                actor_names(event, entities)],
            "rule": event.rule}


def evaluate_events(gold_path: str | Path = DEFAULT_GOLD, models=None, pipeline=None) -> EventsReport:
    """Run letopis over the gold's articles and score its events."""
    report = EventsReport(str(gold_path))
    pairs, report.problems = read_articles(read_gold(gold_path))
    pipeline = pipeline or events_pipeline(models)
    results = list(pipeline.run([article for _, article in pairs]))
    for (item, _), result in zip(pairs, results):
        report.documents += 1
        if isinstance(result, Article):
            report.chars += len(result.text)
            score_article(item, result, report)
        else:
            report.problems.append(f"{item.input}: failed ({result.reason})")
            for gold in item.events:
                for level in LEVELS:
                    report.add(level, [gold.type, "all"], "fn")
    report.seconds = dict(pipeline.stats)
    return report


# --- factRuEval-2016 Meeting facts -----------------------------------------------------------


@dataclass
class FactArgument:
    name: str
    values: set[str]  # gold: every accepted string; test: the one given


@dataclass
class Fact:
    arguments: list[FactArgument]
    ignored: bool = False  # easy mode: "сложность повышенная"
    modality: bool = False  # "модальность": возможность, будущее, отрицание


def normalize_value(text: str) -> str:
    text = text.lower().strip(" \n\r\t").replace("ё", "е")
    for mark in "«»“”„":
        text = text.replace(mark, '"')
    return text


def factru_objects(folder: Path, name: str) -> dict[str, set[str]]:
    """obj id (coref object) -> accepted names: mention texts, coref names and name parts."""
    spans = {}
    for line in (folder / f"{name}.spans").read_text(encoding="utf-8").splitlines():
        left, _, right = line.partition("#")
        cells = left.split()
        if len(cells) >= 6:
            count = int(cells[5])
            spans[cells[0]] = " ".join(right.split()[count:])
    mentions = {}
    for line in (folder / f"{name}.objects").read_text(encoding="utf-8").splitlines():
        cells = line.partition("#")[0].split()
        if len(cells) >= 3:
            mentions[cells[0]] = " ".join(spans.get(s, "") for s in cells[2:]).strip()
    objects = {}
    text = (folder / f"{name}.coref").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [l for l in block.splitlines() if l.strip()]
        if not lines:
            continue
        head = lines[0].split()
        values = {mentions.get(m, "") for m in head[1:]} - {""}
        attributes = {}
        for line in lines[1:]:
            key, _, value = line.partition(" ")
            attributes.setdefault(key, []).append(value.strip())
        values |= person_names(attributes) | set(attributes.get("name", []))
        objects[head[0]] = {normalize_value(v) for v in values}
    return objects


def person_names(attributes: dict) -> set[str]:
    first, last = attributes.get("firstname", []), attributes.get("lastname", [])
    middle, nick = attributes.get("patronymic", []), attributes.get("nickname", [])
    parts = {"f": first, "l": last, "p": middle, "n": nick}
    found = set()
    for combination in ("lfp", "fpl", "fp", "fl", "lf", "n", "f", "p", "l", "fn"):
        lists = [parts[c] for c in combination]
        if all(lists):
            found |= {" ".join(words) for words in product(*lists)}
    return found


def read_meeting_facts(folder: Path, name: str) -> list[Fact]:
    objects = factru_objects(folder, name)
    facts = []
    for block in (folder / f"{name}.facts").read_text(encoding="utf-8").split("\n\n"):
        lines = [l for l in block.splitlines() if l.strip()]
        if not lines or lines[0].split()[1].lower() != "meeting":
            continue
        fact = Fact([])
        for line in lines[1:]:
            key, _, rest = line.partition(" ")
            key = key.lower()
            if key == "сложность":
                fact.ignored = rest.strip() == "повышенная"
            elif key == "модальность":
                fact.modality = rest.strip() in ("возможность", "будущее", "отрицание")
            elif key == "фаза":
                continue
            elif rest.startswith("obj"):
                obj, _, descr = rest.partition(" ")
                fact.arguments.append(FactArgument(key, objects.get(obj[3:], set()) | {normalize_value(descr)}))
        facts.append(fact)
    return facts


def value_matches(gold: FactArgument, test: FactArgument) -> bool:
    if gold.name != test.name:
        return False
    value = next(iter(test.values))
    return any(edits(v, value) <= MAX_EDITS for v in gold.values)


def can_match(gold: Fact, test: Fact) -> bool:
    return any(value_matches(g, t) for g in gold.arguments for t in test.arguments)


def cluster_quality(gold: Fact | None, tests: list[Fact]) -> float:
    """The official cluster quality: (argument F + argument F x identification) / 2."""
    if gold is None or not tests or gold.ignored:
        return 0.0
    test_args = [(n, a) for n, t in enumerate(tests) for a in t.arguments]
    by_gold: dict[int, list[int]] = {i: [] for i in range(len(gold.arguments))}
    unmatched_test = 0
    for n, arg in test_args:
        hit = next((i for i, g in enumerate(gold.arguments) if value_matches(g, arg)), None)
        if hit is None:
            unmatched_test += 1
        else:
            by_gold[hit].append(n)
    matched = [i for i, found in by_gold.items() if found]
    unmatched_gold = len(gold.arguments) - len(matched)
    arg_quality = len(matched) / (len(matched) + unmatched_test + unmatched_gold) if matched or unmatched_test or unmatched_gold else 0.0
    pairs = len(matched) * (len(matched) - 1) / 2
    # as the official script does: the first len(matched) gold arguments, by position
    edges = sum(1 for x in range(len(matched)) for y in range(x + 1, len(matched))
                if {test_args[n][0] for n in by_gold[x]} & {test_args[n][0] for n in by_gold[y]})
    identification = 1.0 if len(tests) == 1 or pairs == 0 else edges / pairs
    return (arg_quality + identification * arg_quality) / 2


def score_facts(gold: list[Fact], test: list[Fact], hard: bool = False) -> tuple[float, float, int, int]:
    """(tp for recall, tp for precision, gold count, test count) for one document."""
    if hard:
        gold = [f for f in gold if not f.modality]
    options = [[i for i, g in enumerate(gold) if can_match(g, t)] + [-1] for t in test]
    best = None
    for choice in product(*options) if options else [()]:
        clusters = {i: [] for i in range(len(gold))}
        for t, i in enumerate(choice):
            if i >= 0:
                clusters[i].append(test[t])
        quality = {i: cluster_quality(gold[i], tests) for i, tests in clusters.items()}
        tp_gold = sum(quality.values())
        tp_test = sum(quality[i] for i in choice if i >= 0)
        n_gold = sum(1 for g in gold if not g.ignored)
        n_test = sum(1 for i in choice if i < 0 or not gold[i].ignored)
        scores = (tp_gold, tp_test, n_gold, n_test)
        if best is None or f1_of(*scores) > f1_of(*best):
            best = scores
    return best


def f1_of(tp_gold: float, tp_test: float, n_gold: int, n_test: int) -> float:
    precision = tp_test / n_test if n_test else 1.0
    recall = tp_gold / n_gold if n_gold else 1.0
    if n_gold + n_test == 0:
        return 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def meeting_facts(article: Article) -> list[Fact]:
    """One Meeting fact per distinct set of two or more CONSULT participants, one of them
    at least a person (the track's Meetings are meetings of people)."""
    names = {e.id: e.name for e in article.entities}
    people = {e.id for e in article.entities if e.type == "PER"}
    seen, facts = set(), []
    for event in article.events:
        actors = tuple(sorted(dict.fromkeys(i for i in event.participants + event.source + event.target if i in names)))
        if event.type != "CONSULT" or event.subtype not in MEETING_SUBTYPES or len(actors) < 2 or actors in seen \
                or not people & set(actors):
            continue
        seen.add(actors)
        facts.append(Fact([FactArgument("participant", {normalize_value(names[i])}) for i in actors]))
    return facts


@dataclass
class FactruReport:
    path: str
    documents: int = 0
    mode: str = "easy"
    tp_gold: float = 0.0
    tp_test: float = 0.0
    n_gold: int = 0
    n_test: int = 0
    seconds: float = 0.0
    per_document: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp_test / self.n_test if self.n_test else 1.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        return f1_of(self.tp_gold, self.tp_test, self.n_gold, self.n_test)

    def to_dict(self) -> dict:
        return {"task": "events", "dataset": "factru", "facts": "Meeting", "path": self.path, "mode": self.mode,
                "documents": self.documents, "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp_gold": round(self.tp_gold, 3), "tp_test": round(self.tp_test, 3),
                "gold_facts": self.n_gold, "test_facts": self.n_test, "seconds": round(self.seconds, 2),
                "documents_with_facts": self.per_document}


def factru_folder(path: str | Path) -> Path:
    path = Path(path)
    return path / "devset" if (path / "devset").is_dir() else path


def evaluate_factru(path: str | Path, models=None, pipeline=None, hard: bool = False,
                    limit: int | None = None) -> FactruReport:
    folder = factru_folder(path)
    names = sorted({p.stem for p in folder.glob("*.facts")}, key=lambda n: int(n.split("_")[-1]))[:limit]
    report = FactruReport(str(folder), mode="hard" if hard else "easy")
    articles = [new_article((folder / f"{n}.txt").read_text(encoding="utf-8"), Meta(input=n, lang="ru"))
                for n in names]
    pipeline = pipeline or events_pipeline(models)
    started = time.perf_counter()
    results = list(pipeline.run(articles))
    report.seconds = time.perf_counter() - started
    for name, result in zip(names, results):
        gold = read_meeting_facts(folder, name)
        test = meeting_facts(result) if isinstance(result, Article) else []
        tp_gold, tp_test, n_gold, n_test = score_facts(gold, test, hard)
        report.documents += 1
        report.tp_gold += tp_gold
        report.tp_test += tp_test
        report.n_gold += n_gold
        report.n_test += n_test
        if gold or test:
            report.per_document.append({"document": name, "gold": [sorted(a.values)[0] for g in gold for a in g.arguments],
                                        "test": [next(iter(a.values)) for t in test for a in t.arguments],
                                        "tp_gold": round(tp_gold, 3), "tp_test": round(tp_test, 3)})
    return report


# --- the command ---------------------------------------------------------------------------


def add_events_eval(eval_subparsers) -> None:
    """Adds ``letopis eval events [--gold PATH | --format factru PATH]``."""
    parser = eval_subparsers.add_parser(
        "events", help="event frames against the dev gold (tests/gold/events.jsonl), factRuEval Meetings or NEREL EVENTs",
        description="Run letopis over the articles of an event gold file and print precision, recall "
                    "and F1 by type for triggers, actors, status and all together; or, with --format "
                    "factru, score its meetings against factRuEval-2016 Meeting facts the official way; with "
                    "--format nerel, its triggers and participants against NEREL EVENT mentions. "
                    "See docs/gold-events.md.")
    parser.add_argument("path", nargs="?", metavar="PATH",
                        help="with --format factru: the factRuEval folder; with --format nerel: NEREL-v1.1/dev")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), metavar="PATH",
                        help="the gold file (default: tests/gold/events.jsonl)")
    parser.add_argument("--format", choices=["gold", "factru", "nerel"], default="gold", help="what PATH holds (default: gold)")
    parser.add_argument("--hard", action="store_true", help="factru: hard mode (facts with a modality removed)")
    parser.add_argument("--limit", type=int, metavar="N", help="factru, nerel: only the first N documents")
    parser.add_argument("--errors", action="store_true", help="also list misses, false alarms and wrong frames")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run_eval_events)


def run_eval_events(args) -> int:
    try:
        if args.format == "factru":
            if not args.path:
                print("letopis eval events: --format factru needs the factRuEval folder", file=sys.stderr)
                return 2
            report = evaluate_factru(args.path, hard=args.hard, limit=args.limit)
            text = render_factru(report, args.errors)
        elif args.format == "nerel":
            from .nerel import evaluate_nerel, render_events

            if not args.path:
                print("letopis eval events: --format nerel needs the NEREL folder", file=sys.stderr)
                return 2
            report = evaluate_nerel(args.path, limit=args.limit)
            text = render_events(report, args.errors)
        else:
            report = evaluate_events(args.path or args.gold)
            text = render_report(report, args.errors)
    except (OSError, ValueError, DatasetError) as error:
        print(f"letopis eval: {error}", file=sys.stderr)
        return 1
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else text)
    return 0


def render_report(report: EventsReport, errors: bool = False) -> str:
    gold_total = report.counts.get("trigger", {}).get("all", Counts())
    lines = [f"letopis eval events: {report.gold_path}, {report.documents} articles, {report.chars:,} chars, "
             f"{gold_total.tp + gold_total.fn} gold events", ""]
    keys = sorted({k for table in report.counts.values() for k in table},
                  key=lambda k: (k.startswith(("lang", "set")), k == "all", k))
    lines.append(f"{'':16}" + "".join(f"{level:>22}" for level in LEVELS))
    lines.append(f"{'':16}" + "".join(f"{'P':>8}{'R':>7}{'F1':>7}" for _ in LEVELS))
    for key in keys:
        cells = "".join(f"{c.precision:>8.3f}{c.recall:>7.3f}{c.f1:>7.3f}"
                        for c in (report.counts[level].get(key, Counts()) for level in LEVELS))
        lines.append(f"{key:16}{cells}")
    lines.append("")
    lines.append(f"on fully right events: place {report.place[0]}/{report.place[1]}, time {report.time[0]}/{report.time[1]}")
    if report.cost_share is not None:
        lines.append(f"events stage: {report.seconds.get('events', 0):.3f} s = {100 * report.cost_share:.1f}% of the "
                     f"nlp stage ({report.seconds['nlp']:.2f} s)")
    lines += [f"problem: {p}" for p in report.problems]
    if errors:
        lines += ["", "errors:"] + [json.dumps(e, ensure_ascii=False) for e in report.errors]
    return "\n".join(lines)


def render_factru(report: FactruReport, errors: bool = False) -> str:
    lines = [f"letopis eval events --format factru: {report.path}, {report.documents} documents, {report.mode} mode",
             f"Meeting facts: {report.n_gold} gold, {report.n_test} letopis",
             f"P {report.precision:.3f}  R {report.recall:.3f}  F1 {report.f1:.3f}  "
             f"(TP1 {report.tp_gold:.2f}, TP2 {report.tp_test:.2f}; official matching of dialent/task3)",
             "best official factRuEval-2016 Meeting F1 (test set): 0.242"]
    if errors:
        lines += [json.dumps(d, ensure_ascii=False) for d in report.per_document]
    return "\n".join(lines)
