"""Generate sbomcheck/identify/_confusables.py from Unicode's confusables.txt (UTS #39).

Run: `python tools/gen_confusables.py CONFUSABLES_TXT "WHERE IT CAME FROM"`, e.g.

    curl -O https://www.unicode.org/Public/security/latest/confusables.txt
    python tools/gen_confusables.py confusables.txt \
        "https://www.unicode.org/Public/security/latest/confusables.txt"

The module it writes holds one table, `FOLD`: a non-ASCII character, as the matcher sees it
(NFKC, case folded, combining marks removed), to the ASCII letter Unicode lists it as
confusable with. Kept:

- sources that are one code point whose prototype, with marks removed, is one ASCII letter
  (`ɑ` -> a, Cherokee `Ꮶ` -> k, Lisu `ꓗ` -> k); digits, punctuation and multi-letter
  prototypes are left out (no catalogue word needs them);
- keyed by the case-folded form, because matching ignores case: capital Cyrillic `К` is
  listed as confusable with `K`, so its small form `к` folds to `k` as well. Where the forms
  of one key disagree (`І` looks like `l`, `і` like `i`), the key's own entry wins;
- not Han, Kana or Hangul: the tokenizer cuts those into single characters (docs/aliases.md).

A second table, `FOLD_CASED`, keeps the few characters whose own case disagrees with the
case-folded key (Greek capital `Υ` looks like Y, small `υ` like u): the matcher folds those
before case folding. A capital that looks like `I` (Unicode's prototype `l`) whose small form
looks like `i` is the same letter to a case-insensitive matcher, so it is not kept apart.

The header records the file's version and date lines, its SHA-256 and where it came from.

It also writes tests/identify/data/confusables-kaspersky.txt: the header and every line of
confusables.txt whose prototype is a letter of "kaspersky", untouched, so that the tests can
try every single-letter look-alike of the brand that Unicode lists without the whole file.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections import Counter
from pathlib import Path

CANONICAL_URL = "https://www.unicode.org/Public/security/latest/confusables.txt"
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sbomcheck" / "identify" / "_confusables.py"
SUBSET = ROOT / "tests" / "identify" / "data" / "confusables-kaspersky.txt"
_BRAND = "kaspersky"


def _cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x1100 <= cp <= 0x11FF
        or 0x2E80 <= cp <= 0x9FFF
        or 0xA960 <= cp <= 0xA97F
        or 0xAC00 <= cp <= 0xD7FF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFF65 <= cp <= 0xFFDC
        or 0x20000 <= cp <= 0x3FFFF
    )


def strip_marks(text: str) -> str:
    """`text` without combining marks, except on Cyrillic letters (й, ё keep theirs)."""
    out: list[str] = []
    base_cyrillic = False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if base_cyrillic:
                out.append(ch)
            continue
        base_cyrillic = "\u0400" <= ch <= "\u052f"
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def as_matched(ch: str) -> str:
    """A character as the matcher sees it: NFKC, case folded, marks removed."""
    return strip_marks(unicodedata.normalize("NFKC", ch).casefold())


def parse(text: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    header: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in ("Version", "Date"):
                header[key.strip()] = value.strip()
            continue
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        fields = [f.strip() for f in data.split(";")]
        src = "".join(chr(int(h, 16)) for h in fields[0].split())
        tgt = "".join(chr(int(h, 16)) for h in fields[1].split())
        pairs.append((src, tgt))
    return header, pairs


def _target(tgt: str) -> str:
    return strip_marks(unicodedata.normalize("NFKD", tgt)).casefold()


def build_cased(pairs: list[tuple[str, str]], table: dict[str, str]) -> dict[str, str]:
    """Characters (NFKC, marks removed, case kept) whose target differs from their key's."""
    cased: dict[str, str] = {}
    for src, tgt in pairs:
        target = _target(tgt)
        if len(src) != 1 or len(target) != 1 or not ("a" <= target <= "z"):
            continue
        key = as_matched(src)
        form = strip_marks(unicodedata.normalize("NFKC", src))
        if unicodedata.normalize("NFKC", src) != src:
            continue  # its compatibility form is a different letter (lunate sigma: Σ)
        if len(key) != 1 or key.isascii() or _cjk(key) or form == key or len(form) != 1:
            continue
        own = table.get(key)
        if own == target or (target == "l" and own == "i"):
            continue
        cased[form] = target
    return dict(sorted(cased.items()))


