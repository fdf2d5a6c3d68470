"""Names for search: script-, accent- and case-blind forms, sound-alike keys, and a score of
how well a typed query matches a person's name.

"Catherine" finds "Kathryn" (same Metaphone key), "Jon" finds "John", "conoly" finds
"Connolly" (a typo), and "sarah con" puts Sarah Connolly above every other Sarah.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish
from anyascii import anyascii

_NOT_LETTER = re.compile(r"[^a-z ]+")
PHONETIC_MIN = 3  # shorter words have keys too coarse to mean "sounds like"
TYPO_MIN = 4  # a typo is only guessed at in a word this long
KEY_MAX = 12

EXACT = 1.0
PREFIX = 0.9
SOUNDS_LIKE = 0.8
TYPO = 0.7


def letters_only(text: str) -> str:
    """Letters, combining marks and spaces; symbols and emoji go (anyascii would spell
    "😀" as ":grinning:"), hyphens become spaces, apostrophes vanish."""
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] in "LM" or ch == " ":
            kept.append(ch)
        elif ch == "-" or category[0] == "Z":
            kept.append(" ")
    return "".join(kept)


def normalize_name(text: str) -> str:
    """Lower-case ASCII letters and single spaces: "Zoë  O'Brien" → "zoe obrien"."""
    ascii_text = anyascii(letters_only(text)).lower()
    return " ".join(_NOT_LETTER.sub("", ascii_text).split())


def phonetic_key(word: str) -> str:
    """A sound-alike key (Metaphone): Catherine and Kathryn, Jon and John share one."""
    return _key(normalize_name(word).replace(" ", ""))


@lru_cache(maxsize=8192)
def _key(letters: str) -> str:
    """Metaphone of an already normalised word (ranking asks for the same few many times)."""
    return jellyfish.metaphone(letters)[:KEY_MAX] if letters else ""


def name_similarity(a: str, b: str) -> float:
    """0..1, how alike two normalised names look (Jaro-Winkler; forgiving of typos)."""
    if not a or not b:
        return 0.0
    return jellyfish.jaro_winkler_similarity(a, b)


def token_score(typed: str, word: str) -> float:
    """How well one typed word matches one word of a name (0: not at all)."""
    if not typed or not word:
        return 0.0
    if typed == word:
        return EXACT
    if word.startswith(typed):
        # "kat" for "katarzyna": a prefix; the longer the share typed, the surer.
        return PREFIX + 0.09 * len(typed) / len(word)
    if len(typed) >= PHONETIC_MIN and _key(typed) == _key(word):
        return SOUNDS_LIKE
    if len(typed) >= TYPO_MIN:
        # Compare with the start of the word, so a typo in a half-typed name still counts.
        head = word[: len(typed) + 1]
        edits = jellyfish.damerau_levenshtein_distance(typed, head[: len(typed)])
        edits = min(edits, jellyfish.damerau_levenshtein_distance(typed, head))
        if edits <= (1 if len(typed) < 7 else 2):
            return TYPO + 0.05 * name_similarity(typed, head)
    return 0.0


def match_score(query: str, name_norm: str) -> float:
    """How well a typed query (normalised) matches a normalised full name, 0..1.

    Every typed word must find a word of the name (in order, first words first); a word that
    finds none halves the score, so a partial match can show but never outranks a full one.
    """
    typed = query.split()
    words = name_norm.split()
    if not typed or not words:
        return 0.0
    if name_norm.startswith(query):
        return EXACT if name_norm == query else 0.97 + 0.02 * len(query) / len(name_norm)
    # Surname first ("connolly sarah") is fine too, a little below the usual order.
    return max(_in_order(typed, words), _any_order(typed, words) * 0.92)


def _any_order(typed: list[str], words: list[str]) -> float:
    scores = [max(token_score(token, word) for word in words) for token in typed]
    missed = sum(1 for score in scores if score == 0.0)
    return sum(scores) / len(typed) * 0.96 * (0.5**missed)


def _in_order(typed: list[str], words: list[str]) -> float:
    total = 0.0
    missed = 0
    start = 0
    for index, token in enumerate(typed):
        last_typed = index == len(typed) - 1
        best, best_at = 0.0, start
        for at in range(start, len(words)):
            score = token_score(token, words[at])
            if not last_typed and score < EXACT and score >= PREFIX:
                score = PREFIX  # only the word being typed may be a prefix of its name
            if score > best:
                best, best_at = score, at
        if best == 0.0:
            missed += 1
        else:
            start = best_at + 1
        total += best
    score = total / len(typed) * 0.96
    return score * (0.5**missed)


def normalize_email(text: str | None) -> str | None:
    """Trimmed and lower-cased; None for blank."""
    if text is None:
        return None
    email = text.strip().lower()
    return email or None
