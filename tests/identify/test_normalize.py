"""Normalisation: one test per rule of docs/aliases.md, "Normalisation"."""

from __future__ import annotations

import pytest

from sbomcheck.identify.normalize import (
    ascii_words,
    fold,
    plain_tokens,
    split_tokens,
    transliterate,
)


def test_nfkc_folds_fullwidth_and_ligatures() -> None:
    assert plain_tokens("ＫＡＳＰＥＲＳＫＹ") == ("kaspersky",)
    assert plain_tokens("ﬁle") == ("file",)


def test_case_folding() -> None:
    assert plain_tokens("KasperSKY LAB") == ("kaspersky", "lab")
    assert plain_tokens("STRASSE Straße") == ("strasse", "strasse")


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_zero_width_characters_are_removed_not_split(invisible: str) -> None:
    assert plain_tokens(f"Kas{invisible}persky") == ("kaspersky",)


def test_control_characters_are_removed_and_whitespace_splits() -> None:
    assert plain_tokens("Kas\x00per\x07sky") == ("kaspersky",)
    assert plain_tokens("Kaspersky\tLab\nInc") == ("kaspersky", "lab", "inc")


def test_punctuation_quotes_and_guillemets_are_separators() -> None:
    assert plain_tokens("АО «Лаборатория Касперского»") == ("ао", "лаборатория", "касперского")
    assert plain_tokens('"Kaspersky-Lab", Inc.') == ("kaspersky", "lab", "inc")
    assert plain_tokens("kaspersky_lab/engine.v2") == ("kaspersky", "lab", "engine", "v2")


def test_lookalike_cyrillic_letters_inside_a_latin_word_are_folded() -> None:
    f = fold("KАSPЕRSKY")  # Cyrillic А and Е
    assert f.plain == ("kаspеrsky",)
    assert f.full == ("kaspersky",)
    assert f.lookalike and f.method() == "lookalike"


def test_greek_lookalikes_are_folded_too() -> None:
    assert fold("Kαspersky").full == ("kaspersky",)  # Greek alpha


def test_pure_cyrillic_words_are_transliterated_not_folded() -> None:
    f = fold("Лаборатория Касперского")
    assert f.full == ("laboratoriya", "kasperskogo")
    assert f.transliterated and not f.lookalike
    assert f.method() == "transliterated"


def test_transliteration_of_surname_ending() -> None:
    assert transliterate("касперский") == "kaspersky"
    assert transliterate("антивирус") == "antivirus"
    assert transliterate("щука") == "shchuka"


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("AO Kaspersky Lab", ("kaspersky", "lab")),
        ("Kaspersky Lab ZAO", ("kaspersky", "lab")),
        ("OOO Kaspersky Group", ("kaspersky", "group")),
        ("Kaspersky Lab, Inc.", ("kaspersky", "lab")),
        ("Kaspersky Lab Ltd.", ("kaspersky", "lab")),
        ("Kaspersky Labs GmbH", ("kaspersky", "labs")),
        ("Kaspersky LLC", ("kaspersky",)),
        ("ЗАО «Лаборатория Касперского»", ("laboratoriya", "kasperskogo")),
    ],
)
def test_legal_forms_are_dropped_in_the_full_form(text: str, full: tuple[str, ...]) -> None:
    f = fold(text)
    assert f.full == full
    assert f.method() in ("normalized", "transliterated")


def test_anti_words_are_joined() -> None:
    assert fold("Kaspersky Anti-Virus").full == ("kaspersky", "antivirus")
    assert fold("Kaspersky Antivirus").full == ("kaspersky", "antivirus")


def test_origin_maps_full_tokens_back_to_plain_positions() -> None:
    f = fold("AO Kaspersky Anti-Virus")
    assert f.plain == ("ao", "kaspersky", "anti", "virus")
    assert f.full == ("kaspersky", "antivirus")
    assert f.origin == (1, 2)


def test_ascii_words_splits_letters_only() -> None:
    assert ascii_words("pkg:npm/%40kaspersky/hexa-ui@3.4.0 kaspersky") == {
        b"pkg",
        b"npm",
        b"kaspersky",
        b"hexa",
        b"ui",
    }


# --- run-together words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("KasperskyAntiVirus", ("kaspersky", "antivirus")),
        ("kasperskyEndpointSecurity", ("kaspersky", "endpoint", "security")),
        ("Kaspersky2019", ("kaspersky", "2019")),
        ("kes11Linux", ("kes", "11", "linux")),
        ("КасперскийАнтивирус", ("kaspersky", "antivirus")),
        # a legal form written in mixed case stays one word and is dropped
        ("KasperskyLab GmbH", ("kaspersky", "lab")),
    ],
)
def test_camel_case_and_digits_split_in_a_second_full_form(
    text: str, split: tuple[str, ...]
) -> None:
    f = fold(text)
    assert f.split == split
    # the plain and unsplit full forms are unchanged: exact matches of one-word aliases hold
    assert f.plain == plain_tokens(text)
    assert len(f.split_origin) == len(f.split)


@pytest.mark.parametrize("text", ["kasperskytip", "KAVlaunch", "KAVLAUNCH", "Kaspersky Lab", "avp"])
def test_no_split_without_a_lower_to_upper_or_digit_boundary(text: str) -> None:
    assert fold(text).split == ()
    assert split_tokens(text) is None


def test_upper_to_lower_is_not_a_boundary() -> None:
    # "KAVlaunch" and "UltraAV" must not yield a "kav" or "av" word an acronym could match
    assert fold("UltraAV").split == ("ultra", "av")
    assert "kav" not in (split_tokens("KAVlaunch") or ())


def test_split_origin_points_at_the_plain_word() -> None:
    f = fold("AO KasperskyAntiVirus x")
    assert f.plain == ("ao", "kasperskyantivirus", "x")
    assert f.split == ("kaspersky", "antivirus", "x")
    assert f.split_origin == (1, 1, 2)


def test_a_legal_form_inside_a_run_together_word_is_kept() -> None:
    assert fold("ProtoAS").split == ("proto", "as")


def test_ascii_words_also_gives_camel_case_pieces() -> None:
    words = ascii_words("KasperskyAntiVirus 2")
    assert b"kasperskyantivirus" in words and b"kaspersky" in words
    assert ascii_words("kasperskytip KAVlaunch") == {b"kasperskytip", b"kavlaunch"}
