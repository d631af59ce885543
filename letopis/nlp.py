"""The Russian NLP layer: sentences, tokens, lemmas, morphology, syntax and NER.

natasha/slovnet models do the work; this module only decides *what* they see and
*how* it is batched, and converts their output into letopis records at the boundary.

- Only title, lead and body zones are analysed; boilerplate never reaches the models,
  so footers cannot produce entities ("Телеграм Подписывайтесь", "Google News").
- Each paragraph is a unit for sentences and tokens: sentences never cross a line
  break (razdel alone would glue a title without a full stop to the lead). NER sees
  whole zones, so a name opening a paragraph keeps the context before it.
- The models see a same-length copy of the text with typographic variants folded
  (NBSP and thin spaces to spaces, „“” to ", ‘’ to '), so every offset stays valid
  in ``Article.text``.
- Batching across documents (PERF-NOTES.md): sentences of many articles are sorted
  by length and tagged in batches; NER runs on zones sorted by length.

Models are loaded once, explicitly, by ``NlpModels.load()`` — never at import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

from razdel import sentenize, tokenize

from .record import NLP_ZONE_KINDS, Article, Mention, Sentence, Token
from .ukrainian import ukrainian_normal

VERSION = "1.0"
NLP_LANGS = ("ru", "uk")  # languages that get morphology, syntax and NER
SEGMENT_LANGS = ("ru", "uk", "en", "other")  # every language gets sentences and tokens

_FOLD = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
    "\u2008": " ", "\t": " ", "\u201e": '"', "\u201c": '"', "\u201d": '"',
    "\u201f": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u02bc": "'",
})


def fold_typography(text: str) -> str:
    """A same-length copy of ``text`` with typographic variants folded."""
    return text.translate(_FOLD)


@dataclass
class NlpModels:
    morph: object
    syntax: object
    ner: object
    vocab: object  # natasha MorphVocab (pymorphy dictionaries, cached)
    sentence_batch: int = 64
    ner_batch: int = 4  # whole zones: 4 beat 8 and 16 in bench/throughput.py (less padding)
    lemma_cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, sentence_batch: int = 64, ner_batch: int = 4) -> "NlpModels":
        one_blas_thread()
        from natasha import (MorphVocab, NewsEmbedding, NewsMorphTagger,
                             NewsNERTagger, NewsSyntaxParser)

        embedding = NewsEmbedding()
        models = cls(
            morph=NewsMorphTagger(embedding),
            syntax=NewsSyntaxParser(embedding),
            ner=NewsNERTagger(embedding),
            vocab=MorphVocab(),
            sentence_batch=sentence_batch,
            ner_batch=ner_batch,
        )
        set_batch_size(models.morph, sentence_batch)
        set_batch_size(models.syntax, sentence_batch)
        set_batch_size(models.ner, ner_batch)
        return models


def one_blas_thread() -> None:
    """The models are small matrix products: extra BLAS threads only fight over cores
    (5x slower on the 2-core machines here). Must run before numpy is first imported;
    a value the user set is kept."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


@lru_cache(maxsize=1)
def shared_models() -> NlpModels:
    """The process's one set of models, loaded on first call (never at import)."""
    return NlpModels.load()


def set_batch_size(model, size: int) -> None:
    """slovnet keeps the batch size in two places: the API and its encoder."""
    model.batch_size = size
    model.infer.encoder.batch_size = size


# --- units: the paragraphs of title, lead and body ------------------------------


@dataclass
class Unit:
    """A paragraph of an NLP zone: what the models see, with its offset in text."""

    article: int  # index of the article in the batch
    zone: str
    start: int
    text: str  # folded text of the paragraph


