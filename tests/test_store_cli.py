"""The store's commands end to end: `letopis ingest` over the sample corpus and the
seed, then every query command through the CLI, as a user types them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from letopis.cli import main
from tests.conftest import CORPUS, SEED

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def store(tmp_path_factory, models):
    path = str(tmp_path_factory.mktemp("store") / "chronicle.db")
    assert main(["ingest", str(CORPUS), str(SEED), "--db", path, "--no-progress", "--published", "2021-12-22"]) == 0
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ingest_reports_what_it_did_and_a_rerun_stores_nothing(store, capsys):
    code, out, err = run(capsys, "ingest", str(CORPUS), str(SEED), "--db", store, "--no-progress",
                         "--published", "2021-12-22")
    assert code == 0
    assert "0 stored" in err and "already stored" in err
    assert "models loaded" not in err  # nothing new: the models were never needed


def test_quotes_of_blinken_as_json_and_csv(store, capsys):
    code, out, _ = run(capsys, "quotes", "--speaker", "Блинкен", "--db", store, "--json")
    assert code == 0
    items = json.loads(out)["items"]
    assert items and all(item["speaker"]["name"] == "Энтони Блинкен" for item in items)
    assert all(item["article_id"] and item["end"] > item["start"] for item in items)
    code, out, _ = run(capsys, "quotes", "--speaker", "Блинкен", "--db", store, "--csv", "--limit", "3")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 and rows[0]["speaker"] == "Энтони Блинкен"


def test_the_seed_meeting_is_not_planned_between_biden_and_putin(store, capsys):
    code, out, _ = run(capsys, "events", "--between", "Байден", "Путин", "--status", "not_planned",
                       "--type", "CONSULT", "--db", store, "--json")
    assert code == 0
    items = json.loads(out)["items"]
    assert any(item["subtype"] == "meeting" for item in items)
    assert all({"Джо Байден", "Владимир Путин"} <= {a["name"] for a in item["actors"]} for item in items)
    code, out, _ = run(capsys, "event", str(items[0]["id"]), "--db", store)
    assert code == 0 and "not_planned" in out


def test_entity_timeline_search_and_stats(store, capsys):
    code, out, _ = run(capsys, "entity", "Блинкен", "--db", store)
    assert code == 0 and "Энтони Блинкен" in out and "госсекретарь сша" in out.lower()
    code, out, _ = run(capsys, "timeline", "Блинкен", "--db", store, "--json", "--by", "month")
    timeline = json.loads(out)
    assert timeline["counts"] and any(item["kind"] == "quote" for item in timeline["items"])
    code, out, _ = run(capsys, "search", "встречей", "--db", store, "--json")
    found = json.loads(out)["items"]
    assert found and all(item["snippet"]["marks"] for item in found)
    code, out, _ = run(capsys, "stats", "--db", store)
    assert code == 0 and "articles" in out and "most quoted" in out


def test_a_table_on_the_terminal(store, capsys):
    code, out, _ = run(capsys, "events", "--between", "Байден", "Путин", "--db", store, "--limit", "5")
    header = out.splitlines()[0].split()
    assert code == 0 and header[:4] == ["id", "day", "type", "status"]


def test_export_parquet_loads_in_pyarrow(store, capsys, tmp_path):
    import pyarrow.parquet as pq

    code, _, err = run(capsys, "export", "--format", "parquet", "--out", str(tmp_path), "--db", store)
    assert code == 0
    quotes = pq.read_table(tmp_path / "quotes.parquet")
    assert quotes.num_rows > 100 and "speaker_name" in quotes.column_names


def test_export_into_an_unusable_folder_is_a_message_not_a_traceback(store, capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "export", "--out", str(blocker / "out"), "--db", store)
    assert code == 1 and err.startswith("letopis: ") and "Traceback" not in err


def test_errors_say_what_to_do(store, capsys, tmp_path):
    code, _, err = run(capsys, "quotes", "--speaker", "Несуществующий Человек", "--db", store)
    assert code == 2 and "no entity called" in err and "letopis search" in err
    code, _, err = run(capsys, "stats", "--db", str(tmp_path / "nothing-here" / "x.db"))
    assert code == 1 and "letopis" in err
    code, _, err = run(capsys, "event", "999999", "--db", store)
    assert code == 2 and "no event" in err


def test_the_sample_corpus_syndicated_copy_joins_its_original(store):
    import sqlite3

    connection = sqlite3.connect(store)
    rows = dict(connection.execute(
        "SELECT input, dup_group FROM articles WHERE input LIKE '%ru_019_%' OR input LIKE '%ru_020_%'").fetchall())
    firsts = dict(connection.execute(
        "SELECT input, first_report FROM articles WHERE input LIKE '%ru_019_%' OR input LIKE '%ru_020_%'").fetchall())
    others = connection.execute("SELECT count(*) FROM articles WHERE first_report = 0").fetchone()[0]
    connection.close()
    assert len(rows) == 2 and len(set(rows.values())) == 1, rows
    assert sorted(firsts.values()) == [0, 1]
    assert others == 1  # nothing else in the corpus is anyone's copy
