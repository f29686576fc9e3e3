"""The z80emu assembler: Z80 source in (zmac / M-80 / pasmo style), machine code
out, as raw binary, Intel HEX, TRS-80 .CMD or a SYSTEM .CAS tape, with a
listing and a symbol table.  Instruction encodings come from ``z80emu.isa``.

>>> result = assemble('''
...         ORG 7000H
... start:  LD HL,msg
...         JR start
... msg:    DEFM "HI",0
...         END start
... ''')
>>> result.ok, result.origin, result.binary().hex(" ").upper(), hex(result.entry)
(True, 28672, '21 05 70 18 FB 48 49 00', '0x7000')
>>> assemble(" LD A,(IX+200)").errors[0].message
'index displacement out of range: 200 (expected -128..127)'

See docs/assembler.md for the syntax and the output formats.
"""

from __future__ import annotations

from .core import AsmError, Assembler, read_source, source_lines
from .output import Assembly, AssemblyFailed

__all__ = ["AsmError", "Assembly", "AssemblyFailed", "assemble", "assemble_file"]


def assemble(
    text: str,
    filename: str = "<source>",
    include_paths: list[str] | None = None,
    defines: dict[str, int] | None = None,
) -> Assembly:
    """Assemble source text. The result carries the bytes, the entry point, the
    symbols, the listing and every error found (``result.errors``; empty when
    ``result.ok``). ``filename`` names the source in error messages and is the
    folder INCLUDE searches first; ``defines`` presets symbols (like ``-D``)."""
    asm = Assembler(include_paths, defines)
    asm.assemble(source_lines(text, filename))
    return Assembly(asm)


def assemble_file(
    path: str, include_paths: list[str] | None = None, defines: dict[str, int] | None = None
) -> Assembly:
    """Assemble the source file at ``path`` (raises OSError if it cannot be read)."""
    return assemble(read_source(path), path, include_paths, defines)
