"""The Model I video: 1 KB of video RAM at 3C00h shown as 64x16 (or 32x16) cells.

Facts from TRS80-REFERENCE.md §3: 64 columns x 16 rows of 6x12-dot cells
(384x192 dots), character at 3C00h + 64*row + col; port FFh bit 3 selects the
32-column mode, which shows only the even addresses, each cell twice as wide;
a stock machine stores no bit 6 and regenerates it on every write (bit 6 = 0 if
bit 7 or bit 5 is set, else 1); block graphics 80h-BFh are 2x3 blocks, and
C0h-FFh show the same pictures.

The video RAM lives in the machine's 64 KB bytearray, holding the bytes as the
CPU wrote them; what the hardware keeps of them is :attr:`Video.gate` applied
to them (the missing bit 6), which is what CPU reads (through the bus), the
picture and the text show. This device turns the bytes into a numpy picture,
text and PNG files, redrawing only the cells that changed.

>>> mem = bytearray(65536)
>>> v = Video(mem)
>>> v.clear()
>>> v.poke_text(0, "HELLO")
>>> v.screen_text().splitlines()[0].rstrip()
'HELLO'
>>> v.render().shape
(192, 384)
"""

from __future__ import annotations

import os

import numpy as np

from z80emu.devices.font import CELL_HEIGHT, CELL_WIDTH, cell_atlas

VIDEO_RAM = 0x3C00
VIDEO_SIZE = 0x400
COLUMNS = 64
ROWS = 16
WIDTH = COLUMNS * CELL_WIDTH  # 384 dots
HEIGHT = ROWS * CELL_HEIGHT  # 192 scan lines

# Unicode for the character codes that are not plain ASCII on the Model I.
_ARROWS = {0x5B: "\u2191", 0x5C: "\u2193", 0x5D: "\u2190", 0x5E: "\u2192"}
_CHECKER = "\u2592"  # 7Fh on the lowercase-mod generator


def stock_gate() -> bytes:
    """What a stock machine (seven video RAM chips) keeps of each byte written.

    >>> g = stock_gate()
    >>> hex(g[0x01]), hex(g[0x61]), hex(g[0xC5]), hex(g[0x41])
    ('0x41', '0x21', '0x85', '0x41')
    """
    return bytes((v & 0xBF) if v & 0xA0 else (v | 0x40) for v in range(256))


def sextant(bits: int) -> str:
    """The Unicode block-sextant character showing the six graphics bits.

    Bit 0 is the top-left block, bit 1 top-right ... bit 5 bottom-right, which is
    also Unicode's sextant numbering (U+1FB00 "BLOCK SEXTANT-1" upwards); the
    empty, full and half cells are older block characters.

    >>> sextant(0), sextant(1), sextant(0b010101), sextant(0b101010), sextant(63)
    (' ', '🬀', '▌', '▐', '█')
    """
    bits &= 0x3F
    if bits == 0:
        return " "
    if bits == 63:
        return "\u2588"
    if bits == 21:
        return "\u258C"
    if bits == 42:
        return "\u2590"
    return chr(0x1FB00 + bits - 1 - (bits > 21) - (bits > 42))


def char_text(code: int) -> str:
    """The text for one video RAM byte (after the bit-6 gate), as a Unicode string.

    >>> char_text(0x41), char_text(0x5B), char_text(0x01), char_text(0xBF)
    ('A', '↑', 'A', '█')
    """
    if code & 0x80:
        return sextant(code)
    if code < 0x20:
        code += 0x40  # lowercase-mod codes 00h-1Fh: z80emu shows the 40h-5Fh glyphs
    if code in _ARROWS:
        return _ARROWS[code]
    if code == 0x7F:
        return _CHECKER
    return chr(code)


