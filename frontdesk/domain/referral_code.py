"""Personal referral codes: ``SARAH-K7QD`` — a name part, three random symbols, a check symbol.

The random symbols and the check come from a 31-symbol alphabet with no look-alikes (no O,
I, L, S or U), and 31 is prime, so a weighted sum modulo 31 detects every single wrong
symbol and every swap of two neighbours anywhere in the code, name part included. Input is
folded before it is checked: case, spaces and dashes are ignored, and O→0, I/L→1, S→5, U→V.
"""

from __future__ import annotations

import random
import re

from anyascii import anyascii

ALPHABET = "0123456789ABCDEFGHJKMNPQRTVWXYZ"
MODULUS = len(ALPHABET)  # 31, prime
RANDOM_SYMBOLS = 3
SUFFIX_LEN = RANDOM_SYMBOLS + 1
NAME_PART_MAX = 8
NAME_FALLBACK = "FRIEND"
FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5", "U": "V"})
_INDEX = {symbol: i for i, symbol in enumerate(ALPHABET)}
_CODE_SHAPE = re.compile(rf"^[A-Z]{{1,{NAME_PART_MAX}}}[0-9A-Z]{{{SUFFIX_LEN}}}$")


def name_part(first_name: str) -> str:
    """Up to eight capital Latin letters from a first name, in any script ("Zoë" → "ZOE")."""
    letters = re.sub(r"[^A-Z]", "", anyascii(first_name).upper())
    return letters[:NAME_PART_MAX] or NAME_FALLBACK


def _values(name: str, suffix: str) -> list[int]:
    # Name letters count by their place in A-Z (at most 25 apart, so never equal mod 31);
    # suffix symbols by their place in the alphabet.
    return [ord(ch) - ord("A") for ch in name] + [_INDEX[ch] for ch in suffix]


def check_symbol(name: str, random_part: str) -> str:
    """The symbol that makes the weighted sum of the whole code zero modulo 31."""
    values = _values(name, random_part)
    total = sum((i + 1) * v for i, v in enumerate(values))
    weight = len(values) + 1
    # Solve total + weight * c ≡ 0 (mod 31); weight < 31 so it has an inverse.
    c = (-total * pow(weight, -1, MODULUS)) % MODULUS
    return ALPHABET[c]


def is_valid(name: str, suffix: str) -> bool:
    if len(suffix) != SUFFIX_LEN or any(ch not in _INDEX for ch in suffix):
        return False
    values = _values(name, suffix)
    return sum((i + 1) * v for i, v in enumerate(values)) % MODULUS == 0


def generate_code(first_name: str, rng: random.Random) -> str:
    name = name_part(first_name)
    random_part = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return f"{name}-{random_part}{check_symbol(name, random_part)}"


def split_code(text: str) -> tuple[str, str] | None:
    """(name part, folded suffix) of what was typed, or None if it cannot be a code."""
    compact = re.sub(r"[\s\-_.]", "", text.upper())
    if not _CODE_SHAPE.match(compact) or len(compact) <= SUFFIX_LEN:
        return None
    name, suffix = compact[:-SUFFIX_LEN], compact[-SUFFIX_LEN:].translate(FOLD)
    if not name.isalpha():
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
    name, suffix = parts
    typed_suffix = re.sub(r"[\s\-_.]", "", text)[-SUFFIX_LEN:]  # before O→0 style folding
    if any(ch.isdigit() for ch in typed_suffix) or is_valid(name, suffix):
        return True
    groups = re.split(r"[\s\-_.]+", text.strip())
    return len(groups) > 1 and len(groups[-1]) == SUFFIX_LEN


def normalize_code(text: str) -> str:
    """The canonical form of a typed code ("sarah k7qd" → "SARAH-K7QD"); not validated."""
    parts = split_code(text)
    if parts is None:
        return text.strip().upper()
    return f"{parts[0]}-{parts[1]}"


def near_misses(text: str) -> list[str]:
    """Valid codes one wrong symbol or one swap of neighbours away from what was typed."""
    parts = split_code(text)
    if parts is None:
        return []
    name, suffix = parts
    seq = list(name) + list(suffix)
    split = len(name)
    found: set[str] = set()

    def consider(candidate: list[str]) -> None:
        cand_name, cand_suffix = "".join(candidate[:split]), "".join(candidate[split:])
        if cand_name.isalpha() and is_valid(cand_name, cand_suffix):
            found.add(f"{cand_name}-{cand_suffix}")

    for i in range(len(seq)):
        pool = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if i < split else ALPHABET
        for symbol in pool:
            if symbol != seq[i]:
                consider([*seq[:i], symbol, *seq[i + 1 :]])
    for i in range(len(seq) - 1):
        if seq[i] != seq[i + 1]:
            swapped = seq.copy()
            swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
            consider(swapped)
    found.discard(f"{name}-{suffix}")
    return sorted(found)
