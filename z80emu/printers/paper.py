"""Continuous fan-fold paper: the text record of everything a printer puts on it,
written through to disk line by line as it prints.

The record is plain text, so ``cat`` and any editor show it; ``render`` turns it
into PDF or PNG pages later. Its format:

* one printed line per text line, ending ``"\\n"``; an empty line is a line the
  paper moved past without printing;
* a line struck more than once (overprinting: a carriage return without a line
  feed, or a backspace) holds each pass, separated by ``"\\r"``, as the printer
  received them: ``"HELLO\\r_____"`` is HELLO underlined;
* ``"\\f"`` before a line means the paper went to the top of the next form
  before that line (a form feed); a record may end with a lone ``"\\f"``.

Write-through (DESIGN.md "Files people bring"): each line is written and
flushed the moment the paper moves past it, so a crash, a SIGKILL or Ctrl-C
keeps every finished line; ``sync="fsync"`` also asks the operating system to
put it on the disk (surviving a power cut, at a few milliseconds a line). An
existing record is appended to, as a printer keeps printing on the same stack
of paper: nothing already printed is ever overwritten.

A path ending in ``.pdf`` or ``.png`` keeps the record beside it (same name,
``.txt``) and asks for the rendering when the printer is closed.

>>> paper = Paper()
>>> paper.feed(["HELLO", "_____"]); paper.feed([]); paper.form_feed(); paper.feed(["PAGE 2"])
>>> paper.text
'HELLO\\r_____\\n\\n\\x0cPAGE 2'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

SYNC_MODES = ("flush", "fsync")
RENDERED = (".pdf", ".png")


def split_output(path: str | os.PathLike) -> tuple[str, str | None]:
    """(record path, picture path or None) for an output the user named.

    >>> split_output("out.txt"), split_output("listing.PDF")
    (('out.txt', None), ('listing.txt', 'listing.PDF'))
    """
    path = os.fspath(path)
    stem, ext = os.path.splitext(path)
    if ext.lower() in RENDERED:
        return stem + ".txt", path
    return path, None


def encode_line(layers: Sequence[str], form_feeds: int = 0) -> str:
    """One record line (without its newline) from its overprint layers."""
    passes = [layer.rstrip() for layer in layers]
    while len(passes) > 1 and not passes[-1]:
        passes.pop()
    return "\f" * form_feeds + "\r".join(passes)


class Paper:
    """The paper in a printer, with the text record written through to ``path``
    (None: kept in memory only). ``sync`` is ``"flush"`` (every line handed to
    the operating system at once: safe against the process dying) or
    ``"fsync"`` (also forced to the disk: safe against the machine dying)."""

    def __init__(self, path: str | os.PathLike | None = None, sync: str = "flush") -> None:
        if sync not in SYNC_MODES:
            raise ValueError(f"sync must be one of {SYNC_MODES}, not {sync!r}")
        self.path, self.render_to = (None, None) if path is None else split_output(path)
        self.sync = sync
        self.lines: list[str] = []  # the record lines, as written
        self.pending_form_feeds = 0  # form feeds waiting for the next line
        self.listeners: list[Callable[[Paper], None]] = []  # told after each line
        self._file = None
        self.appending = False
        if self.path is not None:
            self.appending = os.path.exists(self.path) and os.path.getsize(self.path) > 0
            self._file = open(self.path, "ab")  # noqa: SIM115 - kept open while printing
            if self.appending:
                self._file.write(_separator(self.path))
                self._flush()

    # -- what the printer does ---------------------------------------------------
    def feed(self, layers: Sequence[str]) -> None:
        """The paper moves past a line holding ``layers`` (its overprint passes)."""
        line = encode_line(layers, self.pending_form_feeds)
        self.pending_form_feeds = 0
        self.lines.append(line)
        if self._file is not None:
            self._file.write(line.encode("latin-1", "replace") + b"\n")
            self._flush()
        for listener in self.listeners:
            listener(self)

    def form_feed(self) -> None:
        """The paper goes to the top of the next form (recorded before the next line)."""
        self.pending_form_feeds += 1

    def close(self) -> None:
        """Write a final pending form feed and close the record file."""
        if self._file is None:
            return
        if self.pending_form_feeds:
            self._file.write(b"\f" * self.pending_form_feeds)
        self._flush()
        self._file.close()
        self._file = None

    @property
    def closed(self) -> bool:
        return self._file is None

    def _flush(self) -> None:
        self._file.flush()
        if self.sync == "fsync":
            os.fsync(self._file.fileno())

    @property
    def text(self) -> str:
        """The record so far, lines joined by ``"\\n"`` (no final newline)."""
        return "\n".join(self.lines) + ("\f" * self.pending_form_feeds)


def _separator(path: str) -> bytes:
    """What to write before appending to an existing record: a newline if its
    last line is unfinished (a record cut short), else nothing."""
    with open(path, "rb") as f:
        f.seek(-1, os.SEEK_END)
        last = f.read(1)
    return b"" if last in (b"\n", b"\f") else b"\n"


def parse_record(text: str) -> list[tuple[int, list[str]]]:
    """Split a record into ``(form_feeds_before, layers)`` per line; a trailing
    lone form feed becomes a final entry with no layers.

    >>> parse_record("A\\r_\\n\\n\\x0cB\\n\\x0c")
    [(0, ['A', '_']), (0, ['']), (1, ['B']), (1, [])]
    """
    entries: list[tuple[int, list[str]]] = []
    parts = text.split("\n")
    tail = parts.pop()  # after the last newline: "" normally, "\f" after a last FF
    for part in parts:
        stripped = part.lstrip("\f")
        entries.append((len(part) - len(stripped), stripped.split("\r")))
    if tail:
        stripped = tail.lstrip("\f")
        count = len(tail) - len(stripped)
        entries.append((count, stripped.split("\r")) if stripped else (count, []))
    return entries
