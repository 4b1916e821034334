"""Draw the screenshots of the HTML reports that docs/html-report.md and the README show.

    python tools/report_screenshots.py            # writes docs/images/*.png

Each report is made from the samples with a fixed date, drawn by headless Chromium
(`/usr/bin/chromium` or `chromium` on PATH) at the width a reader uses, and squeezed with
`pngquant` and `optipng` where they are installed (each PNG stays under ~300 kB).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sbomcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
AS_OF = "2026-01-15"
SHOTS = (
    # (image, command, window width, window height)
    (
        "html-scan-fail-1280.png",
        ["scan", "samples/sdk-three-levels.spdx.json", "--format", "html"],
        1280,
        2050,
    ),
    (
        "html-audit-1280.png",
        ["audit", "samples", "--jobs", "1", "--format", "html"],
        1280,
        1900,
    ),
    (
        "html-scan-fail-800.png",
        ["scan", "samples/sdk-three-levels.spdx.json", "--format", "html"],
        800,
        2300,
    ),
)
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


def _report(argv: list[str], out: Path) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        main([*argv, "--as-of", AS_OF, "-o", str(out)])


def _squeeze(png: Path) -> None:
    if shutil.which("pngquant"):
        subprocess.run(
            ["pngquant", "--force", "--skip-if-larger", "--output", str(png), "64", str(png)],
            check=False,
        )
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", str(png)], check=False)


def main_() -> int:
    """Write every screenshot; 1 when Chromium is missing."""
    browser = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    browser = browser or shutil.which("chromium")
    if browser is None:
        print("chromium is not installed", file=sys.stderr)
        return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(ROOT):
        for name, argv, width, height in SHOTS:
            page = Path(tmp) / f"{name}.html"
            _report(argv, page)
            png = IMAGES / name
            subprocess.run(
                [
                    browser,
                    *FLAGS,
                    f"--user-data-dir={Path(tmp) / 'profile'}",
                    f"--window-size={width},{height}",
                    f"--screenshot={png}",
                    page.as_uri(),
                ],
                capture_output=True,
                timeout=120,
                check=True,
            )
            _squeeze(png)
            print(f"{png.relative_to(ROOT)}: {png.stat().st_size // 1024} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
