"""Text normalisation against evasion, with a map back to the original text. Pure Python.

Merchants hide banned terms from word filters with full-width letters (ｂｅｓｔ), traditional
characters (國家級), spaces and symbols between characters (最 佳, b.e.s.t), zero-width
characters, upper case and look-alike letters from other scripts (Cyrillic ``е`` for Latin
``e``). ``normalise`` folds all of that away, character by character:

1. Unicode NFKC (full-width and compatibility forms -> their plain form);
2. accents stripped from Latin/Greek/Cyrillic letters (``é`` -> ``e``);
3. case folding;
4. traditional -> simplified Chinese (OpenCC ``t2s``, character by character);
5. look-alike characters (``HOMOGLYPHS``) -> the Latin letter they imitate;
6. separators, punctuation (but ``%``), symbols, controls and format characters (zero-width)
   dropped.

Every original character becomes zero, one or more characters of the normalised text, so the
normalised text keeps a map back: ``Normalised.span(start, end)`` gives the ``[start, end)``
of the ORIGINAL text that produced normalised ``[start, end)``. The per-character results are
cached, and the normalised string itself is built by ``str.translate`` (C speed); the map is
only built when a match asks for it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

__all__ = ["HOMOGLYPHS", "Normalised", "fold", "fold_char", "is_word_char", "normalise"]

# Look-alikes folded to the Latin letter they imitate. Digits 0 and 1 are folded to o and l
# (n0 1 -> "nol", like "no1"); terms are folded the same way, so digits in terms still match.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic (lower case after case folding)
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ѕ": "s",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "һ": "h",
    "ӏ": "l",
    "ɡ": "g",
    "ь": "b",
    # Greek
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "μ": "u",
    "ς": "s",
    "σ": "o",
    # Latin look-alikes and digits
    "ı": "i",
    "ɩ": "i",
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ħ": "h",
    "ŧ": "t",
    "ß": "ss",
    "0": "o",
    "1": "l",
}

_DROP_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Mc"})
_DROP_PREFIXES = ("P", "S")
_KEEP = frozenset("%")  # part of claims such as 100% and 99.9%
_STRIP_ACCENTS_BELOW = 0x0530  # Latin, Greek, Cyrillic blocks
_T2S = opencc.OpenCC("t2s")


def _fold_one(ch: str) -> str:
    """Fold one already-NFKC, case-folded character (no further expansion)."""
    if ch in _KEEP:
        return ch
    cat = unicodedata.category(ch)
    if cat in _DROP_CATEGORIES or cat.startswith(_DROP_PREFIXES):
        return ""
    if ch in HOMOGLYPHS:
        return HOMOGLYPHS[ch]
    code = ord(ch)
    if 0x80 <= code < _STRIP_ACCENTS_BELOW or 0x1E00 <= code <= 0x1EFF:
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        return HOMOGLYPHS.get(base, base)
    if 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF:
        return _T2S.convert(ch)
    return ch


def fold_char(ch: str) -> str:
    """What one original character becomes in the normalised text ("" when dropped)."""
    nfkc = unicodedata.normalize("NFKC", ch).casefold()
    return "".join(_fold_one(c) for c in nfkc)


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first use of each code point."""

    def __missing__(self, code: int) -> str:
        value = fold_char(chr(code))
        self[code] = value
        return value


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """The normalised form of ``text`` (no map): what terms and texts are compared in."""
    return text.translate(_TABLE)


@lru_cache(maxsize=4096)
def is_word_char(ch: str) -> bool:
    """Whether ``ch`` continues a Latin word (its folded form has an ASCII letter or digit)."""
    return any(c.isascii() and c.isalnum() for c in fold_char(ch))


_INVISIBLE = frozenset({"Cf", "Mn", "Me", "Mc"})


class Normalised:
    """A text and its normalised form; ``span`` maps normalised offsets to original ones."""

    __slots__ = ("_index", "original", "text")

    def __init__(self, original: str, text: str | None = None) -> None:
        self.original = original
        self.text = original.translate(_TABLE) if text is None else text
        self._index: list[int] | None = None

    def __repr__(self) -> str:
        return f"Normalised({self.original!r} -> {self.text!r})"

    def index(self) -> list[int]:
        """``index[i]`` is the original offset of normalised character ``i``."""
        if self._index is None:
            table = _TABLE
            lengths = [len(table[ord(ch)]) for ch in self.original]
            if max(lengths, default=0) <= 1:
                self._index = [i for i, n in enumerate(lengths) if n]
            else:
                out: list[int] = []
                for i, n in enumerate(lengths):
                    out.extend([i] * n)
                self._index = out
        return self._index

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` that produced normalised ``[start, end)`` (end >
        start). Combining marks right after the last character are included."""
        index = self.index()
        o_start = index[start]
        o_end = index[end - 1] + 1
        original = self.original
        while o_end < len(original) and unicodedata.category(original[o_end]) in ("Mn", "Me"):
            o_end += 1
        return o_start, o_end

    def glued_before(self, o_start: int) -> bool:
        """Whether the original character before ``o_start`` continues a Latin word (zero-width
        characters and combining marks are looked through)."""
        original = self.original
        i = o_start - 1
        while i >= 0 and unicodedata.category(original[i]) in _INVISIBLE:
            i -= 1
        return i >= 0 and is_word_char(original[i])

    def glued_after(self, o_end: int) -> bool:
        """Whether the original character at ``o_end`` continues a Latin word."""
        original = self.original
        j = o_end
        while j < len(original) and unicodedata.category(original[j]) in _INVISIBLE:
            j += 1
        return j < len(original) and is_word_char(original[j])


def normalise(text: str) -> Normalised:
    """Normalise ``text``; see the module docstring for what is folded."""
    return Normalised(text)
