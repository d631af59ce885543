"""Shared fixtures: heavy models are loaded once per test session."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_79ae6ed39590c044.txt"
SEED_EXPECTED = SHARED / "seeds" / "000_79ae6ed39590c044.expected.json"
CORPUS = ROOT / "examples" / "corpus"


@pytest.fixture(scope="session")
def models():
    from letopis.nlp import shared_models

    return shared_models()


@pytest.fixture(scope="session")
def seed_text():
    if not SEED.exists():
        pytest.skip(f"the seed article is not at {SEED}")
    return SEED.read_text(encoding="utf-8")


# -- the web app's stores (tests/test_web_*.py) ---------------------------------------------

def _ingest_into(path, inputs, models) -> None:
    from letopis.pipeline import default_pipeline
    from letopis.read import read_paths
    from letopis.store import open_store
    from letopis.store.ingest import ingest

    db = open_store(str(path))
    try:
        ingest(db, read_paths([str(item) for item in inputs]), lambda: default_pipeline(models=models))
    finally:
        db.close()  # the last connection closed: the WAL is checkpointed into the file


@pytest.fixture(scope="session")
def web_corpus_store(tmp_path_factory, models):
    """An SQLite store of the sample corpus (without the seed), built once: copy it
    before writing into it."""
    path = tmp_path_factory.mktemp("web-corpus") / "corpus.db"
    _ingest_into(path, [CORPUS], models)
    return path


@pytest.fixture(scope="session")
def web_store(tmp_path_factory, web_corpus_store, models):
    """The sample corpus plus the seed article, built once; read-only for the tests."""
    import shutil

    if not SEED.exists():
        pytest.skip(f"the seed article is not at {SEED}")
    path = tmp_path_factory.mktemp("web-store") / "store.db"
    shutil.copyfile(web_corpus_store, path)
    _ingest_into(path, [SEED], models)
    return str(path)
