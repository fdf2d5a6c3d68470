"""What a patient's reply means: opt out, opt back in, a 1-5 rating, or words for the desk.

Carriers and Twilio treat STOP-family keywords as the whole message, in any case, with
stray whitespace and punctuation; people add emoji ("STOP 🙏", " 5 👍"). We accept those
and nothing looser: "please don't stop texting" is words for the desk, not an opt-out.

The poster keyword is the first word(s) of the text; a poster's QR pre-fills it with the
poster's tag ("FRIEND TREATMENT ROOM 2"), so the words after it come back as ``rest`` for the
sync to match to a poster. "Friend of mine wants to book" is kept for the desk: more than
two words after the keyword count as a keyword text only when they name a poster, which only
the sync (with the posters on file) can tell — see ``KEYWORD_EXTRA_WORDS``.
CREDIT or BALANCE alone (or "my balance?") asks for the patient's credit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT"})
START_WORDS = frozenset({"START", "UNSTOP", "YES"})

OPT_OUT = "opt_out"
OPT_IN = "opt_in"
RATING = "rating"
KEYWORD = "keyword"
BALANCE = "balance"
TEXT = "text"
KEYWORD_EXTRA_WORDS = 2  # "FRIEND please", "friend code": still the keyword without a tag

_BALANCE = re.compile(
    r"(?:WHATS |WHAT IS )?(?:MY )?(?:CREDIT|BALANCE)(?: PLEASE)?"
    r"|HOW MUCH (?:CREDIT|BALANCE) (?:DO I HAVE|HAVE I GOT)(?: LEFT)?"
)

_RATING_WORDS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}


@dataclass(frozen=True)
class ReplyMeaning:
    intent: str  # opt_out, opt_in, rating, keyword, balance, text
    rating: int | None = None
    keyword: str | None = None
    rest: tuple[str, ...] = ()  # the words after the keyword (a poster's tag, perhaps)

    def describe(self) -> str:
        if self.intent == OPT_OUT:
            return "Opted out of texts"
        if self.intent == OPT_IN:
            return "Opted back in to texts"
        if self.intent == RATING:
            return f"Rated their visit {self.rating} out of 5"
        if self.intent == KEYWORD:
            return f"Texted the poster keyword {self.keyword}"
        if self.intent == BALANCE:
            return "Asked for their credit balance"
        return "A message for the desk"


def _core(text: str, keep: str = "") -> str:
    """Upper-case letters and digits only: emoji, punctuation and spaces stripped."""
    kept = []
    for char in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(char)
        if category[0] in "LN" or char in keep:
            kept.append(char)
        elif category[0] == "Z" or char.isspace():
            kept.append(" ")
    return " ".join("".join(kept).upper().split())


def classify(text: str, poster_keyword: str | None = None) -> ReplyMeaning:
    core = _core(text)
    if core in STOP_WORDS:
        return ReplyMeaning(OPT_OUT)
    if core in START_WORDS:
        return ReplyMeaning(OPT_IN)
    keyword = _core(poster_keyword or "").split()
    words = core.split()
    if keyword and words[: len(keyword)] == keyword:
        return ReplyMeaning(KEYWORD, keyword=" ".join(keyword), rest=tuple(words[len(keyword) :]))
    if _BALANCE.fullmatch(core):
        return ReplyMeaning(BALANCE)
    rating = _rating(_core(text, keep="/"))
    if rating is not None:
        return ReplyMeaning(RATING, rating=rating)
    return ReplyMeaning(TEXT)


def _rating(core: str) -> int | None:
    # "5", "5/5", "5 out of 5", "five"; "4 thanks" is words: only a rating alone counts.
    match = re.fullmatch(r"([1-5])(?: ?(?:OUT OF|/) ?5)?", core)
    if match is not None:
        return int(match.group(1))
    return _RATING_WORDS.get(core)
