"""Language identification: ru, uk, en or other, with lingua.

lingua tells Russian from Ukrainian well on short texts (99.9% on BSNLP news in
PERF-NOTES.md). It sees the title, lead and body when zones are known (footers in
another language must not decide), at most ``SAMPLE_CHARS`` of them. Its models for
the candidate languages are loaded lazily on first use and then kept.
"""

from __future__ import annotations

from functools import lru_cache

from .record import NLP_ZONE_KINDS, Article

VERSION = "1.0"
SAMPLE_CHARS = 2000
TARGETS = {"RUSSIAN": "ru", "UKRAINIAN": "uk", "ENGLISH": "en"}
# Close neighbours: without them, Belarusian or Bulgarian text would be forced into ru/uk.
OTHERS = ("BELARUSIAN", "BULGARIAN", "SERBIAN", "MACEDONIAN", "POLISH", "GERMAN", "FRENCH",
          "SPANISH", "TURKISH")


@lru_cache(maxsize=1)
def detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in (*TARGETS, *OTHERS)]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def sample_text(article: Article) -> str:
    zones = article.zones_of(*NLP_ZONE_KINDS)
    text = "\n".join(article.zone_text(z) for z in zones) if zones else article.text
    return text[:SAMPLE_CHARS]


def detect_language(text: str) -> tuple[str, float]:
    """(code, confidence) for a text; "other" when it is none of ru, uk, en."""
    if sum(ch.isalpha() for ch in text) < 3:
        return "other", 0.0
    values = detector().compute_language_confidence_values(text)
    if not values:
        return "other", 0.0
    best = values[0]
    return TARGETS.get(best.language.name, "other"), round(best.value, 3)


def identify_language(article: Article) -> None:
    """Set ``meta.lang`` unless the input or the user already gave it."""
    if article.meta.lang:
        return
    article.meta.lang, article.meta.lang_score = detect_language(sample_text(article))


def warm_up() -> None:
    """lingua loads a language's models on first use (~2 s for the Cyrillic ones):
    pay it when the pipeline is built, not on the first articles."""
    for sample in ("Переговоры продолжатся в январе", "Переговори тривають у Стамбулі", "Talks will go on"):
        detect_language(sample)