def build(pairs: list[tuple[str, str]]) -> dict[str, str]:
    own: dict[str, str] = {}
    votes: dict[str, Counter[str]] = {}
    for src, tgt in pairs:
        if len(src) != 1:
            continue
        target = _target(tgt)
        if len(target) != 1 or not ("a" <= target <= "z"):
            continue
        key = as_matched(src)
        if len(key) != 1 or key.isascii() or _cjk(key):
            continue
        if key == src:
            own[key] = target
        votes.setdefault(key, Counter())[target] += 1
    table: dict[str, str] = {}
    for key, counter in votes.items():
        if key in own:
            table[key] = own[key]
        else:
            best = max(counter.items(), key=lambda kv: (kv[1], -ord(kv[0])))
            table[key] = best[0]
    return dict(sorted(table.items()))


def _entries(table: dict[str, str]) -> list[str]:
    lines = []
    for key, target in table.items():
        name = unicodedata.name(key, f"U+{ord(key):04X}")
        esc = f"\\u{ord(key):04x}" if ord(key) <= 0xFFFF else f"\\U{ord(key):08x}"
        lines.append(f'    "{esc}": "{target}",  # {name}')
    return lines


def render(
    table: dict[str, str], cased: dict[str, str], header: dict[str, str], sha: str, origin: str
) -> str:
    lines = [
        '"""Unicode confusables folded to ASCII letters: generated, do not edit.',
        "",
        "Made by tools/gen_confusables.py from Unicode's confusables.txt (UTS #39); see that",
        "script for what is kept and docs/aliases.md for how the matcher uses it.",
        "",
        "Its length is data: one line per folded character, written by the script, never by hand.",
        '"""',
        "",
        f'SOURCE_URL = "{CANONICAL_URL}"',
        f'OBTAINED_FROM = "{origin}"',
        f'VERSION = "{header.get("Version", "")}"',
        f'DATE = "{header.get("Date", "")}"',
        f'SHA256 = "{sha}"',
        "",
        "FOLD: dict[str, str] = {",
    ]
    lines += _entries(table)
    lines.append("}")
    lines.append(
        '"""Character (NFKC, case folded, marks removed) -> the ASCII letter it looks like."""'
    )
    lines.append("")
    lines.append("FOLD_CASED: dict[str, str] = {")
    lines += _entries(cased)
    lines.append("}")
    lines.append(
        '"""Characters folded before case folding: their own target is not their key\'s."""'
    )
    return "\n".join(lines) + "\n"


def subset(text: str, sha: str, origin: str) -> str:
    """The header lines and the lines whose prototype is one letter of the brand."""
    out = [f"# Subset of confusables.txt (SHA-256 {sha}, from {origin}): prototypes in"]
    out.append(f'# "{_BRAND}", either case. Written by tools/gen_confusables.py.')
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith(("# Version:", "# Date:", "# confusables.txt")):
                out.append(line)
            continue
        fields = line.split("#", 1)[0].split(";")
        if len(fields) < 2:
            continue
        target = "".join(chr(int(h, 16)) for h in fields[1].split())
        if len(target) == 1 and target.casefold() in _BRAND:
            out.append(line.rstrip())
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path, origin = Path(argv[0]), argv[1]
    data = path.read_bytes()
    header, pairs = parse(data.decode("utf-8-sig"))
    if "Version" not in header:
        print(f"{path}: no '# Version:' line: is this confusables.txt?", file=sys.stderr)
        return 2
    table = build(pairs)
    cased = build_cased(pairs, table)
    sha = hashlib.sha256(data).hexdigest()
    OUT.write_text(render(table, cased, header, sha, origin), "utf-8")
    SUBSET.parent.mkdir(parents=True, exist_ok=True)
    SUBSET.write_text(subset(data.decode("utf-8-sig"), sha, origin), "utf-8")
    print(f"{OUT}: {len(table)} characters from confusables.txt {header['Version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
