"""Normalisation: one test per rule of docs/aliases.md, "Normalisation"."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.identify import _confusables
from sbomcheck.identify.normalize import (
    ascii_words,
    fold,
    has_legal_form,
    latin_variant,
    plain_tokens,
    spellings,
    split_tokens,
    strip_marks,
    trace,
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


# --- scripts without spaces, marks, look-alikes, spellings (issue 12) -------------------------


def test_cjk_characters_are_tokens_of_their_own() -> None:
    assert plain_tokens("卡巴斯基实验室") == ("卡", "巴", "斯", "基", "实", "验", "室")
    assert plain_tokens("Acme卡巴Edition") == ("acme", "卡", "巴", "edition")
    assert plain_tokens("카스퍼스키 랩") == plain_tokens("카스퍼스키랩")
    assert plain_tokens("ｶｽﾍﾟﾙｽｷｰ") == plain_tokens("カスペルスキー")  # NFKC: half-width kana


def test_cjk_legal_forms_are_dropped_in_the_full_form() -> None:
    assert fold("株式会社カスペルスキー").full == tuple("カスペルスキー")
    assert fold("卡巴斯基实验室有限公司").full == tuple("卡巴斯基实验室")
    assert fold("주식회사 카스퍼스키").full == tuple("카스퍼스키")
    assert fold("株式市場").full == tuple("株式市場")  # not a legal form
    assert has_legal_form(plain_tokens("株式会社テスト")) and not has_legal_form(("株", "式"))


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("Kasperský", ("kaspersky",)),
        ("K\u0308aspersky", ("kaspersky",)),  # combining mark stays inside the word
        ("Ḱaspersky", ("kaspersky",)),
        ("Йошкар-Ола", ("yoshkar", "ola")),  # Cyrillic й keeps its breve: "y", not "i"
        ("Ёлка", ("elka",)),
        ("カスペルスキー", tuple("カスペルスキー")),  # the kana voicing mark is kept
    ],
)
def test_marks_are_removed_from_latin_letters_only(text: str, full: tuple[str, ...]) -> None:
    assert fold(text).full == full


def test_strip_marks_keeps_cyrillic_marks_unless_told() -> None:
    assert strip_marks("йё") == "йё"
    assert strip_marks("йё", keep_cyrillic=False) == "ие"
    assert strip_marks("ñandú") == "nandu"


@pytest.mark.parametrize(
    "text",
    ["Ꮶaspersky", "ꓗaspersky", "kɑspersky", "ᏦᎪᏚᏢᎬᎡᏚᏦᎩ", "KASPERSKΥ", "kаsреrskу"],
)
def test_lookalikes_from_unicode_data_fold(text: str) -> None:
    f = fold(text)
    assert f.full == ("kaspersky",) and f.lookalike


def test_case_matters_for_a_few_lookalikes() -> None:
    # Greek capital upsilon looks like Y, its small form like u (Unicode's data)
    assert fold("kaspersκΥ").full == ("kaspersky",)
    assert fold("kaspersκυ").full == ("kaspersku",)


def test_a_word_without_latin_letters_is_not_folded_when_cyrillic() -> None:
    f = fold("Касперский")
    assert f.full == ("kaspersky",) and not f.lookalike and f.transliterated


def test_the_confusables_table_records_where_it_came_from() -> None:
    assert _confusables.VERSION == "17.0.0"
    assert _confusables.SOURCE_URL.startswith("https://www.unicode.org/Public/security/")
    assert len(_confusables.SHA256) == 64 and "confusables.txt" in _confusables.OBTAINED_FROM
    assert all(
        len(k) == 1 and not k.isascii() and "a" <= v <= "z" for k, v in _confusables.FOLD.items()
    )


@pytest.mark.parametrize(
    ("word", "one", "loose"),
    [
        ("kasperskiy", "kaspersky", False),
        ("kasperskij", "kaspersky", False),
        ("kasperskii", "kaspersky", False),
        ("kasperskyi", "kaspersky", False),
        ("kasperskovo", "kasperskogo", False),
        ("laboratoria", "laboratoriya", False),
        ("laboratoriia", "laboratoriya", False),
        ("laboratorija", "laboratoriya", False),
        ("kasperski", "kaspersky", True),
        ("kaspersky", "kaspersky", False),
        ("ski", "ski", False),  # too short to be an ending
        ("via", "via", False),
    ],
)
def test_latin_spellings_of_russian_endings(word: str, one: str, loose: bool) -> None:
    assert latin_variant(word) == (one, loose)


def test_spellings_are_every_word_that_folds_together() -> None:
    assert spellings("kaspersky") >= {"kaspersky", "kasperskiy", "kasperskij", "kasperski"}
    assert all(latin_variant(w)[0] == "kaspersky" for w in spellings("kaspersky"))
    assert spellings("laboratoriya") == spellings("laboratoria")


def test_loose_tokens_are_marked() -> None:
    assert fold("Jan Kasperski").loose == frozenset({1})
    assert fold("Kasperskiy").loose == frozenset()


def test_trace_lists_each_step() -> None:
    t = trace("AO ＫＡＳＰＥＲＳＫＹ Kasperskiy 株式会社 Kasperský")
    assert t.nfkc == "AO KASPERSKY Kasperskiy 株式会社 Kasperský"
    assert t.casefolded == "ao kaspersky kasperskiy 株式会社 kasperský"
    assert dict(t.words) == {
        "kasperskiy": (("spelling", "kaspersky"),),
        "kasperský": (("marks", "kaspersky"),),
    }
    assert t.legal_forms == ("ao", "株式会社")
    assert t.folded.full == ("kaspersky", "kaspersky", "kaspersky")


# --- the generator's rules ----------------------------------------------------------------------


def test_generator_keeps_single_letters_and_lets_a_key_win_over_its_other_case() -> None:
    gen = _load_generator()
    text = (
        "# Version: 99.0\n"
        "0430 ;\t0061 ;\tMA\t# cyrillic a\n"
        "0406 ;\t006C ;\tMA\t# capital I looks like l\n"
        "0456 ;\t0069 ;\tMA\t# small i\n"
        "03A5 ;\t0059 ;\tMA\t# capital upsilon\n"
        "03C5 ;\t0075 ;\tMA\t# small upsilon\n"
        "0138 ;\t006B ;\tMA\t# kra\n"
        "043A ;\t0138 ;\tMA\t# ka -> kra, not ASCII\n"
        "041A ;\t004B ;\tMA\t# capital KA\n"
        "30ED ;\t006F ;\tMA\t# katakana ro: CJK, left out\n"
        "0574 ;\t0075 0079 ;\tMA\t# two letters: left out\n"
        "2460 ;\t0031 ;\tMA\t# a digit: left out\n"
    )
    header, pairs = gen.parse(text)
    table = gen.build(pairs)
    assert header == {"Version": "99.0"}
    assert table == {"а": "a", "і": "i", "υ": "u", "ĸ": "k", "к": "k"}
    assert gen.build_cased(pairs, table) == {"Υ": "y"}


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen_confusables", Path(__file__).resolve().parents[2] / "tools" / "gen_confusables.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_expanding_letters_are_every_bmp_letter_whose_folding_adds_one() -> None:
    from sbomcheck.identify.normalize import _expanding

    one_by_one = {ch for ch in map(chr, range(0x80, 0x10000)) if len(ch.casefold()) > 1}
    assert _expanding() == one_by_one
    assert {"ß", "ﬁ", "ᾳ", "İ"} <= _expanding()
