"""Near-duplicate detection: MinHash signatures and LSH band keys for article texts.

Syndicated and re-published copies of a news article differ in line breaks, quote
style, the title line, a byline, footers, a "Читайте также" line and a few edited
words; a rewrite of the same story by another outlet shares facts but little wording.
Word 5-shingles of a normalized text tell the two apart:

- ``shingles(text)``: the set of word 5-grams of the text, lower case, ё as е, digits
  kept, punctuation, quotes, dashes and white space folded away;
- ``signature(text)``: a 128-value MinHash of those shingles (datasketch, ``affine32``
  scheme, fixed seed ``SEED``, SHA-1 of each shingle), as 512 bytes: the hash values as
  little-endian uint32. The same text gives the same bytes in every process and on
  every machine (``tests/test_store_dedup.py`` pins one value);
- ``band_keys(sig)``: LSH band keys, one integer in ``[0, 2**63)`` per band (so it fits
  SQLite INTEGER and PostgreSQL BIGINT); two articles are *candidates* when they share
  a key (``SELECT article_seq FROM article_bands WHERE key IN (...)``);
- ``similarity(a, b)``: the estimated Jaccard similarity of the two shingle sets (the
  share of equal hash values); candidates at or above ``DUPLICATE_THRESHOLD`` are copies.

An empty text (no word at all) has the all-``0xFFFFFFFF`` signature, no band key and
similarity 0.0 with everything: it is no one's copy (identical texts are caught earlier
by the record id). A text of fewer than ``size`` words is one shingle, the whole text.

Bands and rows. A pair with Jaccard ``s`` becomes a candidate with probability
``1 - prod_i (1 - s ** r_i)`` over the bands, band ``i`` having ``r_i`` rows
(``candidate_probability``). The requirement was > 0.99 at s = 0.8 and < 0.01 at
s = 0.3. No split of the 128 values into equal bands meets both:

    bands x rows             P(s=0.8)  P(s=0.3)
    16 x 8                     0.9470    0.0010   misses 5% of copies at 0.8
    18 x 7 (126 values)        0.9855    0.0039
    21 x 6 (126 values)        0.9983    0.0152   too many candidates at 0.3
    19: 14 x 7 then 5 x 6      0.9919    0.0067   <- BANDS = 19, all 128 values

so ``BANDS = 19``, the 128 values cut into 19 consecutive bands as evenly as possible
(``band_rows``: the first 128 % 19 = 14 bands have 7 rows, the last 5 have 6): the only
band count that meets both bounds (18 gives 0.984 at 0.8, 20 gives 0.0104 at 0.3).
datasketch's own helper, ``datasketch.lsh._optimal_param(t, 128, 0.5, 0.5)``, which
minimises the false positive and negative areas around one threshold ``t``, answers
21 x 6 for t = 0.55 and 18 x 7 for t = 0.6: the two equal splits around this one, each
failing one bound. Other ``bands`` values work and are split the same way; all the
articles of one store must use one value. Candidates at other similarities: 0.17 at
s = 0.5, 0.47 at 0.6, 0.84 at 0.7, 0.9919 at 0.8, 0.999998 at 0.9.

Threshold. ``DUPLICATE_THRESHOLD = 0.65`` on the estimate over ``content_text`` (lead
and body), which is what the store signs: two texts at or above it are the same report
re-published, edited or not (the reasoning below; it was 0.8 on the whole text at first,
which left the sample corpus's syndicated copy ``ru_020`` ungrouped). Measured on the sample corpus (true 5-shingle Jaccard):
articles on one event by different outlets score 0.002-0.02 (``ru_002``/``ru_017``
0.006, ``ru_004``/``ru_017`` 0.010, ``ru_001``/``ru_002`` 0.019), a copy of a
2,200-character article that drops the byline and changes line breaks, quotes,
"Читайте также" lines and footers 0.82 (1.0 on ``content_text``; the tests),
and the syndicated pair ``ru_019``/``ru_020`` (another title line, no byline, seven
edited words, another "Читайте также" line, other footers; 223 words) 0.60 on the
whole text, 0.77 on its lead and body zones (``content_text``): every edited word
removes five shingles. So 0.8 flags copies, not edited rewrites like ``ru_020``,
which is the precision-first reading; with 128 values the estimate's standard error
is sqrt(s(1 - s)/128), 0.035 at s = 0.8, so a copy truly at 0.9 is flagged with
probability > 0.99 and a pair truly at 0.65 almost never. Short articles suffer most
from outlet-specific lines on the whole text, so the store should sign
``content_text(article)``. To fold edited copies such as ``ru_020`` in as well, lower
the threshold to about 0.65 on ``content_text`` (that pair's estimate is 0.695; the
band keys find a pair at 0.77 with probability 0.97); nothing in the sample corpus
that is not a copy comes near it.

Speed (2-core sandbox, AMD EPYC, Python 3.11, datasketch 2.0.0, numpy 2.4.6, one
core, best of 5 x 3,000 calls): on a 3,000-character Russian article (412 words, 407
shingles), ``signature`` takes 1.1-1.4 ms, about 750-900 signatures per second:
words and shingles 0.27-0.30 ms, SHA-1 of the shingles 0.3-0.6 ms, the 407 x 128
permutations and their minimum the rest; ``band_keys`` 0.05 ms, ``similarity``
10 us.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SEED = 1917  # fixed forever: changing it changes every stored signature and band key
SCHEME = "affine32"  # datasketch >= 2.0; uint32 hash values, bijective permutations
SHINGLE_SIZE = 5
BANDS = 19
DUPLICATE_THRESHOLD = 0.65
SIGNATURE_BYTES = NUM_PERM * 4

_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype="<u4")
# datasketch makes the permutations (its ``affine32`` scheme: for each of the 128, a
# value ``a * fmix32(h) + b`` modulo 2**32 of every shingle hash ``h``, the smallest
# kept); ``signature`` applies them to the shingles' hashes itself, in one numpy
# expression: datasketch's ``update_batch`` calls a hash function per shingle, turns the
# list into an array and copies a MinHash per text (a signature of a synthetic article:
# 0.245 -> 0.203 ms, the same bytes; ``tests/test_store_dedup.py`` compares the two)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)
_A, _B = (values.astype("<u4") for values in _TEMPLATE.permutations)
# Letters and digits of any script; everything else (punctuation, quotes, dashes,
# underscores, white space) separates words.
_WORD = re.compile(r"[^\W_]+")
# Stress marks and invisible characters that copies add or drop inside words.
_INVISIBLE = re.compile("[\u0301\u0300\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def words(text: str) -> list[str]:
    """The words of the text: NFKC, lower case, ё as е, stress marks and soft hyphens
    dropped; runs of letters and digits, everything else a separator."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower().replace("ё", "е")
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    return _WORD.findall(text)


