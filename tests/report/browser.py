"""Headless Chromium for the HTML report tests: screenshots, PDFs, and layout measured in the page.

`measure()` loads a report with a small script added (and its Content-Security-Policy, which
forbids scripts, removed: the copy is the test's, not the report) that writes what the
browser laid out into the DOM; `--dump-dom` returns it. Tests skip cleanly where Chromium is
absent (`chromium()`).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
TIMEOUT = 120
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
A4_PRINTABLE_PX = 703
"""CSS pixels across an A4 page inside the report's 12 mm margins (210 mm - 24 mm at 96 dpi),
narrower than Letter's 725: what a printed table must fit."""

ALARM_COLOURS = frozenset(
    {
        "rgb(176, 0, 32)",  # #b00020: FAIL banner, met-milestone dot, flagged box
        "rgb(253, 232, 232)",  # #fde8e8: error badge
        "rgb(138, 0, 24)",  # #8a0018: error badge text, "bad" text
        "rgb(199, 124, 0)",  # #c77c00: warning marks
        "rgb(255, 243, 220)",  # #fff3dc: warning badge
        "rgb(154, 91, 0)",  # #9a5b00: WARN banner
    }
)
"""The colours the reports mark alarms with (red for errors, amber for warnings)."""


def chromium() -> str:
    """The browser's path, or skip the calling test."""
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not found:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def _run(args: list[str], workdir: Path) -> subprocess.CompletedProcess[str]:
    profile = workdir / f"profile-{len(list(workdir.glob('profile-*')))}"
    cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish within {TIMEOUT} s")


def screenshot(page: Path, png: Path, *, width: int, height: int) -> bytes:
    """A PNG of the top `height` pixels of `page` in a window `width` pixels wide."""
    _run([f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()], png.parent)
    assert png.exists(), "chromium wrote no screenshot"
    return png.read_bytes()


def print_pdf(page: Path, pdf: Path) -> bytes:
    """`page` printed to PDF as the browser's Print does (no header or footer)."""
    _run(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()], pdf.parent)
    assert pdf.exists(), "chromium wrote no PDF"
    return pdf.read_bytes()


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF: pypdf where installed, else its `/Type /Page` objects counted."""
    try:
        import io

        import pypdf
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def pdf_text(data: bytes) -> str:
    """The PDF's text (skips the calling test without pypdf)."""
    pypdf = pytest.importorskip("pypdf")
    import io

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


_MEASURE = r"""
<script>
(function () {
  var root = document.documentElement, W = root.clientWidth;
  function label(el) {
    var parts = [];
    for (var e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      var s = e.tagName.toLowerCase();
      if (e.id) s += '#' + e.id;
      if (typeof e.className === 'string' && e.className.trim())
        s += '.' + e.className.trim().split(/\s+/).join('.');
      parts.unshift(s);
    }
    return parts.join(' > ');
  }
  var out = {width: W, scrollWidth: root.scrollWidth, outside: [], overflowing: [],
             narrow: [], colours: {}, tables: 0};
  function colour(c) { if (c && c !== 'rgba(0, 0, 0, 0)') out.colours[c] = 1; }
  var all = document.body.getElementsByTagName('*');
  for (var i = 0; i < all.length; i++) {
    var el = all[i];
    var inSvg = el.closest('svg') !== null;
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not rendered (display: none, closed)
    var cs = getComputedStyle(el);
    colour(cs.color); colour(cs.backgroundColor);
    if (cs.borderLeftWidth !== '0px') colour(cs.borderLeftColor);
    if (inSvg) { colour(cs.fill); colour(cs.stroke); }
    var before = getComputedStyle(el, '::before');
    if (before.content && before.content !== 'none') {
      colour(before.backgroundColor);
      if (before.borderLeftWidth !== '0px') colour(before.borderLeftColor);
    }
    if (r.right > W + 0.5 || r.left < -0.5)
      out.outside.push(label(el) + ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
    if (!inSvg && cs.display !== 'inline' && el.clientWidth > 0
        && el.scrollWidth > el.clientWidth + 1)
      out.overflowing.push(label(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
  }
  var tables = document.querySelectorAll('table');
  for (var t = 0; t < tables.length; t++)
    if (tables[t].checkVisibility()) out.tables++;  // not inside a closed <details>
  var cells = document.querySelectorAll('td, th');
  for (var j = 0; j < cells.length; j++) {
    var w = cells[j].getBoundingClientRect().width;
    if (w > 0 && w < 48) out.narrow.push(label(cells[j]) + ' ' + Math.round(w) + 'px');
  }
  var pre = document.createElement('pre');
  pre.id = 'sbomcheck-measure';
  pre.style.display = 'none';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""

_CSP = re.compile(r"<meta http-equiv=[\"']Content-Security-Policy[\"'][^>]*>\n?")


def measurable(page: str, *, print_layout: bool = False, open_details: bool = False) -> str:
    """A copy of a report that measures itself. `print_layout` applies the `@media print`
    rules on screen (and drops the narrow-screen ones), so the printed layout can be
    measured at a page's width; `open_details` opens the collapsed appendix."""
    page = _CSP.sub("", page)
    if print_layout:
        page = page.replace("@media print", "@media all").replace(
            "@media screen and (max-width", "@media not all and (max-width"
        )
    if open_details:
        page = page.replace("<details ", "<details open ")
    return page.replace("</body>", _MEASURE + "</body>")


def measure(report: str, workdir: Path, *, width: int, **how: bool) -> dict[str, Any]:
    """What Chromium lays out for `report` in a window `width` pixels wide: the page's width
    and scrollWidth, elements outside the window, elements whose content is wider than
    they are, table cells narrower than 48 px, every colour painted, and how many tables
    are drawn."""
    page = workdir / f"measure-{width}-{len(list(workdir.glob('measure-*')))}.html"
    page.write_text(measurable(report, **how), encoding="utf-8")
    done = _run([f"--window-size={width},1200", "--dump-dom", page.as_uri()], workdir)
    match = re.search(r'<pre id="sbomcheck-measure"[^>]*>(.*?)</pre>', done.stdout, re.S)
    assert match, f"the page did not measure itself: {done.stderr[-2000:]}"
    data: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return data