def paragraph_units(article: Article, index: int) -> list[Unit]:
    folded = fold_typography(article.text)
    units = []
    for zone in article.zones_of(*NLP_ZONE_KINDS):
        position = zone.start
        for line in folded[zone.start:zone.end].split("\n"):
            stripped = line.strip()
            if stripped:
                start = position + line.index(stripped[0])
                units.append(Unit(index, zone.kind, start, stripped))
            position += len(line) + 1
    return units


def zone_units(article: Article, index: int) -> list[Unit]:
    """Whole title, lead and body zones, for NER: a name opening a paragraph is found
    more often with the paragraphs before it in view (measured on NEREL and SlavicNER)."""
    folded = fold_typography(article.text)
    return [Unit(index, zone.kind, zone.start, folded[zone.start:zone.end])
            for zone in article.zones_of(*NLP_ZONE_KINDS) if folded[zone.start:zone.end].strip()]


def segment_unit(unit: Unit, article: Article) -> list[Sentence]:
    sentences = []
    for sent in sentenize(unit.text):
        start = unit.start + sent.start
        tokens = [
            Token(start + tok.start, start + tok.stop, article.text[start + tok.start:start + tok.stop])
            for tok in tokenize(sent.text)
        ]
        if tokens:
            sentences.append(Sentence(start, unit.start + sent.stop, unit.zone, tokens))
    return sentences


# --- batched tagging ------------------------------------------------------------


def model_words(sentence: Sentence, folded: str) -> list[str]:
    return [folded[token.start:token.end] for token in sentence.tokens]


def tag_morph(sentences: list[Sentence], words: list[list[str]], models: NlpModels) -> None:
    order = sorted(range(len(sentences)), key=lambda i: len(words[i]))
    markups = models.morph.map([words[i] for i in order])
    for i, markup in zip(order, markups):
        for token, tagged in zip(sentences[i].tokens, markup.tokens):
            token.pos = tagged.pos
            token.feats = dict(tagged.feats)


def parse_syntax(sentences: list[Sentence], words: list[list[str]], models: NlpModels) -> None:
    order = sorted(range(len(sentences)), key=lambda i: len(words[i]))
    markups = models.syntax.map([words[i] for i in order])
    for i, markup in zip(order, markups):
        for token, parsed in zip(sentences[i].tokens, markup.tokens):
            token.head = int(parsed.head_id)
            token.rel = parsed.rel


LEMMA_CACHE_SIZE = 200_000


def lemmatize(sentences: list[Sentence], words: list[list[str]], models: NlpModels) -> None:
    """Lemmas through natasha's MorphVocab, cached by (word, tag): news repeat their
    words, and pymorphy's lemmatizer was an eighth of the NLP time uncached."""
    cache = models.lemma_cache
    lemmatize_word = models.vocab.lemmatize
    for sentence, sentence_words in zip(sentences, words):
        for token, word in zip(sentence.tokens, sentence_words):
            if token.pos in ("PUNCT", None) or not any(c.isalpha() for c in word):
                token.lemma = word
                continue
            key = (word, token.pos, tuple(sorted(token.feats.items())))
            lemma = cache.get(key)
            if lemma is None:
                if len(cache) >= LEMMA_CACHE_SIZE:
                    cache.clear()
                lemma = cache[key] = lemmatize_word(word, token.pos, token.feats)
            token.lemma = lemma


def first_line(text: str) -> str:
    """A name never runs over a line break: keep what comes before it."""
    return text.split("\n", 1)[0].rstrip()


def tag_ner(units: list[Unit], models: NlpModels) -> list[list[tuple[int, int, str]]]:
    """(start, end, type) spans per unit, offsets into Article.text."""
    order = sorted(range(len(units)), key=lambda i: len(units[i].text))
    found: list[list[tuple[int, int, str]]] = [[] for _ in units]
    markups = models.ner.map([units[i].text for i in order])
    for i, markup in zip(order, markups):
        start = units[i].start
        found[i] = [(start + span.start, start + span.start + len(first_line(units[i].text[span.start:span.stop])), span.type)
                    for span in markup.spans if first_line(units[i].text[span.start:span.stop]).strip()]
    return found


