"""`letopis process` end to end: inputs of every kind, error records, exit codes."""

import gzip
import json
import subprocess
import sys

import pytest

from letopis.cli import main

from .conftest import SEED

pytestmark = pytest.mark.models

ARTICLE = ("Лавров и Блинкен провели переговоры в Женеве\n\n"
           "Министр иностранных дел России Сергей Лавров заявил, что встреча с Энтони Блинкеном "
           "прошла конструктивно. «Мы договорились продолжить диалог», – сказал Лавров.\n\n"
           "Читайте также: Песков прокомментировал итоги переговоров\n\n"
           "Подписывайтесь на наш Telegram-канал\n")


def run(args, capsys):
    status = main(args)
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return status, lines, captured.err


def test_plain_text_file_gives_one_record_and_a_summary(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    status, [record], err = run(["process", str(path), "--published", "2021-12-22"], capsys)
    assert status == 0
    assert record["schema"] == "1.0" and record["meta"]["lang"] == "ru"
    assert record["meta"]["published"] == "2021-12-22"
    assert record["meta"]["input"] == str(path)
    kinds = [z["kind"] for z in record["zones"]]
    assert kinds[0] == "title" and "related" in kinds and "boilerplate" in kinds
    names = {e["name"] for e in record["entities"]}
    assert {"Сергей Лавров", "Энтони Блинкен", "Женева"} <= names
    assert "1 articles processed, 0 failed" in err and "chars/s" in err


def test_output_file_errors_file_and_lean(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    status, stdout, err = run(["process", str(tmp_path / "in"), "-o", str(out), "--errors", str(errors), "--lean"], capsys)
    assert status == 0 and stdout == []
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "sentences" not in record
    [error] = [json.loads(line)["error"] for line in errors.read_text(encoding="utf-8").splitlines()]
    assert error["reason"] == "empty" and error["input"].endswith("empty.txt")
    assert "failed at read: empty x1" in err


def test_jsonl_with_bad_lines_goes_on_and_keeps_input_metadata(tmp_path, capsys):
    path = tmp_path / "dump.jsonl.gz"
    lines = [json.dumps({"id": "a-1", "url": "https://example.org/1", "published": "2021-12-22",
                         "title": "Лавров и Блинкен провели переговоры", "text": ARTICLE.split("\n\n", 1)[1]},
                        ensure_ascii=False),
             "{not json", json.dumps({"title": "no text"}), json.dumps([1, 2])]
    path.write_bytes(gzip.compress("\n".join(lines).encode("utf-8")))
    status, records, err = run(["process", str(path)], capsys)
    assert status == 0
    articles = [r for r in records if "error" not in r]
    errors = [r["error"] for r in records if "error" in r]
    assert len(articles) == 1 and len(errors) == 3
    meta = articles[0]["meta"]
    assert (meta["input_id"], meta["url"], meta["published"], meta["input_line"]) == (
        "a-1", "https://example.org/1", "2021-12-22", 1)
    assert sorted((e["line"], e["reason"]) for e in errors) == [(2, "bad_json"), (3, "no_text"), (4, "not_an_object")]


def test_strict_and_nothing_processed_exit_non_zero(tmp_path, capsys):
    good, empty = tmp_path / "good.txt", tmp_path / "empty.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    empty.write_bytes(b"")
    assert run(["process", str(good), str(empty)], capsys)[0] == 0
    assert run(["process", str(good), str(empty), "--strict"], capsys)[0] == 1
    status, [record], err = run(["process", str(empty)], capsys)
    assert status == 1 and record["error"]["reason"] == "empty"
    assert "nothing could be processed" in err


def test_missing_path_and_binary_file(tmp_path, capsys):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    status, records, _ = run(["process", str(tmp_path / "nope.txt"), str(binary)], capsys)
    assert status == 1
    assert sorted(r["error"]["reason"] for r in records) == ["binary", "not_found"]


def test_explain_prints_zone_rules(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    _, _, err = run(["process", str(path), "--explain"], capsys)
    assert "title" in err and "related" in err and "boilerplate" in err
    assert "entity" in err and "Сергей Лавров" in err and "same_name" in err


def test_bad_published_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["process", "x.txt", "--published", "22.12.2021"])
    assert exit.value.code == 2
    assert "is not a date like 2021-12-22" in capsys.readouterr().err


def test_console_script_reads_stdin(seed_text):
    """The installed `letopis` command, as a user runs it: the seed on stdin."""
    result = subprocess.run([sys.executable, "-m", "letopis", "process", "-", "--lean"],
                            input=seed_text.encode("utf-8"), capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    [record] = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert record["meta"]["input"] == "-" and record["meta"]["outlet"] == "Depo.ua"
    assert "1 articles processed" in result.stderr.decode()


def test_user_gazetteer_adds_entries_and_a_bad_one_is_refused(tmp_path, capsys):
    entry = {"id": "per:kovalenko_irina", "type": "PER", "gender": "f", "country": "UKR",
             "name": {"ru": "Ирина Коваленко", "uk": "Ірина Коваленко", "en": "Iryna Kovalenko"}}
    user = tmp_path / "mine.jsonl"
    user.write_text(json.dumps(entry, ensure_ascii=False) + "\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Коваленко выступила в Киеве\n\nЭксперт Ирина Коваленко заявила, что переговоры продолжатся.\n",
                       encoding="utf-8")
    status, [record], _ = run(["process", str(article), "--gazetteer", str(user), "--lean"], capsys)
    assert status == 0
    assert {e["name"]: e["kb_id"] for e in record["entities"]}["Ирина Коваленко"] == "per:kovalenko_irina"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "per:x", "type": "ALIEN"}\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exit:
        main(["process", str(article), "--gazetteer", str(bad)])
    assert "bad.jsonl:1" in str(exit.value) and "docs/gazetteer.md" in str(exit.value)
