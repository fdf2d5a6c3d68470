"""Names for search: normal forms, sound-alike keys and the match score that ranks hits."""

from __future__ import annotations

import pytest

from frontdesk.domain.names import match_score, normalize_name, phonetic_key, token_score


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("  Zoë   O'Brien ", "zoe obrien"),
        ("Anne-Marie", "anne marie"),
        ("SIOBHÁN", "siobhan"),
        ("Łukasz Wiśniewski", "lukasz wisniewski"),
        ("Дмитрий", "dmitriy"),
        ("محمد", "mhmd"),
        ("😀", ""),
        ("'; DROP TABLE patient; --", "drop table patient"),
    ],
)
def test_normal_form_is_ascii_lower_single_spaced(typed: str, normal: str) -> None:
    assert normalize_name(typed) == normal


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Catherine", "Kathryn"),
        ("Katherine", "Cathryn"),
        ("Jon", "John"),
        ("Steven", "Stephen"),
        ("Philip", "Phillip"),
        ("Sara", "Sarah"),
        ("Connolly", "Conolly"),
        ("Mohammed", "Muhammad"),
        ("Smith", "Smyth"),
        ("Geoff", "Jeff"),
    ],
)
def test_sound_alikes_share_a_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b) != ""


@pytest.mark.parametrize(
    ("a", "b"), [("Sarah", "Susan"), ("John", "Mary"), ("Tom", "Tony"), ("Sean", "Shaun")]
)
def test_different_names_have_different_keys(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


def test_token_scores_order_exact_prefix_sound_typo() -> None:
    exact = token_score("sarah", "sarah")
    prefix = token_score("sar", "sarah")
    sound = token_score("catherine", "kathryn")
    typo = token_score("sarhah", "sarah")
    assert exact > prefix > sound > typo > 0
    assert token_score("xyz", "sarah") == 0.0


@pytest.mark.parametrize(
    ("query", "better", "worse"),
    [
        ("sarah con", "sarah connolly", "sarah smith"),
        ("sarah connolly", "sarah connolly", "sarah conway"),
        ("catherine", "catherine walsh", "kathryn walsh"),
        ("catherine", "kathryn walsh", "karen walsh"),
        ("jon smith", "john smith", "jon brown"),
        ("connolly sarah", "sarah connolly", "sarah smith"),
        ("sarh connolly", "sarah connolly", "sean connolly"),
        ("kat", "kate moss", "catherine moss"),
    ],
)
def test_the_better_match_scores_higher(query: str, better: str, worse: str) -> None:
    assert match_score(query, better) > match_score(query, worse)


def test_a_full_match_beats_any_partial_match() -> None:
    assert match_score("sarah con", "sarah connolly") > 0.9
    assert match_score("sarah con", "sarah smith") < 0.5
    assert match_score("", "sarah") == 0.0