# --- normal forms (natasha's own normalizer, fed our tokens) ---------------------


def span_tokens(sentence: Sentence, start: int, end: int, folded: str):
    """natasha DocTokens for the tokens of a span, with sentence-local syntax ids."""
    from natasha.doc import DocToken

    tokens = []
    for number, token in enumerate(sentence.tokens, 1):
        if token.start >= start and token.end <= end:
            doc_token = DocToken(token.start, token.end, folded[token.start:token.end],
                                 id=str(number), head_id=str(token.head), rel=token.rel,
                                 pos=token.pos, feats=token.feats)
            tokens.append(doc_token)
    return tokens


def normal_form(sentence: Sentence | None, start: int, end: int, type_: str,
                folded: str, models: NlpModels) -> str:
    from natasha.norm import normalize, syntax_normalize

    text = folded[start:end]
    if sentence is None or not sentence.tokens or sentence.tokens[0].pos is None:
        return text
    tokens = span_tokens(sentence, start, end, folded)
    if not tokens:
        return text
    method = syntax_normalize if type_ == "ORG" else normalize
    try:
        return method(models.vocab, tokens)
    except Exception:  # natasha's normalizer fails on odd shapes; keep the text
        return text


def phrase_normalizer(article: Article, models: NlpModels):
    """``normalize(sentence, start, end)``: a phrase's nominative form, head and its
    agreeing words inflected, complements kept ("помощница госсекретаря США")."""
    folded = fold_typography(article.text)

    def normalize(sentence: Sentence, start: int, end: int) -> str:
        return normal_form(sentence, start, end, "ORG", folded, models)

    return normalize


def sentence_at(sentences: list[Sentence], start: int) -> Sentence | None:
    for sentence in sentences:
        if sentence.start <= start < sentence.end:
            return sentence
    return None


def make_mentions(article: Article, spans, folded: str, models: NlpModels) -> list[Mention]:
    mentions = []
    for start, end, type_ in spans:
        sentence = sentence_at(article.sentences, start)
        if article.meta.lang == "uk":
            normal = ukrainian_normal(folded[start:end], type_)
        else:
            normal = normal_form(sentence, start, end, type_, folded, models)
        mentions.append(Mention(
            start=start, end=end, text=article.text[start:end], normal=normal,
            kind="name", ner_type=type_,
        ))
    return mentions


# --- the stage ------------------------------------------------------------------


def analyse_articles(articles: list[Article], models: NlpModels) -> list[list[Mention]]:
    """Run the NLP layer over a batch of articles (sets ``sentences``).

    Returns the NER mentions of each article, in the order of ``articles``;
    ``resolve.group_mentions`` turns them into entities.
    """
    folded = [fold_typography(article.text) for article in articles]
    all_units: list[Unit] = []
    tagged_sentences: list[Sentence] = []
    tagged_words: list[list[str]] = []
    for index, article in enumerate(articles):
        units = paragraph_units(article, index)
        article.sentences = [s for unit in units for s in segment_unit(unit, article)]
        if article.meta.lang in NLP_LANGS:
            all_units.extend(zone_units(article, index))
            for sentence in article.sentences:
                tagged_sentences.append(sentence)
                tagged_words.append(model_words(sentence, folded[index]))

    if tagged_sentences:
        tag_morph(tagged_sentences, tagged_words, models)
        parse_syntax(tagged_sentences, tagged_words, models)
        lemmatize(tagged_sentences, tagged_words, models)

    spans_by_article: dict[int, list] = {i: [] for i in range(len(articles))}
    for unit, spans in zip(all_units, tag_ner(all_units, models) if all_units else []):
        spans_by_article[unit.article].extend(spans)

    return [
        make_mentions(article, sorted(spans_by_article[i]), folded[i], models)
        for i, article in enumerate(articles)
    ]
