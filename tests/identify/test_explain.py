"""`sbomcheck explain`: the normalisation steps, the rows matched in a field, or why none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.cli import main
from sbomcheck.identify import load_catalogue
from sbomcheck.identify.explain import FIELDS, explain

CAT = load_catalogue()

pytestmark = pytest.mark.usefixtures("gate_search")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["explain", *argv])
    return code, capsys.readouterr().out


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out = run(capsys, *argv, "--format", "json")
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


def test_text_output_shows_every_step(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "AO «Лаборатория Касперского» Kasperský", "--field", "supplier")
    assert code == 0
    for line in (
        "value       AO «Лаборатория Касперского» Kasperský",
        "  plain       ao | лаборатория | касперского | kasperský",
        "  word        лаборатория -> laboratoriya (transliteration)",
        "  word        kasperský -> kaspersky (marks)",
        "  legal forms ao",
        "  full        laboratoriya | kasperskogo | kaspersky",
        "gate        not plain ASCII: the matchers always read it",
    ):
        assert line in out.splitlines(), line
    assert "result      possible: AO Kaspersky Lab" in out  # two entity words, no spelling


def test_the_field_decides_the_confidence(capsys: pytest.CaptureFixture[str]) -> None:
    supplier = as_json(capsys, "AO Kaspersky Lab", "--field", "supplier")
    name = as_json(capsys, "AO Kaspersky Lab")
    description = as_json(capsys, "AO Kaspersky Lab", "--field", "description")
    assert supplier["result"] == {"confidence": "confirmed", "canonical": "AO Kaspersky Lab"}
    assert name["result"] == {"confidence": "likely", "canonical": "AO Kaspersky Lab"}
    assert description["result"] == {"confidence": "possible", "canonical": "AO Kaspersky Lab"}
    assert name["field"] == "name" and name["gate"] == {
        "ascii": True,
        "words": ["kaspersky"],
        "passes": True,
    }


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("zlib", "name", "no gate word: "),
        ("kaspersky-fan-club-tools", "purl", "a gate word, but no catalogue row"),
        ("KAV", "name", "only weak aliases matched"),
        ("UltraAV by Kaspersky", "name", "negative row 'UltraAV'"),
        ("データ処理", "name", "not plain ASCII, so read in full, but no catalogue row"),
    ],
)
def test_why_none(capsys: pytest.CaptureFixture[str], text: str, field: str, reason: str) -> None:
    data = as_json(capsys, text, "--field", field)
    assert data["result"] is None
    assert str(data["reason"]).startswith(reason), data["reason"]


def test_negative_rows_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "UltraAV replaces Kaspersky", "--field", "description")
    assert code == 0
    assert "  negative row UltraAV (product, line " in out
    assert "result      no finding" in out


def test_notes_and_methods_are_shown(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "https://securelist.com/report/", "--field", "advisory")
    (match,) = data["matches"]
    assert match["strength"] == "possible" and match["note"].startswith("cited, not contained")
    _, out = run(capsys, "Jan Kasperski", "--field", "author")
    assert "  word        kasperski -> kaspersky (spelling)" in out
    assert "note: 'Kasperski' is how Polish and German write the surname" in out


def test_package_and_lookalike_fields(capsys: pytest.CaptureFixture[str]) -> None:
    purl = as_json(capsys, "pkg:rpm/redhat/klnagent64@15.1?arch=x86_64", "--field", "purl")
    assert purl["result"] == {
        "confidence": "confirmed",
        "canonical": "Kaspersky Security Center Network Agent",
    }
    look = as_json(capsys, "Ꮶaspersky")
    steps = look["steps"]
    assert steps["words"] == [
        {"word": "Ꮶaspersky", "steps": [{"step": "look-alikes", "result": "kaspersky"}]}
    ]


def test_values_are_shown_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "Kas\u202eper\x1bsky")
    assert code == 0
    assert "\u202e" not in out and "\x1b" not in out
    assert "value       Kas\\u202eper\\x1bsky" in out


def test_every_field_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    for field in FIELDS:
        assert explain("Kaspersky", field, CAT).field == field
    with pytest.raises(ValueError, match="unknown field"):
        explain("x", "nope", CAT)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["explain", "x", "--field", "nope"])
    assert info.value.code == 2
    assert main(["explain", "x", "--replace-aliases"]) == 2
    assert "--replace-aliases needs --aliases FILE" in capsys.readouterr().err


def test_user_aliases_are_used(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "alias,kind,canonical,vendor,period,confidence,product_class,weak,source_url,note\n"
        "Acme Shield,oem_brand,Test engine,Acme,,confirmed,security,no,https://e.org/,\n",
        encoding="utf-8",
    )
    data = as_json(capsys, "Acme Shield", "--aliases", str(extra), "--replace-aliases")
    assert data["result"] == {"confidence": "likely", "canonical": "Test engine"}


@pytest.mark.parametrize("columns", [80, 120])
def test_text_fits_the_width_and_keeps_every_word(
    columns: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    value = "Kaspersky Anti-Virus SDK engine shipped inside " + "appliance " * 20
    assert main(["explain", value]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    # The catalogue's source URL is one word: it may stand alone past the edge, nothing else.
    assert all(len(line) <= columns or len(line.split()) == 1 for line in lines), out
    first = next(i for i, line in enumerate(lines) if line.startswith("value"))
    assert lines[first + 1].startswith(" " * 12)  # continued under the value, not the label
    assert " ".join(" ".join(lines[first : first + 4]).split()).count("appliance") == 20
