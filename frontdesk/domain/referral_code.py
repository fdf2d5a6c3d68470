"""Personal referral codes: ``SARAH-K7QD`` — a name part, three random symbols, a check symbol.

The random symbols and the check come from a 31-symbol alphabet with no look-alikes (no O,
I, L, S or U). Every symbol has a value below 31, a prime, and the weighted sum of the
whole code (weights 1, 2, 3, … from the left) is 0 modulo 31. So:
- one wrong symbol anywhere, name part included, changes the sum by (weight × difference),
  never a multiple of 31: always detected;
- two swapped neighbours change it by the difference of their values: always detected.
  A letter has the same value in the name part and in the symbols, so even a swap across
  the dash ("SARAK-H7QD" for "SARAH-K7QD") is caught.
Input is folded before it is checked: case, spaces and dashes are ignored, and in the
symbols O→0, I/L→1, S→5, U→V.
"""

from __future__ import annotations

import random
import re

from anyascii import anyascii

from frontdesk.domain.names import letters_only

ALPHABET = "0123456789ABCDEFGHJKMNPQRTVWXYZ"
MODULUS = len(ALPHABET)  # 31, prime
RANDOM_SYMBOLS = 3
SUFFIX_LEN = RANDOM_SYMBOLS + 1
NAME_PART_MAX = 8
NAME_FALLBACK = "FRIEND"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5", "U": "V"})
_SYMBOL_VALUE = {symbol: i for i, symbol in enumerate(ALPHABET)}
# Name letters: the same value as in the symbols; the five letters the symbols leave out
# take distinct digit values (their look-alike's where it is free: O=0, I=1, S=5).
_LETTER_VALUE = {
    **{ch: v for ch, v in _SYMBOL_VALUE.items() if ch.isalpha()},
    "O": 0,
    "I": 1,
    "S": 5,
    "L": 7,
    "U": 8,
}
_SEPARATORS = re.compile(r"[\s\-_.]")
_CODE_SHAPE = re.compile(rf"^[A-Z]{{1,{NAME_PART_MAX}}}[0-9A-Z]{{{SUFFIX_LEN}}}$")


def name_part(first_name: str) -> str:
    """Up to eight capital Latin letters from a first name, in any script ("Zoë" → "ZOE")."""
    letters = re.sub(r"[^A-Z]", "", anyascii(letters_only(first_name)).upper())
    return letters[:NAME_PART_MAX] or NAME_FALLBACK


def _weighted_sum(name: str, suffix: str) -> int:
    values = [_LETTER_VALUE[ch] for ch in name] + [_SYMBOL_VALUE[ch] for ch in suffix]
    return sum((i + 1) * v for i, v in enumerate(values))


def check_symbol(name: str, random_part: str) -> str:
    """The symbol that makes the weighted sum of the whole code zero modulo 31."""
    total = _weighted_sum(name, random_part)
    weight = len(name) + len(random_part) + 1
    # Solve total + weight * c ≡ 0 (mod 31); weight < 31 so it has an inverse.
    return ALPHABET[(-total * pow(weight, -1, MODULUS)) % MODULUS]


def is_valid(name: str, suffix: str) -> bool:
    """A name part of capital letters and four symbols whose check works out."""
    if not name or len(name) > NAME_PART_MAX or any(ch not in _LETTER_VALUE for ch in name):
        return False
    if len(suffix) != SUFFIX_LEN or any(ch not in _SYMBOL_VALUE for ch in suffix):
        return False
    return _weighted_sum(name, suffix) % MODULUS == 0


def generate_code(first_name: str, rng: random.Random) -> str:
    name = name_part(first_name)
    random_part = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return f"{name}-{random_part}{check_symbol(name, random_part)}"


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", anyascii(text).upper())


def split_code(text: str) -> tuple[str, str] | None:
    """(name part, folded suffix) of what was typed, or None if it cannot be a code."""
    compact = _compact(text)
    if not _CODE_SHAPE.match(compact):
        return None
    name, suffix = compact[:-SUFFIX_LEN], compact[-SUFFIX_LEN:].translate(FOLD)
    if not name.isalpha() or any(ch not in _SYMBOL_VALUE for ch in suffix):
        return None
    return name, suffix


def looks_like_code(text: str) -> bool:
    """Whether what was typed may be a code: the right shape, and a sign it is one — a digit
    among the last four symbols, a separator right before them ("sarah k7qd"), or a check
    symbol that works out. About one code in five has no digit, so shape alone is not enough
    and a digit alone would miss them."""
    parts = split_code(text)
    if parts is None:
        return False
    typed_suffix = _compact(text)[-SUFFIX_LEN:]  # before O→0 style folding
    if any(ch.isdigit() for ch in typed_suffix) or is_valid(*parts):
        return True
    groups = _SEPARATORS.split(text.strip())
    return len(groups) > 1 and len(groups[-1]) == SUFFIX_LEN


def normalize_code(text: str) -> str:
    """The canonical form of a typed code ("sarah k7qd" → "SARAH-K7QD"); not validated."""
    parts = split_code(text)
    if parts is None:
        return text.strip().upper()
    return f"{parts[0]}-{parts[1]}"


def near_misses(text: str) -> list[str]:
    """Valid codes one wrong symbol or one swap of neighbours away from what was typed.

    Works on the typed characters as they are, so a digit typed into the name part
    ("SAR4H-K7QD") or a swap across the dash still leads back to the real code.
    """
    compact = _compact(text)
    if not SUFFIX_LEN < len(compact) <= NAME_PART_MAX + SUFFIX_LEN or not compact.isalnum():
        return []
    cut = len(compact) - SUFFIX_LEN
    typed = list(compact)
    found: set[str] = set()

    def consider(candidate: list[str]) -> None:
        name = "".join(candidate[:cut])
        suffix = "".join(candidate[cut:]).translate(FOLD)
        if is_valid(name, suffix):
            found.add(f"{name}-{suffix}")

    for i in range(len(typed)):
        for symbol in LETTERS if i < cut else ALPHABET:
            if symbol != typed[i]:
                consider([*typed[:i], symbol, *typed[i + 1 :]])
    for i in range(len(typed) - 1):
        if typed[i] != typed[i + 1]:
            swapped = typed.copy()
            swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
            consider(swapped)
    own = split_code(text)
    if own is not None:
        found.discard(f"{own[0]}-{own[1]}")
    return sorted(found)
