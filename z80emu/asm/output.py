"""What an assembly run produces: the bytes (as segments), the entry point, the
symbols, and their renderings: raw binary, Intel HEX, .CMD, SYSTEM .CAS, the
listing and the symbol table.  Files are written to a temporary name and then
renamed, so a failed run never leaves a half-written output.
"""

from __future__ import annotations

import os
import tempfile

from ..formats import Segment, merge_segments
from ..formats.cas import write_system_cas
from ..formats.cmd import write_cmd
from ..formats.ihex import write_ihex
from ..isa import Encoding
from .core import AsmError, Assembler

FORMATS = ("bin", "hex", "cmd", "cas")
_EXTENSIONS = {".hex": "hex", ".ihx": "hex", ".cmd": "cmd", ".cas": "cas"}


class AssemblyFailed(Exception):
    """Raised when output is asked of an assembly that had errors."""

    def __init__(self, errors: list[AsmError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def format_for(path: str) -> str:
    """The output format implied by a file name: .hex/.ihx, .cmd, .cas, else raw binary."""
    return _EXTENSIONS.get(os.path.splitext(path)[1].lower(), "bin")


def tstates_text(tstates: tuple[int, ...]) -> str:
    """'7' for one timing, '12/7' for taken/not taken (or repeating/last)."""
    return "/".join(str(t) for t in tstates)


class Assembly:
    """The result of :func:`z80emu.asm.assemble`."""

    def __init__(self, asm: Assembler) -> None:
        self.errors: list[AsmError] = sorted(
            asm.errors, key=lambda e: (e.filename, e.line, e.column)
        )
        self._asm = asm
        self.segments: list[Segment] = merge_segments(
            [Segment(c.address, bytes(c.data)) for c in asm.chunks]
        )
        self.entry: int | None = asm.entry
        self.symbols: dict[str, int] = {
            asm.display.get(k, k): v
            for k, v in asm.symbols.items()
            if type(v) is int and not k.startswith("??")
        }

    def instructions(self) -> list[tuple[int, bytes, Encoding]]:
        """Every assembled instruction as (address, bytes, encoding), in source order."""
        return [
            (e.address, bytes(e.chunk.data[e.offset : e.offset + e.size]), e.encoding)
            for e in self._asm.listing
            if e.encoding is not None and e.chunk is not None
        ]

    @property
    def ok(self) -> bool:
        return not self.errors

    def check(self) -> None:
        """Raise :class:`AssemblyFailed` listing every error, if there were any."""
        if self.errors:
            raise AssemblyFailed(self.errors)

    @property
    def origin(self) -> int:
        """The lowest address that holds a byte (0 if nothing was emitted)."""
        return min((s.address for s in self.segments), default=0)

    @property
    def start(self) -> int:
        """The entry point: the END operand, else the first byte emitted."""
        if self.entry is not None:
            return self.entry
        return self.segments[0].address if self.segments else 0

    def binary(self, fill: int = 0) -> bytes:
        """All bytes from the lowest to the highest address used, gaps filled with ``fill``."""
        self.check()
        if not self.segments:
            return b""
        end = max(s.address + len(s.data) for s in self.segments)
        out = bytearray([fill]) * (end - self.origin)
        for s in self.segments:
            out[s.address - self.origin : s.address - self.origin + len(s.data)] = s.data
        return bytes(out)

    def render(self, fmt: str, name: str = "") -> bytes:
        """The output file's contents in ``fmt`` ('bin', 'hex', 'cmd', 'cas').
        ``name`` is the tape name (.CAS) or the load-module header (.CMD)."""
        self.check()
        if fmt == "bin":
            return self.binary()
        if fmt == "hex":
            return write_ihex(self.segments, self.entry).encode("ascii")
        if fmt == "cmd":
            return write_cmd(self.segments, self.start, name)
        if fmt == "cas":
            return write_system_cas(self.segments, self.start, name or "NONAME")
        raise ValueError(f"unknown output format '{fmt}' (expected one of {', '.join(FORMATS)})")

    def listing(self) -> str:
        """The listing: line number, address, bytes, T-states and source for each line."""
        out = ["  LINE ADDR  BYTES        T-STATES  SOURCE"]
        current_file = None
        for entry in self._asm.listing:
            line = entry.line
            if line.filename != current_file:
                if current_file is not None:
                    out.append(f"                                      ; file {line.filename}")
                current_file = line.filename
            mark = "+" if line.note else " "
            data = (
                bytes(entry.chunk.data[entry.offset : entry.offset + entry.size])
                if entry.chunk
                else b""
            )
            if entry.value is not None:
                addr = f"={entry.value & 0xFFFF:04X}"
            elif entry.address is not None:
                addr = f"{entry.address:04X} "
            else:
                addr = "     "
            timing = tstates_text(entry.encoding.tstates) if entry.encoding is not None else ""
            first, rest = data[:4], data[4:]
            out.append(
                f"{line.number:6d}{mark}{addr} {first.hex(' ').upper():<12} {timing:>8}  "
                + line.text.rstrip()
            )
            address = (entry.address or 0) + 4
            while rest:
                out.append(f"       {address & 0xFFFF:04X}  {rest[:4].hex(' ').upper()}")
                rest, address = rest[4:], address + 4
        return "\n".join(out) + "\n"

    def symbol_table(self) -> str:
        """Symbols sorted by name, one a line: name, hex value, decimal value."""
        width = max((len(n) for n in self.symbols), default=6)
        lines = [
            f"{name:<{width}}  {value & 0xFFFF:04X}H  {value}"
            for name, value in sorted(self.symbols.items(), key=lambda kv: kv[0].upper())
        ]
        return "\n".join(lines) + ("\n" if lines else "")


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder,
    renamed into place only once complete."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