def normalize(text: str) -> str:
    """The words of the text joined with single spaces (what shingles are cut from)."""
    return " ".join(words(text))


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """The word ``size``-grams of the normalized text, each joined with one space.

    A text of ``size`` words or fewer (but at least one) is a single shingle, the
    whole normalized text; an empty text has none.
    """
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return set(map(" ".join, zip(*(tokens[i:] for i in range(size)))))


def signature(text: str, size: int = SHINGLE_SIZE) -> bytes:
    """The MinHash of ``shingles(text, size)``: 128 uint32 values, little-endian, 512 bytes."""
    grams = shingles(text, size)
    if not grams:
        return _EMPTY.tobytes()
    hashes = fmix32(np.frombuffer(b"".join(sha1_prefixes(grams)), dtype="<u4"))
    return (hashes[:, None] * _A + _B).min(axis=0).astype("<u4", copy=False).tobytes()


def sha1_prefixes(grams) -> list[bytes]:
    """The first four bytes of each shingle's SHA-1 (of its UTF-8)."""
    sha1 = hashlib.sha1
    return [sha1(gram.encode("utf-8")).digest()[:4] for gram in grams]


def hash32(grams) -> list[int]:
    """Each shingle's hash: its SHA-1's first four bytes, little-endian: what
    ``datasketch.hashfunc.sha1_hash32`` gives, the hash every stored signature was made with."""
    return [int.from_bytes(prefix, "little") for prefix in sha1_prefixes(grams)]


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch's ``affine32`` scheme applies to
    each hash value before its permutations (uint32 arithmetic, wrapping)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def _values(sig: bytes) -> np.ndarray:
    if len(sig) != SIGNATURE_BYTES:
        raise ValueError(f"a signature is {SIGNATURE_BYTES} bytes, not {len(sig)}")
    return np.frombuffer(sig, dtype="<u4")


