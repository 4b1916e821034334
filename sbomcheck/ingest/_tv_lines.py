"""The lines of a tag-value document, read fast: `Tag: value` lines and `<text>` blocks handed
to what the section the reader is in does with each tag.

The text is cut into chunks of whole lines (`_CHUNK` characters at most) and each chunk split
with `str.split`, so a line costs a few calls into C, not a search and a slice of its own. A
line longer than a chunk, and a `<text>` block that goes on past the end of its chunk, are
taken apart by index instead, never split off: the value is the one copy made of its part of
the text (a 300 MB line costs 300 MB more, not four times that). Both ways read every line
alike (tests/ingest/test_bounded_input.py compares them with the plain splitting reader).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from itertools import islice
from typing import Any

from sbomcheck.errors import IngestError

__all__ = ["Handler", "TagValueLines"]

Handler = Callable[[Any, str, int], None]
"""What a tag's line is given to, with the reader (a function, not a bound method, so that
the tables of handlers are made once and hold no reader): its value (stripped, `<text>`
unwrapped) and line number."""

_CHUNK = 1 << 18
"""Characters split at once; longer lines are taken apart by index."""

_NON_SPACE = re.compile(r"\S")
_MAX_TRAILING_SPACE = 64
"""Trailing whitespace characters stepped over one by one before rstrip() is used."""


class TagValueLines:
    """Reads the lines of a text through `tags`, tag -> what its value is: a key of `cur`
    (a value that may appear once in a section) or a `Handler`. Lines that are not
    `Tag: value` are listed in `not_tag_value`; tags not in `tags` are not read. A handler
    may begin a new section: change `cur` and `tags`.

    The keys of `tags` are tags as written: no surrounding whitespace, no leading `#`, so
    a line that starts with one and a colon can be read without stripping it first.
    """

    __slots__ = ("cur", "key", "not_tag_value", "tags")

    def __init__(self, key: str) -> None:
        self.key = key
        self.cur: dict[str, Any] = {}
        self.tags: Mapping[str, str | Handler] = {}
        self.not_tag_value: list[int] = []

    def fail(self, message: str, lineno: int) -> IngestError:
        return IngestError(message, source=self.key, location=f"line {lineno}")

    def repeated(self, tag: str, lineno: int) -> IngestError:
        """The error for a tag that names a key of `cur` met twice in one section."""
        return self.fail(f"{tag} appears twice", lineno)

    def read_text(self, text: str) -> None:
        """Every `Tag: value` line (or `<text>` block) of `text`, in order."""
        size = len(text)
        pos = 0
        lineno = 1
        while pos <= size:
            cut = size if pos + _CHUNK >= size else text.rfind("\n", pos, pos + _CHUNK)
            if cut < 0:
                pos, lineno = self.read_by_index(text, pos, lineno)
                continue
            lines = text[pos:cut].split("\n")
            stop = self.read_lines(lines, lineno)
            if stop < 0:
                pos = cut + 1
                lineno += len(lines)
            else:
                # A <text> block that goes on past this chunk: its first line by index.
                pos += sum(map(len, islice(lines, stop))) + stop
                pos, lineno = self.read_by_index(text, pos, lineno + stop)

    # One function on purpose: the loop body runs once per line (1.7 million times for
    # 100,000 packages) on local names, with one look-up per line and no call for a
    # package's single-valued fields.
    def read_lines(self, lines: list[str], first: int) -> int:
        """Read `lines` (the first is line `first`); -1 when all are read, else the index of
        a line that opens a `<text>` block not closed among them (it is not read)."""
        cur, tags = self.cur, self.tags
        numbered = enumerate(lines)
        target: Any  # str | Handler | None, told apart by `type(...) is str` (no call)
        for index, line in numbered:
            tag, colon, value = line.partition(":")
            target = tags.get(tag)
            if target is not None and colon:
                value = value.strip()
            else:
                entry = _line_entry(line)
                if entry is None:
                    continue
                name, value = entry
                if name is None:
                    self.not_tag_value.append(first + index)
                    continue
                tag = name
                target = tags.get(tag)
            # NOTE: a one-character slice is a cached string, not a new one.
            if value[:1] == "<" and value.startswith("<text>"):
                close = value.find("</text>", 6)
                if close >= 0:
                    value = value[6:close]
                else:
                    last = _block_end(lines, index)
                    if last < 0:
                        return index
                    value = _joined_block(value, lines, index, last)
                    _skip(numbered, last - index)
            if type(target) is str:
                if target in cur:
                    raise self.repeated(tag, first + index)
                cur[target] = value
            elif target is not None:
                target(self, value, first + index)
                cur, tags = self.cur, self.tags
        return -1

    def read_by_index(self, text: str, pos: int, lineno: int) -> tuple[int, int]:
        """Read the line at `pos` (line `lineno`) by index, with the `<text>` block it
        opens; the position and number of the line after them."""
        size = len(text)
        newline = text.find("\n", pos)
        end = size if newline < 0 else newline
        after = (end + 1, lineno + 1)
        entry = _long_entry(text, pos, end)
        if entry is None:
            return after
        tag, value, first_to_eol = entry
        if tag is None:
            self.not_tag_value.append(lineno)
            return after
        if first_to_eol is not None:
            close = text.find("</text>", end)
            if close < 0:
                raise self.fail("<text> is never closed by </text>", lineno)
            value = _text_block(text, value, first_to_eol, end, close)
            # NOTE: what follows </text> on its line is not read, as before.
            newline = text.find("\n", close)
            after = (
                size + 1 if newline < 0 else newline + 1,
                after[1] + text.count("\n", end, close),
            )
        self.dispatch(tag, value, lineno)
        return after

    def dispatch(self, tag: str, value: str, lineno: int) -> None:
        """One entry, as `read_lines` reads it."""
        target = self.tags.get(tag)
        if isinstance(target, str):
            if target in self.cur:
                raise self.repeated(tag, lineno)
            self.cur[target] = value
        elif target is not None:
            target(self, value, lineno)


def _line_entry(line: str) -> tuple[str | None, str] | None:
    """(tag, value) of a line (value stripped); (None, "") for a line that is not
    `Tag: value`; None for a blank or comment line."""
    stripped = line.strip()
    if not stripped or stripped[0] == "#":
        return None
    tag, colon, value = stripped.partition(":")
    if not colon:
        return None, ""
    return tag.rstrip(), value.strip()


def _block_end(lines: list[str], opening: int) -> int:
    """Index of the first line after `opening` holding `</text>`, -1 if none does."""
    for index in range(opening + 1, len(lines)):
        if "</text>" in lines[index]:
            return index
    return -1


def _joined_block(opening: str, lines: list[str], first: int, last: int) -> str:
    """The value of a `<text>` block from line `first` (whose value is `opening`) to line
    `last`: the lines between without trailing carriage returns, joined with newlines."""
    closing = lines[last]
    middle = (line.rstrip("\r") for line in islice(lines, first + 1, last))
    return "\n".join([opening[6:], *middle, closing[: closing.find("</text>")]])


def _skip(numbered: Iterator[Any], count: int) -> None:
    """Advance `numbered` by `count` items (the lines of a block already read)."""
    next(islice(numbered, count - 1, None), None)


def _long_entry(text: str, start: int, end: int) -> tuple[str | None, str, bool | None] | None:
    """(tag, value, reaches the end of the line if it opens an unclosed `<text>` else None)
    for the line text[start:end]; (None, "", None) when it is not `Tag: value`; None for a
    blank or comment line. The value is the only copy of its part of the line."""
    first = _skip_space(text, start, end)
    if first == end or text[first] == "#":
        return None
    colon = text.find(":", first, end)
    if colon < 0:
        return None, "", None
    tag = text[first:colon].rstrip()
    vstart = _skip_space(text, colon + 1, end)
    vend = _trim_end(text, vstart, end)
    if not text.startswith("<text>", vstart, vend):
        return tag, text[vstart:vend], None
    close = text.find("</text>", vstart + 6, vend)
    if close >= 0:
        return tag, text[vstart + 6 : close], None
    return tag, text[vstart:vend], vend == end


def _skip_space(text: str, pos: int, stop: int) -> int:
    """Index of the first non-whitespace character in text[pos:stop], else stop."""
    found = _NON_SPACE.search(text, pos, stop)
    return found.start() if found else stop


def _trim_end(text: str, start: int, stop: int) -> int:
    """`stop` moved back over trailing whitespace (not before `start`), as rstrip() would."""
    for _ in range(_MAX_TRAILING_SPACE):
        if stop <= start or not text[stop - 1].isspace():
            return stop
        stop -= 1
    return start + len(text[start:stop].rstrip())


def _text_block(text: str, opening: str, opening_to_eol: bool, newline: int, close: int) -> str:
    """The value of a `<text>` block over several lines: `opening[6:]` (the first line's
    value after `<text>`), then each line after `newline` up to `close`, without trailing
    carriage returns, joined with newlines."""
    first_len = len(opening) - 6
    if opening_to_eol and text.find("\r\n", newline, close) < 0:
        # The common case (no blanks after the first line's value, no CRLF): the block is
        # one stretch of the text: one slice, one copy.
        return text[newline - first_len : close]
    lines = text[newline + 1 : close].split("\n")
    rest = [*(ln.rstrip("\r") for ln in lines[:-1]), lines[-1]]
    return "\n".join([opening[6:], *rest])


def has_line_starting(text: str, prefix: str, lines: int) -> bool:
    """A line among the first `lines` (as str.splitlines counts them) that starts with
    `prefix` after leading whitespace."""
    # NOTE: only these lines are looked at, and only they are cut off: splitting the whole
    # text would copy all of it (a 300 MB line would cost 300 MB more).
    pos = 0
    for _ in range(lines):
        brk = _LINE_BREAK.search(text, pos)
        stop = len(text) if brk is None else brk.start()
        if text.startswith(prefix, _skip_space(text, pos, stop)):
            return True
        if brk is None:
            return False
        pos = brk.end()
    return False


# The line boundaries of str.splitlines.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
