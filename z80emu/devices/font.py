"""The project's own 5x7 character font for the Model I screen, and the cell atlas.

Drawn for z80emu in the conventional 5x7 dot-matrix style (nothing is copied from
a character-generator dump). The layout facts come from TRS80-REFERENCE.md §3.4:
a glyph is 5 dots wide and 7 lines high, placed in a 6x12 cell with scan line 0
blank, the glyph on lines 1-7 and lines 8-11 blank; the sixth dot column is blank.
Lowercase letters with descenders (g j p q y) sit two lines lower, as on the
lowercase-modification character generators. Codes 5Bh-5Eh are the four arrows.

Codes 00h-1Fh are reachable only with the lowercase modification; the original
generator's symbols there are not documented, so z80emu shows the 40h-5Fh
glyphs for them (a documented choice, see docs/machine.md).

>>> glyph_rows("A")[0]
'..#..'
>>> cell_atlas().shape
(256, 12, 6)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

CELL_WIDTH = 6
CELL_HEIGHT = 12
GLYPH_TOP = 1  # scan line of the glyph's first row
DESCENDER_SHIFT = 2  # lines that g j p q y move down

# 96 glyphs, 20h-7Fh in code order; each is 7 rows of 5 dots ('#' lit).
_FONT = """
.....  ..#..  .#.#.  .#.#.  ..#..  ##...  .##..  ..#..
.....  ..#..  .#.#.  .#.#.  .####  ##..#  #..#.  ..#..
.....  ..#..  .#.#.  #####  #.#..  ...#.  #.#..  .#...
.....  ..#..  .....  .#.#.  .###.  ..#..  .#...  .....
.....  ..#..  .....  #####  ..#.#  .#...  #.#.#  .....
.....  .....  .....  .#.#.  ####.  #..##  #..#.  .....
.....  ..#..  .....  .#.#.  ..#..  ...##  .##.#  .....

...#.  .#...  .....  .....  .....  .....  .....  .....
..#..  ..#..  ..#..  ..#..  .....  .....  .....  ....#
.#...  ...#.  #.#.#  ..#..  .....  .....  .....  ...#.
.#...  ...#.  .###.  #####  .....  #####  .....  ..#..
.#...  ...#.  #.#.#  ..#..  .##..  .....  .....  .#...
..#..  ..#..  ..#..  ..#..  ..#..  .....  .##..  #....
...#.  .#...  .....  .....  .#...  .....  .##..  .....

.###.  ..#..  .###.  #####  ...#.  #####  ..##.  #####
#...#  .##..  #...#  ...#.  ..##.  #....  .#...  ....#
#..##  ..#..  ....#  ..#..  .#.#.  ####.  #....  ...#.
#.#.#  ..#..  ..##.  ...#.  #..#.  ....#  ####.  ..#..
##..#  ..#..  .#...  ....#  #####  ....#  #...#  .#...
#...#  ..#..  #....  #...#  ...#.  #...#  #...#  .#...
.###.  .###.  #####  .###.  ...#.  .###.  .###.  .#...

.###.  .###.  .....  .....  ...#.  .....  .#...  .###.
#...#  #...#  .##..  .##..  ..#..  .....  ..#..  #...#
#...#  #...#  .##..  .##..  .#...  #####  ...#.  ....#
.###.  .####  .....  .....  #....  .....  ....#  ...#.
#...#  ....#  .##..  .##..  .#...  #####  ...#.  ..#..
#...#  ...#.  .##..  ..#..  ..#..  .....  ..#..  .....
.###.  .##..  .....  .#...  ...#.  .....  .#...  ..#..

.###.  ..#..  ####.  .###.  ####.  #####  #####  .####
#...#  .#.#.  #...#  #...#  .#..#  #....  #....  #....
#.###  #...#  #...#  #....  .#..#  #....  #....  #....
#.#.#  #...#  ####.  #....  .#..#  ####.  ####.  #..##
#.###  #####  #...#  #....  .#..#  #....  #....  #...#
#....  #...#  #...#  #...#  .#..#  #....  #....  #...#
.###.  #...#  ####.  .###.  ####.  #####  #....  .####

#...#  .###.  ....#  #...#  #....  #...#  #...#  .###.
#...#  ..#..  ....#  #..#.  #....  ##.##  #...#  #...#
#...#  ..#..  ....#  #.#..  #....  #.#.#  ##..#  #...#
#####  ..#..  ....#  ##...  #....  #.#.#  #.#.#  #...#
#...#  ..#..  ....#  #.#..  #....  #...#  #..##  #...#
#...#  ..#..  #...#  #..#.  #....  #...#  #...#  #...#
#...#  .###.  .###.  #...#  #####  #...#  #...#  .###.

####.  .###.  ####.  .###.  #####  #...#  #...#  #...#
#...#  #...#  #...#  #...#  ..#..  #...#  #...#  #...#
#...#  #...#  #...#  #....  ..#..  #...#  #...#  #...#
####.  #...#  ####.  .###.  ..#..  #...#  #...#  #.#.#
#....  #.#.#  #.#..  ....#  ..#..  #...#  #...#  #.#.#
#....  #..#.  #..#.  #...#  ..#..  #...#  .#.#.  #.#.#
#....  .##.#  #...#  .###.  ..#..  .###.  ..#..  .#.#.

