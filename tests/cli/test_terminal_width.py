"""Every line fits the terminal (issue 14), for `audit`, `recheck`, `history` and `inspect` as
for `scan`: their text at 80 and 120 columns (golden files, and the samples run end to end),
the summary line and the notes on stderr, and the layout helpers they share
(`sbomcheck.report.text`: `table_lines`, `shorten_middle`, `fit_line`)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sbomcheck.audit.exports import product_report
from sbomcheck.audit.recheck_render import render_recheck
from sbomcheck.audit.render import render
from sbomcheck.audit.runner import AuditedProduct, AuditResult, ProductAudit, RecordedProduct
from sbomcheck.cli import main
from sbomcheck.cli.audit import audit_summary_line
from sbomcheck.report.interface import RenderOptions
from sbomcheck.report.text import Column, fit_line, shorten_middle, summary_line, table_lines
from tests.audit.test_html_reports import RECHECK, RESULT
from tests.conftest import SAMPLES
from tests.report.fixtures import FAIL_REPORT
from tests.report.golden import assert_golden

AS_OF = ["--as-of", "2026-01-15"]
WIDTHS = (80, 120)
DEEP = "/srv/procurement/incoming/acme-networks"


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def assert_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert len(line) <= width, f"{len(line)} > {width}: {line!r}"


def _deep(result: AuditResult) -> AuditResult:
    """The golden batch with its SBOMs deep in a directory tree, as a buyer's files are."""
    products: list[AuditedProduct] = []
    for product in result.products:
        report = product_report(product)
        documents = tuple(dataclasses.replace(d, path=f"{DEEP}/{d.path}") for d in report.documents)
        deep = dataclasses.replace(report, documents=documents)
        products.append(
            ProductAudit(key=product.key, report=deep)
            if isinstance(product, ProductAudit)
            else RecordedProduct(key=product.key, report=deep.to_dict())
        )
    return dataclasses.replace(result, products=tuple(products))


# --- golden files at 80 and 120 columns -------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_audit_text_golden(width: int) -> None:
    out = render(
        _deep(RESULT),
        "text",
        as_of="2026-01-15",
        profile="vendor",
        options=RenderOptions(width=width),
    )
    assert_fits(out, width)
    assert_golden(out, f"audit-deep.w{width}.txt")


def test_audit_text_keeps_each_file_name_and_uses_the_width_it_is_given() -> None:
    narrow, wide = (
        render(
            _deep(RESULT),
            "text",
            as_of="2026-01-15",
            profile="vendor",
            options=RenderOptions(width=w),
        )
        for w in WIDTHS
    )
    rows = narrow.splitlines()[3:7]
    ends = ("/appliance.cdx.json", "/clean.cdx.json", "/gateway.spdx.json", "/engine.cdx.json")
    assert [row.endswith(end) for row, end in zip(rows, ends, strict=True)] == [True] * 4
    assert rows[3].split() == ["+", rows[3].split()[1]] and "…" in rows[3]
    assert f"{DEEP}/samples/appliance.cdx.json" not in narrow
    assert f"{DEEP}/samples/appliance.cdx.json" in wide  # 120 columns hold it whole
    assert max(map(len, wide.splitlines())) > 80


@pytest.mark.parametrize("width", WIDTHS)
def test_recheck_text_golden(width: int) -> None:
    out = render_recheck(
        RECHECK, "text", as_of="2026-01-15", profile=None, options=RenderOptions(width=width)
    )
    assert_fits(out, width)
    assert_golden(out, f"recheck.w{width}.txt")


def test_recheck_names_each_rule_with_its_title_once() -> None:
    twice = dataclasses.replace(RECHECK, changes=(RECHECK.changes[0], RECHECK.changes[0]))
    out = " ".join(render_recheck(twice, "text", as_of="2026-01-15", profile=None).split())
    titled = "US-ICTS-2021-002 (US Commerce ban on Kaspersky software)"
    assert out.count(titled) == 1
    assert out.count("US-ICTS-2021-002") == 2


