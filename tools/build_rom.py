#!/usr/bin/env python3
"""Build the project's own Model I ROM: assemble roms/src/z80emu.asm with the
z80emu assembler, check its layout, and write z80emu/roms/z80emu.rom (12 KB,
unused bytes FFh as in an unprogrammed EPROM; 14,304 bytes when the code goes on
into 3000h-37DFh, where a Model I has nothing and the machine maps the rest of
this ROM).

The entry points that programs written for Level II call must sit at the
Level II addresses (TRS80-REFERENCE.md §6.6); the build refuses a ROM where
they moved. ``--check`` compares a fresh build with the committed image
instead of writing it (the test suite does the same).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCE = ROOT / "roms" / "src" / "z80emu.asm"
IMAGE = ROOT / "z80emu" / "roms" / "z80emu.rom"
ROM_SIZE = 0x3000
EXTENDED_SIZE = 0x37E0   # the ROM may go on into 3000h-37DFh, empty on a Model I
FILL = 0xFF

# Label -> the address where programs expect it (Level II's entry points).
ENTRY_POINTS = {
    "RESET": 0x0000, "GETDCB": 0x0013, "PUTDCB": 0x001B, "CTLDCB": 0x0023,
    "KBSCAN": 0x002B, "VDCHAR": 0x0033, "PRCHAR": 0x003B, "LINEIN": 0x0040,
    "KBWAIT": 0x0049, "ROW6TAB": 0x0050, "DELAY": 0x0060, "NMI": 0x0066,
    "CLS": 0x01C9, "RANDOM": 0x01D3, "CASOFF": 0x01F8, "CASON": 0x0212,
    "CSIN": 0x0235, "CSOUT": 0x0264, "CSLEAD": 0x0287, "CSSYNC": 0x0296,
    "SYSTEM": 0x02B2, "CSWORD": 0x0314, "OUTDEV": 0x032A, "OUTLPT": 0x039C,
    "CIO": 0x03C2, "KEYDRV": 0x03E3, "VIDDRV": 0x0458, "PRTDRV": 0x058D,
    "PRSTAT": 0x05D1, "KEYIN": 0x05D9, "REENTRY": 0x06CC, "RAMTAB": 0x06D2,
}


class BuildError(Exception):
    pass


def build(source: Path = SOURCE) -> tuple[bytes, dict[str, int]]:
    """Assemble the ROM; returns (image, symbols). Raises BuildError."""
    from z80emu.asm import assemble_file

    result = assemble_file(str(source))
    if not result.ok:
        raise BuildError("\n".join(str(e) for e in result.errors))
    end = max((s.address + len(s.data) for s in result.segments), default=0)
    if end > EXTENDED_SIZE:
        raise BuildError(f"code runs to {end - 1:04X}h, past the ROM's end (37DFh)")
    image = bytearray([FILL]) * (ROM_SIZE if end <= ROM_SIZE else EXTENDED_SIZE)
    for seg in result.segments:
        image[seg.address:seg.address + len(seg.data)] = seg.data
    for label, address in ENTRY_POINTS.items():
        got = result.symbols.get(label)
        if got != address:
            raise BuildError(f"{label} must be at {address:04X}h, the assembler put it at "
                             f"{'nowhere' if got is None else f'{got:04X}h'}")
    return bytes(image), result.symbols


def used_bytes(symbols_source: Path = SOURCE) -> int:
    """How many of the 12,288 bytes the code and data occupy."""
    from z80emu.asm import assemble_file

    return sum(len(s.data) for s in assemble_file(str(symbols_source)).segments)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare a fresh build with the committed image")
    args = parser.parse_args(argv)
    try:
        image, _ = build()
    except (BuildError, OSError) as exc:
        print(f"build_rom: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if not IMAGE.exists() or IMAGE.read_bytes() != image:
            print(f"build_rom: {IMAGE} differs from a fresh build; run tools/build_rom.py",
                  file=sys.stderr)
            return 1
        print(f"{IMAGE.relative_to(ROOT)} matches the source")
        return 0
    IMAGE.write_bytes(image)
    print(f"wrote {IMAGE.relative_to(ROOT)}: {used_bytes()} of {len(image)} bytes used")
    return 0


if __name__ == "__main__":
    sys.exit(main())