def content_text(article) -> str:
    """The lead and body zones of an article record (``letopis.record.Article``),
    joined with blank lines: the part of the text that copies share, without the
    title line, byline, photo credit, "Читайте также" lines and footers that each
    outlet writes its own way. The whole text when the record has no such zone."""
    parts = [article.text[zone.start:zone.end] for zone in article.zones if zone.kind in ("lead", "body")]
    return "\n\n".join(parts) if parts else article.text


def is_empty(sig: bytes) -> bool:
    """True for the signature of a text without words."""
    return bool((_values(sig) == 0xFFFFFFFF).all())


def band_rows(bands: int = BANDS, num_perm: int = NUM_PERM) -> list[int]:
    """Rows per band: ``num_perm`` split as evenly as possible, the larger bands first."""
    if not 1 <= bands <= num_perm:
        raise ValueError(f"bands must be between 1 and {num_perm}")
    rows, extra = divmod(num_perm, bands)
    return [rows + 1] * extra + [rows] * (bands - extra)


def band_keys(sig: bytes, bands: int = BANDS) -> list[int]:
    """One LSH key per band, each in ``[0, 2**63)`` (a signed 64-bit column holds it).

    A key is 63 bits of BLAKE2b over the band's index, the band count and the band's
    hash values, so equal values in different bands never share a key. An empty
    text's signature has no keys.
    """
    values = _values(sig)
    if (values == 0xFFFFFFFF).all():
        return []
    keys = []
    start = 0
    for index, rows in enumerate(band_rows(bands)):
        band = values[start:start + rows].tobytes()
        start += rows
        digest = hashlib.blake2b(band, digest_size=8, salt=struct.pack("<HH", bands, index)).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets, 0.0 to 1.0
    (0.0 when either text is empty)."""
    a, b = _values(sig_a), _values(sig_b)
    if (a == 0xFFFFFFFF).all() or (b == 0xFFFFFFFF).all():
        return 0.0
    return int(np.count_nonzero(a == b)) / NUM_PERM


def similarities(sig: bytes, others: list[bytes]) -> list[float]:
    """``similarity(sig, other)`` for many others at once (one numpy comparison)."""
    if not others:
        return []
    a = _values(sig)
    if (a == 0xFFFFFFFF).all():
        return [0.0] * len(others)
    matrix = np.frombuffer(b"".join(others), dtype="<u4").reshape(len(others), NUM_PERM)
    equal = np.count_nonzero(matrix == a, axis=1) / NUM_PERM
    empty = (matrix == 0xFFFFFFFF).all(axis=1)
    return [0.0 if blank else float(value) for value, blank in zip(equal, empty)]


def is_duplicate(sig_a: bytes, sig_b: bytes, threshold: float = DUPLICATE_THRESHOLD) -> bool:
    return similarity(sig_a, sig_b) >= threshold


def candidate_probability(jaccard: float, bands: int = BANDS) -> float:
    """The probability that two texts with this true Jaccard share a band key."""
    miss = 1.0
    for rows in band_rows(bands):
        miss *= 1.0 - jaccard ** rows
    return 1.0 - miss