# --- the samples, end to end ---------------------------------------------------------------


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("width", WIDTHS)
def test_audit_recheck_history_inspect_fit(
    width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    db = str(tmp_path / "ledger.db")
    code, out, err = _run(["audit", str(SAMPLES), "--jobs", "1", "--db", db, *AS_OF], capsys)
    assert code == 1
    assert len(out.splitlines()) > 15  # a row per product and per linked SBOM
    assert_fits(out + err, width)
    code, out, err = _run(["recheck", "--db", db, "--as-of", "2026-06-01"], capsys)
    assert code == 1 and "0 of 11 products changed" in " ".join(out.split())
    assert_fits(out + err, width)
    code, out, err = _run(["history", "--db", db], capsys)
    assert code == 0 and len(out.splitlines()) == 23  # the header and 22 audits
    assert_fits(out + err, width)
    files = sorted(str(p) for p in SAMPLES.rglob("*") if p.is_file() and p.name != "README.md")
    code, out, err = _run(["inspect", *files], capsys)
    assert code == 0 and out.count("  format:") == len(files)
    assert_fits(out + err, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_history_columns(
    width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "ledger.db")
    main(["audit", str(SAMPLES / "oem-appliance.cdx.xml"), "--jobs", "1", "--db", db, *AS_OF])
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", str(width))
    _, out, _ = _run(["history", "--db", db], capsys)
    header, row = out.splitlines()
    assert header.split() == ["ID", "RECORDED", "KIND", "AS", "OF", "PROFILE", "VERDICT"] + [
        "FIND",
        "PRODUCT",
    ]
    assert row.split()[3:] == ["audit", "2026-01-15", "vendor", "FAIL", "1"] + (
        ["SRX240H2", "Services", "Gateway@12.1X46-D40"] if width == 120 else row.split()[8:]
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_scan_summary_and_notes_fit(
    width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Seven documents and two confidence counts: a 100-character summary line.
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = _run(["scan", str(SAMPLES / "linked-cross-format"), *AS_OF], capsys)
    assert code == 1
    assert_fits(out + err, width)
    full = (
        "sbomcheck: FAIL: 3 findings (2 confirmed, 1 likely) in 7 documents; "
        "as of 2026-01-15, profile vendor"
    )
    assert " ".join(err.split()) == full
    assert len(err.splitlines()) == (1 if width >= len(full) else 2)
    _, quiet, _ = _run(["scan", str(SAMPLES / "linked-cross-format"), "-q", *AS_OF], capsys)
    assert quiet == err
    # A note naming a long file: broken at spaces, the name whole on a line of its own.
    deep = tmp_path / ("d" * 60) / ("e" * 40)
    deep.mkdir(parents=True)
    (deep / "product.cdx.xml").write_bytes((SAMPLES / "oem-appliance.cdx.xml").read_bytes())
    (deep / "README.md").write_text("notes\n", encoding="utf-8")
    _, _, err = _run(["scan", str(tmp_path), *AS_OF], capsys)
    name = f"{deep}/README.md:"
    assert name in err.splitlines()[1].split()
    assert " ".join(err.split()).startswith(
        f"sbomcheck: note: {name} skipped: not an SBOM file name"
    )
    for line in err.splitlines():
        assert len(line) <= width or line.strip() == name


def test_audit_summary_fits(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    main(["audit", str(SAMPLES), "--jobs", "1", *AS_OF])
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "sbomcheck: audited 11 products (2 pass,",
        "  1 warn, 8 fail); 0 unreadable",
    ]


# --- the helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("samples/clean.cdx.json", 30, "samples/clean.cdx.json"),
        ("/work/clients/samples/clean-product.cdx.json", 35, "/work/clien…/clean-product.cdx.json"),
        (
            "/work/clients/samples/direct-dependency.cdx.json",
            35,
            "/work/c…/direct-dependency.cdx.json",
        ),
        ("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p.json", 20, "/a/b/c…/m/n/o/p.json"),
        ("no-separator-in-this-very-long-name.json", 20, "no-sep…ong-name.json"),
        ("/x/y.json", 5, "/x/y…"),
    ],
)
def test_shorten_middle(text: str, width: int, expected: str) -> None:
    got = shorten_middle(text, width)
    assert got == expected
    assert len(got) <= width


def test_table_columns_share_the_width() -> None:
    columns = [
        Column("N", ("1", "22"), 2, right=True),
        Column("NAME", ("a-rather-long-product-name@1.0", "b"), 6, tier=1),
        Column(
            "PATH",
            ("/srv/x/y/z/sbom.cdx.json", "+ /srv/x/y/z/vendor.spdx.json"),
            12,
            tier=1,
            middle=True,
            marker="+ ",
        ),
    ]
    lines = table_lines(columns, 40, indent=0)
    assert lines == [
        " N  NAME              PATH",
        " 1  a-rather-long-p…  /sr…/sbom.cdx.json",
        "22  b                 + /srv/….spdx.json",
    ]
    assert table_lines(columns, 100, indent=0) == [
        " N  NAME                            PATH",
        " 1  a-rather-long-product-name@1.0  /srv/x/y/z/sbom.cdx.json",
        "22  b                               + /srv/x/y/z/vendor.spdx.json",
    ]
    assert table_lines(columns, 20, indent=0) is None


def test_fit_line_breaks_after_clauses_then_at_spaces() -> None:
    line = f"sbomcheck: {summary_line(FAIL_REPORT)}"
    assert fit_line(line, 200) == line
    lines = fit_line(line, 60).split("\n")
    assert [len(x) <= 60 for x in lines] == [True] * len(lines)
    assert lines[0].endswith(";") and all(x.startswith("  ") for x in lines[1:])
    assert " ".join(" ".join(lines).split()) == line
    # Below 40 columns, 40 are used.
    assert fit_line(line, 10) == fit_line(line, 40)


def test_audit_summary_line() -> None:
    assert audit_summary_line(RESULT) == "audited 3 products (1 pass, 1 warn, 1 fail); 1 unreadable"
    one = dataclasses.replace(RESULT, products=RESULT.products[:1], failures=())
    assert audit_summary_line(one) == "audited 1 product (1 fail); 0 unreadable"
