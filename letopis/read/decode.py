"""Bytes to text: BOMs, UTF-8, then the Cyrillic and Latin code pages of this domain.

``decode(data)`` returns ``(text, encoding)``, where ``encoding`` is a Python codec
name such that ``data.decode(encoding) == text``. A failure raises ``ReadFailure``
with a reason from ``letopis.errors.REASONS``.

charset-normalizer proposes code pages; a small plausibility score (mixed-script
words, broken letter case, stray symbols) picks among them, because on short texts
charset-normalizer alone confuses cp1251, koi8-r and mac-cyrillic.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# The order is the preference when two decodings are equally plausible.
CANDIDATES = (
    "cp1251", "koi8_r", "koi8_u", "cp1252", "latin_1",
    "iso8859_5", "mac_cyrillic", "cp866", "utf_16",
)
BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SAMPLE_BYTES = 65_536
CONTROL_BYTES = bytes(set(range(32)) - set(b"\t\n\v\f\r\x1b"))
MAX_CONTROL_SHARE = 0.05
MAX_ODD_SHARE = 0.25  # above this share of odd words and symbols, no decoding is trusted


class ReadFailure(Exception):
    """An input that cannot become an article: a reason of REASONS and what to do."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and its encoding; ``declared`` is a charset the input names."""
    if not data.strip():
        raise ReadFailure("empty", "the input holds no text; check that it was exported whole")
    encoding = bom_encoding(data)
    if encoding:
        text = strict(data, encoding)
        if text is None:
            raise ReadFailure("undecodable", f"the bytes start with a {encoding} byte order mark "
                              "but do not decode as it; re-export the file as UTF-8")
    else:
        encoding = utf16_without_bom(data)
        text = strict(data, encoding) if encoding else None
        if text is None or oddness(text[:SAMPLE_BYTES]) > MAX_ODD_SHARE:
            check_not_binary(data)
            encoding, text = detect(data, declared)
    check_text(text)
    return text, encoding


def check_text(text: str) -> None:
    """Raise for text that is empty or holds NUL characters."""
    if not text.strip():
        raise ReadFailure("empty", "the input holds only white space; check the export")
    if "\x00" in text:
        raise ReadFailure("binary", f"NUL character at offset {text.index(chr(0))}: this looks "
                          "like binary data; convert it to text (txt, html, jsonl) first")


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le / utf-16-be when NULs sit in every other byte (spaces, digits, Latin)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    evens, odds = sample[0::2], sample[1::2]
    if odds.count(0) > 0.1 * len(odds) and evens.count(0) <= 0.01 * len(evens):
        return "utf-16-le"
    if evens.count(0) > 0.1 * len(evens) and odds.count(0) <= 0.01 * len(odds):
        return "utf-16-be"
    return None


def check_not_binary(data: bytes) -> None:
    if b"\x00" in data:
        raise ReadFailure("binary", f"NUL byte at offset {data.index(0)}: this looks like binary "
                          "data, not text; convert it to text (txt, html, jsonl) first")
    sample = data[:SAMPLE_BYTES]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise ReadFailure("binary", f"{controls} control bytes in the first {len(sample)}: this "
                          "looks like binary data, not text; convert it to text first")


def detect(data: bytes, declared: str | None) -> tuple[str, str]:
    """UTF-8 if it decodes, else the most plausible code page (the declared one on a tie)."""
    text = strict(data, "utf-8")
    if text is not None:
        return "utf-8", text
    ranked = ranked_candidates(data, codec_name(declared))
    sample = data[:SAMPLE_BYTES]
    scored = sorted((oddness(sample.decode(enc, errors="replace")), rank, enc)
                    for rank, enc in enumerate(ranked))
    for odd, _, encoding in scored:
        if odd > MAX_ODD_SHARE:
            break
        text = strict(data, encoding)
        if text is not None:
            return codecs.lookup(encoding).name, text
    raise ReadFailure("undecodable", "the bytes are not UTF-8 and read as nonsense in "
                      "cp1251, koi8-r, koi8-u, iso-8859-5, mac-cyrillic, cp866 and latin-1; "
                      "convert the file to UTF-8 (e.g. iconv -f ENCODING -t UTF-8)")


def ranked_candidates(data: bytes, declared: str | None) -> list[str]:
    """The declared charset, then charset-normalizer's guesses, then the rest of CANDIDATES."""
    guesses = [match.encoding for match in
               charset_normalizer.from_bytes(data[:SAMPLE_BYTES], cp_isolation=list(CANDIDATES))]
    ranked = [declared] if declared else []
    for encoding in [*guesses, *CANDIDATES]:
        if codec_name(encoding) not in map(codec_name, ranked):
            ranked.append(encoding)
    return ranked


def codec_name(label: str | None) -> str | None:
    """Python's name for an encoding label; latin-1 labels mean cp1252, as browsers read them."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


# --- plausibility: how much of a decoding looks like a wrong code page ------------

WORD = re.compile(r"[^\W\d_]+")
ODD_SYMBOL = re.compile(r"[^\w\s!-/:-@\[-`{-~«»„“”‘’‚–—…№°•·§©®™]")
USUAL_LETTERS = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏА-яЁёІіЇїЄєҐґЎў]+")
CYRILLIC = re.compile(r"[А-яЁёІіЇїЄєҐґЎў]")
LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]")
NON_ASCII_LATIN = re.compile(r"[À-ÖØ-öø-ɏ]")


def oddness(text: str) -> float:
    """The share of words and symbols that a wrong code page would produce (0 = plausible)."""
    words = WORD.findall(text)
    odd = len(ODD_SYMBOL.findall(text)) + sum(map(is_odd_word, words))
    return odd / max(1, len(words))


def is_odd_word(word: str) -> bool:
    cyrillic, latin = CYRILLIC.search(word), LATIN.search(word)
    return (
        not USUAL_LETTERS.fullmatch(word)  # box drawing, Serbian letters, CJK from utf-16
        or bool(cyrillic and latin)  # "cafй"
        or not (word.islower() or word.isupper() or word[0].isupper() and word[1:].islower())
        or bool(cyrillic) and len(word) >= 5 and word.isupper()  # koi8-r read as cp1251
        or bool(cyrillic) and word[0] in "ЬЪЫьъы"
        or not cyrillic and len(word) >= 3 and 2 * len(NON_ASCII_LATIN.findall(word)) > len(word)
    )
