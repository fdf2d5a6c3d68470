"""Name and email normalisation for search: script-, accent- and case-blind, sound-alike keys."""

from __future__ import annotations

import re

import jellyfish
from anyascii import anyascii

_NOT_LETTER = re.compile(r"[^a-z ]+")


def normalize_name(text: str) -> str:
    """Lower-case ASCII letters and single spaces: "Zoë  O'Brien" → "zoe obrien"."""
    ascii_text = anyascii(text).lower().replace("-", " ")
    return " ".join(_NOT_LETTER.sub("", ascii_text).split())


def phonetic_key(word: str) -> str:
    """A sound-alike key (Metaphone): Catherine and Kathryn, Jon and John share one."""
    letters = normalize_name(word).replace(" ", "")
    return jellyfish.metaphone(letters)[:12] if letters else ""


def name_similarity(a: str, b: str) -> float:
    """0..1, how alike two normalised names look (Jaro-Winkler; forgiving of typos)."""
    if not a or not b:
        return 0.0
    return jellyfish.jaro_winkler_similarity(a, b)


def normalize_email(text: str | None) -> str | None:
    """Trimmed and lower-cased; None for blank."""
    if text is None:
        return None
    email = text.strip().lower()
    return email or None
