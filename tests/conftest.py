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
