"""What watchlists cost at ingest: the store's time per article with 10 watchlists
against none, in the same run, on the same records.

    python bench/watch.py [--from RECORDS.jsonl] [--rounds 5] [--count 2000] [--workdir DIR] [--json OUT]

1. **sample corpus**: the records of ``examples/corpus`` (``letopis process
   examples/corpus --lean``, run here when ``--from`` is not given: the models load
   once) stored into a fresh SQLite store, ``--rounds`` times with no watchlist and as
   many with ten, alternating (none, ten, ten, none, ...), so drift on a shared machine
   falls on both sides; the clock is ``IngestSummary.store_seconds`` (the store's own
   work, matching included);
2. **synthetic**: ``--count`` records from ``bench/synth.py`` (the corpus's names kept
   or varied, 5% near-copies), once without and once with the ten watchlists.

The A/B medians carry the noise of a shared machine; the time spent in
``match_article`` itself is also clocked inside each run (the writer's call wrapped),
and reported as ms per article and as a share of the rest of the store's work in the
same run: the steadier figure. A warm-up run comes first (not counted).

The ten watchlists are what an analyst might keep: people (quotes and events),
event types with statuses, a country pair, quotes about a country. They are added to
the empty store as names not seen yet (``allow_new``), so the run includes resolving
them as the articles bring the names.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402  (bench/synth.py)

from letopis.record import Article  # noqa: E402
from letopis.store import writer  # noqa: E402
from letopis.store import open_store  # noqa: E402
from letopis.store.ingest import IngestSummary, ingest  # noqa: E402
from letopis.watch.watchlists import WatchedName, Watchlist, add_watchlist  # noqa: E402

WATCHLISTS = [
    ("Блинкен", ["Энтони Блинкен"], [], dict()),
    ("Лавров", ["Сергей Лавров"], [], dict()),
    ("Путин: встречи", ["Владимир Путин"], [], dict(quotes=False, event_types=["CONSULT"])),
    ("Байден: планы", ["Джо Байден"], [], dict(quotes=False, statuses=["planned", "not_planned"])),
    ("Песков", ["Дмитрий Песков"], [], dict(events=False)),
    ("Зеленский", ["Владимир Зеленский"], [], dict()),
    ("США–Россия", ["США"], ["Россия"], dict(quotes=False)),
    ("О России", [], ["Россия"], dict(events=False)),
    ("НАТО: угрозы", ["НАТО"], [], dict(quotes=False, event_types=["THREATEN", "DEMAND", "MOBILIZE"])),
    ("Украина", ["Украина"], [], dict()),
]


def add_watchlists(db) -> None:
    for name, entities, about, options in WATCHLISTS:
        names = [WatchedName("entity", item) for item in entities] + [WatchedName("about", item) for item in about]
        add_watchlist(db, Watchlist(name=name, names=names, **options), allow_new=True)


class Timed:
    """``writer.match_article`` with a clock: the time matching itself takes, measured
    inside the same ingest as the rest of the store's work."""

    def __init__(self, function):
        self.function, self.seconds, self.calls = function, 0.0, 0

    def __call__(self, *args):
        started = time.perf_counter()
        try:
            return self.function(*args)
        finally:
            self.seconds += time.perf_counter() - started
            self.calls += 1


def store_once(records: list[str], watchlists: bool, workdir: Path) -> dict:
    path = workdir / f"watch-bench-{time.perf_counter_ns()}.db"
    db = open_store(str(path))
    timed = Timed(writer.match_article)
    writer.match_article = timed
    try:
        if watchlists:
            add_watchlists(db)
        summary = IngestSummary()
        ingest(db, (Article.from_dict(json.loads(record)) for record in records), None, summary=summary)
        matches = db.value("SELECT count(*) FROM watch_matches")
        pending = db.value("SELECT count(*) FROM watch_entities WHERE entity_id IS NULL")
    finally:
        writer.match_article = timed.function
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return {"stored": summary.stored, "store_seconds": summary.store_seconds,
            "ms_per_article": 1000 * summary.store_seconds / max(1, summary.stored), "matches": matches,
            "matching_ms_per_article": 1000 * timed.seconds / max(1, timed.calls),
            "matching_share": timed.seconds / max(1e-9, summary.store_seconds - timed.seconds),
            "names_still_pending": pending if watchlists else None}


def compare(records: list[str], rounds: int, workdir: Path, label: str) -> dict:
    runs = {"none": [], "ten": []}
    store_once(records, True, workdir)  # warm-up, not counted: the morphology dictionaries load on first use
    for round_number in range(rounds):
        order = ("none", "ten") if round_number % 2 == 0 else ("ten", "none")
        for which in order:
            result = store_once(records, which == "ten", workdir)
            runs[which].append(result)
            print(f"  {label} round {round_number + 1} {which:>4}: {result['stored']} stored, "
                  f"{result['ms_per_article']:.2f} ms/article, matching {result['matching_ms_per_article']:.3f} "
                  f"ms/article, {result['matches']} matches", flush=True)
    none = statistics.median(run["ms_per_article"] for run in runs["none"])
    ten = statistics.median(run["ms_per_article"] for run in runs["ten"])
    share = statistics.median(run["matching_share"] for run in runs["ten"])
    return {"articles": runs["none"][0]["stored"], "rounds": rounds, "none_ms_per_article": none,
            "ten_ms_per_article": ten, "ratio": ten / none, "overhead_ms_per_article": ten - none,
            "matching_ms_per_article_ten": statistics.median(run["matching_ms_per_article"] for run in runs["ten"]),
            "matching_ms_per_article_none": statistics.median(run["matching_ms_per_article"] for run in runs["none"]),
            "matching_share_of_store": share,
            "matches": runs["ten"][0]["matches"], "names_still_pending": runs["ten"][0]["names_still_pending"],
            "runs": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", metavar="RECORDS.jsonl",
                        help="records of the sample corpus (default: process examples/corpus now)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds on the sample corpus (default 5)")
    parser.add_argument("--count", type=int, default=2000, help="synthetic records (default 2000; 0: skip)")
    parser.add_argument("--workdir", default=None, help="where the throwaway stores go (default: a temp dir)")
    parser.add_argument("--json", metavar="OUT", help="write the figures here")
    args = parser.parse_args(argv)
    sources = synth.load_sources(args.source)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        workdir = Path(tmp)
        print(f"sample corpus: {len(sources)} records", flush=True)
        result = {"machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
                  "python": platform.python_version(), "corpus": compare(sources, args.rounds, workdir, "corpus")}
        if args.count:
            synthetic = [json.dumps(record, ensure_ascii=False)
                         for record in synth.synthesize(sources, args.count, seed=0, duplicates=0.05, mode="records")]
            result["synthetic"] = compare(synthetic, 1, workdir, "synthetic")
    for key in ("corpus", "synthetic"):
        if key in result:
            item = result[key]
            print(f"{key}: {item['articles']} articles, store {item['none_ms_per_article']:.2f} ms/article without "
                  f"watchlists, {item['ten_ms_per_article']:.2f} with ten: x{item['ratio']:.3f} "
                  f"({item['overhead_ms_per_article']:+.2f} ms/article), {item['matches']} matches; inside the same "
                  f"runs, matching took {item['matching_ms_per_article_ten']:.3f} ms/article with ten "
                  f"({100 * item['matching_share_of_store']:.1f}% of the rest of the store's work) and "
                  f"{1000 * item['matching_ms_per_article_none']:.1f} us/article with none")
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