#...#  #...#  #####  ..#..  ..#..  .....  .....  .....
#...#  #...#  ....#  .###.  ..#..  ..#..  ..#..  .....
.#.#.  .#.#.  ...#.  #.#.#  ..#..  .#...  ...#.  .....
..#..  ..#..  ..#..  ..#..  ..#..  #####  #####  .....
.#.#.  ..#..  .#...  ..#..  #.#.#  .#...  ...#.  .....
#...#  ..#..  #....  ..#..  .###.  ..#..  ..#..  .....
#...#  ..#..  #####  ..#..  ..#..  .....  .....  #####

.#...  .....  #....  .....  ....#  .....  ..##.  .####
..#..  .....  #....  .....  ....#  .....  .#..#  #...#
...#.  .###.  #.##.  .###.  .##.#  .###.  .#...  #...#
.....  ....#  ##..#  #....  #..##  #...#  ###..  .####
.....  .####  #...#  #....  #...#  #####  .#...  ....#
.....  #...#  #...#  #...#  #...#  #....  .#...  #...#
.....  .####  ####.  .###.  .####  .###.  .#...  .###.

#....  ..#..  ...#.  #....  .##..  .....  .....  .....
#....  .....  .....  #....  ..#..  .....  .....  .....
#.##.  .##..  ..##.  #..#.  ..#..  ##.#.  #.##.  .###.
##..#  ..#..  ...#.  #.#..  ..#..  #.#.#  ##..#  #...#
#...#  ..#..  ...#.  ##...  ..#..  #.#.#  #...#  #...#
#...#  ..#..  #..#.  #.#..  ..#..  #.#.#  #...#  #...#
#...#  .###.  .##..  #..#.  .###.  #.#.#  #...#  .###.

#.##.  .##.#  .....  .....  .#...  .....  .....  .....
##..#  #..##  .....  .....  .#...  .....  .....  .....
#...#  #...#  #.##.  .####  ###..  #...#  #...#  #...#
####.  .####  ##..#  #....  .#...  #...#  #...#  #...#
#....  ....#  #....  .###.  .#...  #...#  #...#  #.#.#
#....  ....#  #....  ....#  .#..#  #..##  .#.#.  #.#.#
#....  ....#  #....  ####.  ..##.  .##.#  ..#..  .#.#.

.....  #...#  .....  ...##  ..#..  ##...  .#...  #.#.#
.....  #...#  .....  ..#..  ..#..  ..#..  #.#.#  .#.#.
#...#  #...#  #####  ..#..  ..#..  ..#..  ...#.  #.#.#
.#.#.  .####  ...#.  ##...  .....  ...##  .....  .#.#.
..#..  ....#  ..#..  ..#..  ..#..  ..#..  .....  #.#.#
.#.#.  #...#  .#...  ..#..  ..#..  ..#..  .....  .#.#.
#...#  .###.  #####  ...##  ..#..  ##...  .....  #.#.#
"""

# Glyphs drawn with their descender in the bottom rows; shown two lines lower.
DESCENDERS = frozenset("gjpqy")


@lru_cache(maxsize=1)
def _glyph_table() -> dict[int, tuple[str, ...]]:
    blocks = [b for b in _FONT.strip("\n").split("\n\n")]
    table: dict[int, tuple[str, ...]] = {}
    for block_index, block in enumerate(blocks):
        lines = [line.split() for line in block.strip("\n").split("\n")]
        if len(lines) != 7 or any(len(row) != 8 for row in lines):
            raise ValueError(f"font block {block_index} is not 8 glyphs of 7 rows")
        for i in range(8):
            table[0x20 + block_index * 8 + i] = tuple(row[i] for row in lines)
    if len(table) != 96:
        raise ValueError("the font must hold 96 glyphs (20h-7Fh)")
    return table


def glyph_rows(char: str | int) -> tuple[str, ...]:
    """The seven 5-dot rows ('#' lit) of a character code 20h-7Fh or a character."""
    code = ord(char) if isinstance(char, str) else char
    return _glyph_table()[code]


def _character_cell(code: int) -> np.ndarray:
    """The 12x6 dot picture of a 7-bit character code (no bit-6 gate applied)."""
    if code < 0x20:
        code += 0x40  # z80emu's choice for the lowercase-mod codes 00h-1Fh
    cell = np.zeros((CELL_HEIGHT, CELL_WIDTH), dtype=np.uint8)
    top = GLYPH_TOP + (DESCENDER_SHIFT if chr(code) in DESCENDERS else 0)
    for y, row in enumerate(glyph_rows(code)):
        for x, dot in enumerate(row):
            if dot == "#":
                cell[top + y, x] = 1
    return cell


def _graphics_cell(code: int) -> np.ndarray:
    """A 2x3 block-graphics cell (§3.5): bits 0-5, left block = even bit."""
    cell = np.zeros((CELL_HEIGHT, CELL_WIDTH), dtype=np.uint8)
    for bit in range(6):
        if code & (1 << bit):
            row, col = divmod(bit, 2)
            cell[row * 4:row * 4 + 4, col * 3:col * 3 + 3] = 1
    return cell


@lru_cache(maxsize=1)
def cell_atlas() -> np.ndarray:
    """Dots (0/1) of every byte value as shown: shape (256, 12, 6), read-only.

    Bytes 00h-7Fh are characters, 80h-FFh block graphics (C0h-FFh repeat 80h-BFh).
    The byte is drawn as given; z80emu.devices.video applies the stock
    machine's bit-6 gate before looking a byte up here.
    """
    atlas = np.zeros((256, CELL_HEIGHT, CELL_WIDTH), dtype=np.uint8)
    for code in range(256):
        atlas[code] = _graphics_cell(code) if code & 0x80 else _character_cell(code)
    atlas.setflags(write=False)
    return atlas
