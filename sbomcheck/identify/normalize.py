"""Normalisation of names before matching: the same folding for catalogue aliases and SBOM text.

A string becomes a tuple of tokens twice over:

- the *plain* form: Unicode NFKC, case folded, zero-width and control characters removed,
  every character that is not a letter or digit a separator. Cyrillic stays Cyrillic.
- the *full* form: the plain tokens with look-alike letters folded (a Cyrillic "а" inside a
  Latin word becomes "a"), Cyrillic words transliterated ("касперского" -> "kasperskogo"),
  legal forms dropped (AO, ZAO, OOO, Inc, Ltd, GmbH, LLC, ...), run-together words split where
  the text changes from a lower-case to an upper-case letter or between letters and digits
  (`KasperskyAntiVirus` -> "kaspersky anti virus", `Kaspersky2019` -> "kaspersky 2019"), and
  "anti virus" joined to "antivirus".

A match in the plain form is `exact`; one that needs the full form is `normalized`,
`lookalike` or `transliterated` (see `Folded.method`). Both forms are computed by
`fold(text)`; ASCII text, by far the most common, takes a fast path through one
`str.translate`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "LEGAL_FORMS",
    "Folded",
    "ascii_words",
    "fold",
    "plain_tokens",
    "split_tokens",
    "transliterate",
]

LEGAL_FORMS = frozenset(
    {
        # Russian and other post-Soviet forms, after transliteration
        "ao", "zao", "ooo", "oao", "pao", "tov", "pat",
        # English and international
        "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation",
        "co", "company", "jsc", "cjsc", "pjsc",
        # European
        "gmbh", "ag", "kg", "sa", "sarl", "srl", "spa", "bv", "nv", "ab", "oy", "as", "aps",
        "sas", "sro", "kft", "zrt",
    }
)  # fmt: skip
"""Tokens ignored in the full form: they say how a company is registered, not who it is."""

# NOTE: the translation table for the ASCII fast path: upper case to lower case, letters and
# digits kept, whitespace and punctuation to a space, other control characters deleted.
_ASCII_TABLE: dict[int, int | None] = {}
for _code in range(128):
    _ch = chr(_code)
    if _ch.isalnum():
        _ASCII_TABLE[_code] = ord(_ch.lower())
    elif _code < 32 and _ch not in "\t\n\r\x0b\x0c" or _code == 127:
        _ASCII_TABLE[_code] = None
    else:
        _ASCII_TABLE[_code] = 32

# For `ascii_words`: letters kept, everything else (digits too) a separator.
_CASED_BYTES_TABLE = bytes(b if chr(b).isalpha() and b < 128 else 32 for b in range(256))

# NOTE: where run-together words are split (the `split` form). Lower-to-upper only, never
# upper-to-lower: "KAVlaunch" must not yield a "kav" word that an acronym alias could match.
# Latin and Cyrillic letters; letter/digit either way.
_BOUNDARY = re.compile(
    r"(?<=[a-z\u0430-\u045f])(?=[A-Z\u0400-\u042f])"
    r"|(?<=[A-Za-z\u0400-\u045f])(?=[0-9])|(?<=[0-9])(?=[A-Za-z\u0400-\u045f])"
)
_BOUNDARY_BYTES = re.compile(rb"(?<=[a-z])(?=[A-Z])")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad")

# Letters of Cyrillic and Greek that look like Latin letters (lower case, after casefold).
_CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
    "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ү": "y", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y",
}  # fmt: skip

# Cyrillic transliteration (BGN/PCGN-like, without diacritics), with Ukrainian letters.
_TRANSLIT: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff" or "\u0500" <= ch <= "\u052f"


def _is_latin(ch: str) -> bool:
    return "a" <= ch <= "z" or "\u00c0" <= ch <= "\u024f"


def transliterate(word: str) -> str:
    """Cyrillic to Latin for one lower-case word (`касперского` -> `kasperskogo`).

    A final `-ий`/`-ый` becomes `-y`, the usual English rendering of Russian surnames
    (`Касперский` -> `kaspersky`).
    """
    if word.endswith(("ий", "ый")):
        word = word[:-2] + "\x00"
    return word.translate(_TRANSLIT_TABLE).replace("\x00", "y")


def ascii_words(text: str | bytes) -> set[bytes]:
    """The distinct runs of letters of an ASCII string, lower-cased, as bytes: a pre-check.

    Digits and control characters split words here (fewer words to hash: versions and
    numbers drop out); callers only use it to rule text out, with alphabetic gate words, and
    take the full path for anything not plain ASCII. CamelCase words give their pieces as
    well as themselves (`KasperskyAntiVirus` -> kasperskyantivirus, kaspersky, anti, virus).
    """
    data = text.encode("ascii", "replace") if isinstance(text, str) else text
    # NOTE: split with case kept and deduplicate first: the case-sensitive CamelCase regex
    # then runs over the distinct words only, a small fraction of a large SBOM's text.
    joined = b" ".join(set(data.translate(_CASED_BYTES_TABLE).split()))
    words = set(joined.lower().split())
    if _BOUNDARY_BYTES.search(joined):
        words.update(_BOUNDARY_BYTES.sub(b" ", joined).lower().split())
    return words


def plain_tokens(text: str) -> tuple[str, ...]:
    """The plain form of `text`: NFKC, case folded, split on anything not a letter or digit."""
    if text.isascii():
        return tuple(text.translate(_ASCII_TABLE).split())
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for ch in text.casefold():
        if ch.isalnum():
            out.append(ch)
        elif ch in _ZERO_WIDTH:
            continue
        else:
            cat = unicodedata.category(ch)
            if cat == "Cf" or (cat == "Cc" and not ch.isspace()):
                continue  # invisible: removed, not a separator, so "Kas\u200bpersky" folds
            out.append(" ")
    return tuple("".join(out).split())


@dataclass(frozen=True, slots=True)
class Folded:
    """Both token forms of one string and what it took to get from one to the other."""

    plain: tuple[str, ...]
    full: tuple[str, ...]
    origin: tuple[int, ...] = ()
    """For each full token, the index of the plain token it came from."""
    lookalike: bool = False
    """A word mixed Latin letters with look-alike Cyrillic or Greek ones."""
    transliterated: bool = False
    """A Cyrillic word was transliterated."""
    split: tuple[str, ...] = ()
    """The full form with run-together words split (`KasperskyAntiVirus` -> "kaspersky
    antivirus"), or empty when no word is. A second form to match, not a replacement: an alias
    written as one word (`KasperskyLab`) still matches the unsplit one."""
    split_origin: tuple[int, ...] = ()
    """For each split token, the index of the plain token it came from."""

    def method(self, *, alias_cyrillic: bool = False) -> str:
        """How a match found only in the full form was made."""
        if self.lookalike:
            return "lookalike"
        if self.transliterated or alias_cyrillic:
            return "transliterated"
        return "normalized"


def split_tokens(text: str) -> tuple[str, ...] | None:
    """The plain tokens of `text` with run-together words split, or None when none is.

    `KasperskyAntiVirus` -> ("kaspersky", "anti", "virus"); `Kaspersky2019` -> ("kaspersky",
    "2019"). Only a split of the plain tokens: concatenating the pieces gives them back.
    """
    if not _BOUNDARY.search(text):
        return None
    return plain_tokens(_BOUNDARY.sub(" ", text))


def _pieces(text: str, plain: tuple[str, ...]) -> list[tuple[int, str]]:
    """(plain position, piece) for every piece of every plain token of `text`."""
    split = split_tokens(text)
    if split is None or len(split) == len(plain):
        return list(enumerate(plain))
    out: list[tuple[int, str]] = []
    k = 0
    for pos, tok in enumerate(plain):
        start = k
        joined = ""
        while k < len(split) and len(joined) < len(tok):
            joined += split[k]
            k += 1
        if joined != tok:  # pragma: no cover - the split only ever refines the plain tokens
            return list(enumerate(plain))
        if tok in LEGAL_FORMS:  # "GmbH" is one word, not "gmb h"
            out.append((pos, tok))
        else:
            out.extend((pos, piece) for piece in split[start:k])
    return out


def _full(
    pieces: list[tuple[int, str]], whole: list[bool] | None = None
) -> tuple[tuple[str, ...], tuple[int, ...], bool, bool]:
    lookalike = transliterated = False
    words: list[str] = []
    origin: list[int] = []
    for pos, tok in pieces:
        if not tok.isascii():
            has_latin = any(_is_latin(c) for c in tok)
            has_cyr = any(_is_cyrillic(c) or c in _CONFUSABLES for c in tok)
            if has_latin and has_cyr:
                folded = "".join(_CONFUSABLES.get(c, c) for c in tok)
                if folded != tok:
                    lookalike = True
                    tok = folded
            if any(_is_cyrillic(c) for c in tok):
                tok = transliterate(tok)
                transliterated = True
        # NOTE: a legal form counts only as a word of its own, not as the piece of a
        # run-together one ("ProtoAS" is not "Proto AS").
        if tok in LEGAL_FORMS and not (whole is not None and not whole[pos]):
            continue
        if words and words[-1] == "anti":
            words[-1] = "anti" + tok  # "anti-virus" and "antivirus" are one word
            continue
        words.append(tok)
        origin.append(pos)
    return tuple(words), tuple(origin), lookalike, transliterated


def fold(text: str) -> Folded:
    """Plain and full token forms of `text` (see the module docstring)."""
    plain = plain_tokens(text)
    full, origin, lookalike, transliterated = _full(list(enumerate(plain)))
    pieces = _pieces(text, plain)
    if len(pieces) == len(plain):
        return Folded(plain, full, origin, lookalike, transliterated)
    whole = [True] * len(plain)  # plain positions that were not split
    for a, b in itertools.pairwise(pieces):
        if a[0] == b[0]:
            whole[a[0]] = False
    split, split_origin, lookalike2, _ = _full(pieces, whole)
    return Folded(plain, full, origin, lookalike or lookalike2, transliterated, split, split_origin)
