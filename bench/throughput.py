"""Throughput: letopis's whole pipeline against natasha alone, on the same texts.

    python bench/throughput.py [--docs N] [--source slavicner|corpus|PATH] [--repeat R]
                               [--batch-sizes 1,8,32] [--with-read] [--json OUT]

Configurations, each run in a fresh subprocess (so peak RSS is its own), with one BLAS
thread, models loaded and a few documents processed before the clock starts:

- ``natasha``: natasha one document at a time, as its users run it (segment, morph,
  syntax, NER, then ``span.normalize`` for every span);
- ``letopis B=N``: ``new_article`` + ``default_pipeline(models, batch_size=N)`` from raw
  text, every record serialised with ``json.dumps(article.to_dict())``;
- ``letopis+read B=N`` (``--with-read``): the same, from files through ``read_paths``.

The configurations alternate over ``--repeat`` rounds (the order reversed every other
round) and the median is reported. See bench/README.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLAVICNER = ROOT.parent / "shared" / "data" / "slavicner"
CORPUS = ROOT / "examples" / "corpus" / "txt"
SINGLE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
LIBRARIES = ("natasha", "slovnet", "razdel", "navec", "pymorphy2", "pymorphy3",
             "lingua-language-detector", "numpy", "letopis")
ENCODING_SUFFIXES = {"_cp1251": "cp1251", "_koi8r": "koi8_r", "_koi8u": "koi8_u", "_bom": "utf-8-sig"}
NATASHA_STAGES = ("segment", "morph", "syntax", "ner", "normalize")
NLP_PARTS = ("segment", "tag_morph", "parse_syntax", "lemmatize", "tag_ner", "make_mentions",
             "resolve_entities", "normal_form")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.child:
        return run_child(args)
    if args.show:
        report = json.loads(Path(args.show).read_text(encoding="utf-8"))
        docs = report["documents"]
        report["summary"] = summaries(report["runs"], docs["count"], docs["chars"])
        print_report(report)
        return 0
    return run_bench(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="letopis vs natasha throughput, same texts, same run.")
    parser.add_argument("--docs", type=int, default=300, help="documents to process (default: 300)")
    parser.add_argument("--source", default="slavicner",
                        help="slavicner (SlavicNER ru raw news), corpus (examples/corpus/txt), "
                             "or a folder/file of .txt files (default: slavicner)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the median is reported (default: 3)")
    parser.add_argument("--batch-size", type=int, default=32,
                        help="the letopis batch size compared with natasha (default: 32, the CLI's)")
    parser.add_argument("--batch-sizes", default="1,8,64",
                        help="other letopis batch sizes to measure, comma-separated, '' for none "
                             "(default: 1,8,64)")
    parser.add_argument("--sentence-batch", type=int, default=None, help="NlpModels sentence_batch (default: letopis's)")
    parser.add_argument("--ner-batch", type=int, default=None, help="NlpModels ner_batch (default: letopis's)")
    parser.add_argument("--with-read", action="store_true",
                        help="also run letopis from files through letopis.read.read_paths")
    parser.add_argument("--warmup", type=int, default=5, help="documents processed before timing (default: 5)")
    parser.add_argument("--json", metavar="OUT", help="write all figures and machine info here")
    parser.add_argument("--show", metavar="JSON", help="print the tables of a run saved with --json, and exit")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # natasha | letopis | letopis-read
    parser.add_argument("--texts", help=argparse.SUPPRESS)  # the child's input: a JSON list of texts
    parser.add_argument("--read-dir", help=argparse.SUPPRESS)
    return parser


# --- documents --------------------------------------------------------------------


def select_documents(source: str, count: int) -> tuple[list[str], list[str], str]:
    """(paths, texts, description): a fixed selection, every k-th of the sorted paths."""
    paths, describe = source_paths(source)
    step = max(1, len(paths) // count) if count else 1
    chosen = paths[::step][:count]
    texts = [text for text in (read_document(path) for path in chosen) if text.strip()]
    return [str(p) for p in chosen], texts, f"{describe}: {len(texts)} of {len(paths)} files, one in {step}"


def source_paths(source: str) -> tuple[list[Path], str]:
    if source == "slavicner":
        return sorted(SLAVICNER.glob("raw/*/ru/*.txt")), "SlavicNER raw ru news"
    if source == "corpus":
        return sorted(CORPUS.glob("*.txt")), "examples/corpus/txt"
    path = Path(source)
    if path.is_dir():
        return sorted(path.rglob("*.txt")), str(path)
    if path.is_file():
        return [path], str(path)
    raise SystemExit(f"throughput: no such source {source!r} (slavicner, corpus, or a folder of .txt files)")


def read_document(path: Path) -> str:
    """The article text of a file: decoded by its name's suffix, newlines normalized,
    leading metadata lines (if any) dropped."""
    encoding = next((enc for suffix, enc in ENCODING_SUFFIXES.items() if path.stem.endswith(suffix)), "utf-8-sig")
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError:
        return ""
    return strip_metadata(text.replace("\r\n", "\n").replace("\r", "\n"))


def strip_metadata(text: str) -> str:
    """Older BSNLP raw files start with id, language, date and URL lines before the
    title; the SlavicNER copy here starts with the title (checked: none of the 706 ru
    files has such lines), so this usually changes nothing."""
    lines = text.split("\n")
    skipped = 0
    while skipped < min(4, len(lines) - 1) and is_metadata_line(lines[skipped].strip()):
        skipped += 1
    return "\n".join(lines[skipped:]).lstrip("\n") if skipped else text


def is_metadata_line(line: str) -> bool:
    return (line in ("ru", "uk", "bg", "cs", "pl", "sl")
            or line.startswith(("http://", "https://"))
            or (len(line) <= 25 and line[:4].isdigit() and line[4:5] == "-")  # 2019-01-10
            or (len(line) <= 12 and line.replace("-", "").replace("_", "").isalnum()
                and any(c.isdigit() for c in line) and not any("а" <= c.lower() <= "я" for c in line)))


# --- the parent: rounds of subprocesses --------------------------------------------


def configurations(args) -> list[dict]:
    sizes = [args.batch_size] + [int(s) for s in args.batch_sizes.split(",") if s.strip()]
    configs = [{"name": "natasha", "child": "natasha"}]
    for size in dict.fromkeys(sizes):
        configs.append({"name": f"letopis B={size}", "child": "letopis", "batch_size": size})
    if args.with_read:
        configs.append({"name": f"letopis+read B={args.batch_size}", "child": "letopis-read",
                        "batch_size": args.batch_size})
    return configs


def run_bench(args) -> int:
    paths, texts, described = select_documents(args.source, args.docs)
    if not texts:
        raise SystemExit("throughput: no documents to process")
    configs = configurations(args)
    info = machine_info()
    print(f"throughput: {len(texts)} docs, {sum(map(len, texts)):,} chars ({described}); "
          f"{args.repeat} rounds of {len(configs)} configurations", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="letopis-bench-") as tmp:
        texts_file = write_inputs(Path(tmp), texts, args.with_read)
        results = {c["name"]: [] for c in configs}
        for round_ in range(args.repeat):
            order = configs if round_ % 2 == 0 else configs[::-1]
            for config in order:
                result = run_config(config, args, texts_file, Path(tmp) / "files")
                results[config["name"]].append(result)
                print(f"  round {round_ + 1} {config['name']:<22} {result['wall_s']:7.1f} s "
                      f"{result['chars'] / result['wall_s']:9,.0f} chars/s", file=sys.stderr)
    info["loadavg_at_end"] = list(os.getloadavg())
    report = build_report(args, info, described, paths, texts, configs, results)
    print_report(report)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nthroughput: figures written to {args.json}", file=sys.stderr)
    return 0


def write_inputs(folder: Path, texts: list[str], with_read: bool) -> Path:
    texts_file = folder / "texts.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    if with_read:
        (folder / "files").mkdir()
        for number, text in enumerate(texts):
            (folder / "files" / f"{number:05d}.txt").write_text(text, encoding="utf-8")
    return texts_file


def run_config(config: dict, args, texts_file: Path, read_dir: Path) -> dict:
    command = [sys.executable, __file__, "--child", config["child"], "--texts", str(texts_file),
               "--warmup", str(args.warmup), "--read-dir", str(read_dir)]
    if "batch_size" in config:
        command += ["--batch-size", str(config["batch_size"])]
    for option in ("sentence_batch", "ner_batch"):
        if getattr(args, option) is not None:
            command += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    env = {**os.environ, **SINGLE_THREAD}
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"throughput: {config['name']} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_report(args, info, described, paths, texts, configs, results) -> dict:
    chars = sum(map(len, texts))
    for name, runs in results.items():
        wrong = [r["chars"] for r in runs if r["chars"] != chars]
        assert not wrong, f"{name} processed {wrong[0]} chars, not the {chars} given"
    return {
        "machine": info,
        "args": {k: v for k, v in vars(args).items() if k not in ("child", "texts", "read_dir", "show")},
        "documents": {"source": described, "count": len(texts), "chars": chars,
                      "first_paths": paths[:3], "last_paths": paths[-3:]},
        "main": f"letopis B={args.batch_size}",
        "summary": summaries(results, len(texts), chars),
        "runs": results,
    }


def summaries(results: dict[str, list[dict]], docs: int, chars: int) -> dict:
    """Medians per configuration, and ratios to natasha (per round too)."""
    summary = {name: summarize(runs, docs, chars) for name, runs in results.items()}
    base = summary["natasha"]
    for name, row in summary.items():
        row["ratio"] = row["chars_per_s"] / base["chars_per_s"]
        row["ratio_cpu"] = row["chars_per_cpu_s"] / base["chars_per_cpu_s"]
        row["ratio_by_round"] = [b["wall_s"] / r["wall_s"] for r, b in zip(results[name], results["natasha"])]
    return summary


def summarize(runs: list[dict], docs: int, chars: int) -> dict:
    wall = statistics.median(r["wall_s"] for r in runs)
    return {
        "wall_s": wall,
        "cpu_s": statistics.median(r["cpu_s"] for r in runs),
        "docs_per_s": docs / wall,
        "chars_per_s": chars / wall,
        "chars_per_cpu_s": chars / statistics.median(r["cpu_s"] for r in runs),
        "load_s": statistics.median(r["load_s"] for r in runs),
        "warmup_s": statistics.median(r["warmup_s"] for r in runs),
        "rss_after_load_mib": max(r["rss_after_load_mib"] for r in runs),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "stages_s": median_of(runs, "stages_s"),
        "parts_s": median_of(runs, "parts_s"),
        "errors": max(r.get("errors", 0) for r in runs),
    }


def median_of(runs: list[dict], key: str) -> dict:
    names = dict.fromkeys(name for r in runs for name in r.get(key, {}))
    return {name: statistics.median(r.get(key, {}).get(name, 0.0) for r in runs) for name in names}


def print_report(report: dict) -> None:
    info, docs = report["machine"], report["documents"]
    print(f"{docs['count']} docs, {docs['chars']:,} chars ({docs['source']}); "
          f"letopis {info.get('letopis_commit')}")
    print(f"{info['cpu_count']} CPUs ({info['cpu_model']}), {info['platform']}, Python {info['python']}, "
          f"{info['date']}; median of {report['args']['repeat']} rounds; load average "
          f"{info['loadavg_at_start'][0]:.1f} at start, {info.get('loadavg_at_end', [0.0])[0]:.1f} at end")
    print()
    header = (f"{'configuration':<20} {'docs/s':>6} {'chars/s':>7} {'ratio':>5} {'(rounds)':>9} "
              f"{'cpu ratio':>9} {'wall s':>6} {'cpu s':>6} {'load s':>6} {'RSS MiB':>7} {'peak MiB':>8}")
    print(header)
    print("-" * len(header))
    for name, row in report["summary"].items():
        spread = row["ratio_by_round"]
        rounds = f"{min(spread):.2f}-{max(spread):.2f}" if name != "natasha" else ""
        print(f"{name:<20} {row['docs_per_s']:6.2f} {row['chars_per_s']:7,.0f} {row['ratio']:5.2f} "
              f"{rounds:>9} {row['ratio_cpu']:9.2f} {row['wall_s']:6.1f} {row['cpu_s']:6.1f} "
              f"{row['load_s']:6.1f} {row['rss_after_load_mib']:7.0f} {row['peak_rss_mib']:8.0f}")
    print("\nratio = letopis chars/s / natasha chars/s, wall clock (target >= 0.85, aim > 1.0); "
          "(rounds) = its range over the rounds;\ncpu ratio = the same from CPU seconds (steadier "
          "when other jobs share the cores); RSS = after loading models; peak = ru_maxrss")
    print_stages(report)


def print_stages(report: dict) -> None:
    summary = report["summary"]
    print("\nseconds by stage (median): natasha one document at a time")
    print("  " + ", ".join(f"{k} {v:.1f}" for k, v in summary["natasha"]["stages_s"].items()))
    for name, row in summary.items():
        if name == "natasha":
            continue
        stages = ", ".join(f"{k} {v:.1f}" for k, v in row["stages_s"].items())
        print(f"{name}: {stages}")
        parts = row["parts_s"]
        if parts:
            print("    nlp parts: " + ", ".join(f"{k} {v:.1f}" for k, v in parts.items()))
    print("  (letopis: pipeline.stats per stage; serialize = to_dict + json.dumps; other = records, "
          "runner and reading; normal_form is inside make_mentions and resolve_entities)")


def machine_info() -> dict:
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "libraries": {name: version_of(name) for name in LIBRARIES},
        "letopis_commit": git_commit(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "loadavg_at_start": list(os.getloadavg()),
        "env": {name: os.environ.get(name) for name in SINGLE_THREAD},
    }


def git_commit() -> str | None:
    """The commit of the letopis measured, with "+dirty" when its tree has changes."""
    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "letopis")
    except OSError:
        return None
    return (commit + ("+dirty" if dirty else "")) if commit else None


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def version_of(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


# --- the children: one configuration, timed ----------------------------------------


def run_child(args) -> int:
    for name, value in SINGLE_THREAD.items():
        os.environ.setdefault(name, value)  # before numpy is imported
    texts = json.loads(Path(args.texts).read_text(encoding="utf-8"))
    if args.child == "natasha":
        result = run_natasha(texts, args.warmup)
    else:
        result = run_letopis(texts, args, from_files=args.child == "letopis-read")
    result["rss_after_load_mib"] = result.pop("rss_after_load_kib") / 1024
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    return 0


def rss_kib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return float(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_natasha(texts: list[str], warmup: int) -> dict:
    started = time.perf_counter()
    from natasha import (Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger,
                         NewsSyntaxParser, Segmenter)

    embedding = NewsEmbedding()
    models = (Segmenter(), NewsMorphTagger(embedding), NewsSyntaxParser(embedding),
              NewsNERTagger(embedding), MorphVocab())
    load_s, rss = time.perf_counter() - started, rss_kib()
    stages = dict.fromkeys(NATASHA_STAGES, 0.0)
    warmup_s = timed(lambda: [natasha_document(Doc, t, models, stages) for t in texts[:warmup]])
    stages = dict.fromkeys(NATASHA_STAGES, 0.0)
    cpu, wall = time.process_time(), time.perf_counter()
    spans = sum(natasha_document(Doc, text, models, stages) for text in texts)
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
            "load_s": load_s, "warmup_s": warmup_s, "rss_after_load_kib": rss,
            "docs": len(texts), "chars": sum(map(len, texts)), "spans": spans, "stages_s": stages}


def natasha_document(Doc, text: str, models, stages: dict) -> int:
    """What a natasha user runs on one document; seconds added to ``stages``."""
    segmenter, morph, syntax, ner, vocab = models
    clock = time.perf_counter
    t0 = clock()
    doc = Doc(text)
    doc.segment(segmenter)
    t1 = clock()
    doc.tag_morph(morph)
    t2 = clock()
    doc.parse_syntax(syntax)
    t3 = clock()
    doc.tag_ner(ner)
    t4 = clock()
    for span in doc.spans:
        span.normalize(vocab)
    t5 = clock()
    for name, seconds in zip(NATASHA_STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
        stages[name] += seconds
    return len(doc.spans)


def run_letopis(texts: list[str], args, from_files: bool) -> dict:
    started = time.perf_counter()
    from letopis import langid, nlp
    from letopis.pipeline import default_pipeline
    from letopis.record import Article, new_article

    options = {k: v for k, v in (("sentence_batch", args.sentence_batch), ("ner_batch", args.ner_batch)) if v}
    models = nlp.NlpModels.load(**options)
    langid.detector()
    parts = time_nlp_parts()
    pipeline = default_pipeline(models, batch_size=args.batch_size)
    load_s, rss = time.perf_counter() - started, rss_kib()
    warmup_s = timed(lambda: consume(pipeline.run(new_article(t) for t in texts[:args.warmup]), Article))
    pipeline.stats.clear()
    parts.update(dict.fromkeys(parts, 0.0))
    cpu, wall = time.process_time(), time.perf_counter()
    items = read_items(args.read_dir) if from_files else (new_article(t) for t in texts)
    counts = consume(pipeline.run(items), Article)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stages = dict(pipeline.stats)
    stages["serialize"] = counts.pop("serialize_s")
    stages["other"] = wall - sum(stages.values())
    return {"wall_s": wall, "cpu_s": cpu, "load_s": load_s, "warmup_s": warmup_s,
            "rss_after_load_kib": rss, **counts, "stages_s": stages, "parts_s": dict(parts)}


def read_items(folder: str):
    from letopis.read import read_paths

    return read_paths([folder])


def consume(items, Article) -> dict:
    """Serialise every record as the CLI does; count documents, chars and errors."""
    counts = {"docs": 0, "chars": 0, "errors": 0, "entities": 0, "serialize_s": 0.0, "json_bytes": 0}
    clock = time.perf_counter
    for item in items:
        started = clock()
        line = json.dumps(item.to_dict(), ensure_ascii=False)
        counts["serialize_s"] += clock() - started
        counts["json_bytes"] += len(line)
        if isinstance(item, Article):
            counts["docs"] += 1
            counts["chars"] += len(item.text)
            counts["entities"] += len(item.entities)
        else:
            counts["errors"] += 1
    return counts


def time_nlp_parts() -> dict:
    """Wrap the NLP layer's functions with timers (per batch, unit or article: the
    overhead is microseconds in a run of tens of seconds)."""
    from letopis import nlp, resolve

    seconds = dict.fromkeys(NLP_PARTS, 0.0)
    for name in ("tag_morph", "parse_syntax", "lemmatize", "tag_ner", "make_mentions", "normal_form"):
        setattr(nlp, name, timer(getattr(nlp, name), seconds, name))
    for name in ("paragraph_units", "segment_unit", "zone_units"):
        setattr(nlp, name, timer(getattr(nlp, name), seconds, "segment"))
    resolve.resolve_entities = timer(resolve.resolve_entities, seconds, "resolve_entities")
    return seconds


def timer(function, seconds: dict, name: str):
    clock = time.perf_counter

    def timed_call(*args, **kwargs):
        started = clock()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[name] += clock() - started

    return timed_call


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
