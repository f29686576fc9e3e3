"""Readers and writers for the files people bring to a TRS-80: Intel HEX
(:mod:`.ihex`), TRS-80 .CMD load modules (:mod:`.cmd`), .CAS cassette images
(:mod:`.cas`), Level II BASIC programs and .BAS files (:mod:`.basic`) and WAV
recordings of tapes (:mod:`.wav`). docs/files.md describes them for users.

Every reader raises :class:`FormatError` naming the file, the offset (or line)
and what was expected, so that a bad file gets a one-line message instead of a
traceback.  The byte layouts follow ``TRS80-REFERENCE.md`` sections 4, 5 and 6
in the shared docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class FormatError(ValueError):
    """A file that does not follow its format.

    ``str(error)`` is the one-line message for the user, e.g.
    ``game.cmd: offset 0x0012: load record runs past the end of the file``.
    """

    def __init__(self, filename: str, where: str, message: str) -> None:
        self.filename = filename
        self.where = where
        self.message = message
        super().__init__(f"{filename}: {where}: {message}" if where else f"{filename}: {message}")


@dataclass
class Segment:
    """A run of bytes to be placed at a load address."""

    address: int
    data: bytes


@dataclass
class Program:
    """Machine code to load: segments in file order, and an optional entry point."""

    segments: list[Segment] = field(default_factory=list)
    entry: int | None = None
    name: str = ""

    def image(self, fill: int = 0) -> tuple[int, bytes]:
        """Return ``(start, data)``: all segments laid out in one contiguous block,
        gaps filled with ``fill``. Later segments overwrite earlier ones."""
        if not self.segments:
            return 0, b""
        start = min(s.address for s in self.segments)
        end = max(s.address + len(s.data) for s in self.segments)
        out = bytearray([fill]) * (end - start)
        for s in self.segments:
            out[s.address - start : s.address - start + len(s.data)] = s.data
        return start, bytes(out)


def merge_segments(segments: list[Segment]) -> list[Segment]:
    """Join segments that follow one another directly in memory, keeping order."""
    merged: list[Segment] = []
    for s in segments:
        if not s.data:
            continue
        if merged and merged[-1].address + len(merged[-1].data) == s.address:
            merged[-1] = Segment(merged[-1].address, merged[-1].data + s.data)
        else:
            merged.append(Segment(s.address, bytes(s.data)))
    return merged


def load_program(path: str, org: int | None = None) -> Program:
    """Read a program from ``path``, choosing the reader from the extension:
    ``.hex``/``.ihx`` Intel HEX, ``.cmd`` TRS-80 load module, ``.cas`` SYSTEM
    tape, anything else raw bytes placed at ``org`` (default 0)."""
    from . import cas, cmd, ihex

    lower = path.lower()
    if lower.endswith((".hex", ".ihx")):
        with open(path, encoding="ascii", errors="replace") as f:
            return ihex.read_ihex(f.read(), path)
    with open(path, "rb") as f:
        data = f.read()
    if lower.endswith(".cmd"):
        return cmd.read_cmd(data, path)
    if lower.endswith(".cas"):
        return cas.read_system_cas(data, path)
    return Program([Segment(org or 0, data)], None, "")