class Video:
    """The screen: video RAM in ``memory`` at 3C00h, rendered on demand.

    ``lowercase`` models the lowercase modification (an eighth video RAM chip):
    bytes are stored as written and 60h-7Fh show lowercase letters.
    ``wide`` is the 32-column mode, set through port FFh.
    """

    def __init__(self, memory: bytearray, lowercase: bool = False) -> None:
        self.memory = memory
        self.lowercase = lowercase
        self.gate = bytes(range(256)) if lowercase else stock_gate()
        self.wide = False
        # The dots of the screen, 0 dark and 1 lit, shape (192, 384); frontends
        # scale and colour it. Updated by render().
        self.screen = np.zeros((HEIGHT, WIDTH), dtype=np.uint8)
        self.changed_cells: list[int] = []  # video offsets redrawn by the last render()
        # The picture of each byte as stored: its gated value's cell.
        self._atlas = cell_atlas()[np.frombuffer(self.gate, dtype=np.uint8)]
        self._atlas_wide = np.repeat(self._atlas, 2, axis=2)  # (256, 12, 12)
        # The same dots as one row per (code, scan line), read as uint16 pairs.
        self._lines_narrow = self._atlas.reshape(-1, CELL_WIDTH).view(np.uint16)
        self._lines_wide = self._atlas_wide.reshape(-1, CELL_WIDTH * 2).view(np.uint16)
        self._lines = np.arange(CELL_HEIGHT, dtype=np.intp)[None, :, None]
        self._shown = None  # bytes of video RAM last drawn, and the mode
        self._shown_wide = False

    # -- video RAM -----------------------------------------------------------
    def vram(self) -> bytes:
        """The 1024 bytes of video RAM as the CPU reads them (gated)."""
        return bytes(self.memory[VIDEO_RAM:VIDEO_RAM + VIDEO_SIZE]).translate(self.gate)

    def store(self, offset: int, value: int) -> None:
        """Store a byte as a CPU write does."""
        self.memory[VIDEO_RAM + offset] = value & 0xFF

    def poke_text(self, offset: int, text: str) -> None:
        """Write ASCII text into video RAM at ``offset``."""
        for i, ch in enumerate(text.encode("ascii")):
            self.store(offset + i, ch)

    def clear(self) -> None:
        """Fill video RAM with spaces."""
        self.memory[VIDEO_RAM:VIDEO_RAM + VIDEO_SIZE] = b" " * VIDEO_SIZE

    # -- pictures ------------------------------------------------------------
    def render(self) -> np.ndarray:
        """Bring :attr:`screen` up to date with video RAM and return it.

        Only what changed since the last call is redrawn: a screen that
        scrolled up is moved rather than redrawn, then the rows with changed
        cells are drawn (a few cells one by one). The offsets of the cells
        whose picture changed are left in :attr:`changed_cells`.
        """
        data = bytes(self.memory[VIDEO_RAM:VIDEO_RAM + VIDEO_SIZE])
        wide = self.wide
        old = self._shown
        if data == old and wide == self._shown_wide:
            self.changed_cells = []
            return self.screen
        codes = np.frombuffer(data, dtype=np.uint8)
        if old is None or wide != self._shown_wide:
            self._draw_rows(codes, wide, range(ROWS))
            changed = np.arange(VIDEO_SIZE)
        else:
            shift = 0
            for lines in (1, 2, 3):  # scrolled up by a line or a few?
                cut = COLUMNS * lines
                if data[:VIDEO_SIZE - cut] == old[cut:]:
                    shift = lines
                    break
            before = np.frombuffer(old, dtype=np.uint8)
            changed = np.flatnonzero(codes != before)  # what the picture showed before
            draw = changed
            if shift:
                # Move the picture up; the rows left at the bottom still show the
                # old bottom rows until they are drawn.
                cut = COLUMNS * shift
                self.screen[:-CELL_HEIGHT * shift] = self.screen[CELL_HEIGHT * shift:]
                shown = np.concatenate((before[cut:], before[-cut:]))
                draw = np.flatnonzero(codes != shown)
            if len(draw) <= 16:
                self._draw_cells(codes, wide, draw)
            else:
                self._draw_rows(codes, wide, np.unique(draw >> 6).tolist())
        if wide:
            changed = changed[(changed & 1) == 0]
        self.changed_cells = changed.tolist()
        self._shown = data
        self._shown_wide = wide
        return self.screen

    def _draw_cells(self, codes: np.ndarray, wide: bool, offsets: np.ndarray) -> None:
        screen = self.screen
        atlas = self._atlas_wide if wide else self._atlas
        cw = CELL_WIDTH * 2 if wide else CELL_WIDTH
        for offset in offsets.tolist():
            row, col = divmod(offset, COLUMNS)
            if wide:
                if col & 1:
                    continue  # odd addresses are not shown in 32-column mode
                col >>= 1
            y = row * CELL_HEIGHT
            screen[y:y + CELL_HEIGHT, col * cw:(col + 1) * cw] = atlas[codes[offset]]

    def _draw_rows(self, codes: np.ndarray, wide: bool, rows) -> None:
        # Gather each cell line (6 or 12 dots, seen as uint16 pairs) straight into
        # the screen, in screen order: row, scan line, column.
        lines = self._lines_wide if wide else self._lines_narrow
        grid = codes.reshape(ROWS, COLUMNS)
        if wide:
            grid = grid[:, ::2]
        target = self.screen.reshape(ROWS, -1, lines.shape[1] * 2).view(np.uint16)
        rows = list(rows)
        if len(rows) == ROWS:
            index = grid.astype(np.intp)[:, None, :] * CELL_HEIGHT + self._lines
            np.take(lines, index.ravel(), axis=0, out=target.reshape(-1, lines.shape[1]))
            return
        for row in rows:
            index = grid[row].astype(np.intp)[None, :] * CELL_HEIGHT + self._lines[0]
            np.take(lines, index.ravel(), axis=0, out=target[row])

    def screen_text(self) -> str:
        """The screen as 16 lines of text joined by newlines.

        Each line has 64 characters (32 in 32-column mode); block graphics are
        Unicode sextants and the arrows 5Bh-5Eh are the Unicode arrows.
        """
        data = self.vram()
        step = 2 if self.wide else 1
        lines = []
        for row in range(ROWS):
            line = data[row * COLUMNS:(row + 1) * COLUMNS:step]
            lines.append("".join(char_text(c) for c in line))
        return "\n".join(lines)

    def image(self, scale: int = 1, fg: tuple[int, int, int] = (255, 255, 255),
              bg: tuple[int, int, int] = (0, 0, 0)):
        """The screen as a Pillow RGB image, each dot ``scale`` x ``scale`` pixels."""
        from PIL import Image

        dots = self.render()
        if scale > 1:
            dots = np.repeat(np.repeat(dots, scale, axis=0), scale, axis=1)
        palette = np.array([bg, fg], dtype=np.uint8)
        return Image.fromarray(palette[dots], "RGB")

    def screenshot(self, path: str | os.PathLike, scale: int = 1,
                   fg: tuple[int, int, int] = (255, 255, 255),
                   bg: tuple[int, int, int] = (0, 0, 0)) -> None:
        """Write the screen to a PNG file (384x192 dots times ``scale``)."""
        self.image(scale, fg, bg).save(os.fspath(path), format="PNG")

    # -- save states ---------------------------------------------------------
    def get_state(self) -> dict:
        return {"wide": self.wide}

    def set_state(self, state: dict) -> None:
        self.wide = bool(state["wide"])
        self._shown = None
