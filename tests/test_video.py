"""The video device on its own: the bit-6 gate, rendering, text, pictures."""

from __future__ import annotations

import numpy as np
import pytest

from z80emu.devices.font import cell_atlas, glyph_rows
from z80emu.devices.video import HEIGHT, WIDTH, Video, char_text, sextant, stock_gate


def video(lowercase: bool = False) -> Video:
    v = Video(bytearray(65536), lowercase)
    v.clear()
    return v


def test_stock_gate_follows_reference() -> None:
    gate = stock_gate()
    for value in range(256):
        expected = value & 0xBF if value & 0xA0 else value | 0x40
        assert gate[value] == expected
    assert gate[0x00] == 0x40 and gate[0x1F] == 0x5F  # 00h-1Fh show as @..._
    assert gate[0x20] == 0x20 and gate[0x3F] == 0x3F  # punctuation unchanged
    assert gate[0x7A] == 0x3A  # lowercase z shows as ':'
    assert gate[0xFF] == 0xBF  # C0h-FFh behave like 80h-BFh


def test_lowercase_mod_keeps_every_bit() -> None:
    v = video(lowercase=True)
    v.store(0, 0x61)
    assert v.memory[0x3C00] == 0x61
    assert v.screen_text()[0] == "a"


def test_sextants_cover_all_64_patterns() -> None:
    chars = {sextant(bits) for bits in range(64)}
    assert len(chars) == 64
    assert sextant(0b000001) == "\U0001FB00"  # top left
    assert sextant(0b111110) == "\U0001FB3B"
    assert sextant(0x3F) == "\u2588"
    assert char_text(0x80) == " " and char_text(0xC0 | 0x15) == "\u258C"


def test_font_has_all_glyphs_in_cells() -> None:
    atlas = cell_atlas()
    assert atlas.shape == (256, 12, 6)
    for code in range(0x21, 0x80):
        cell = atlas[code]
        assert cell.any(), hex(code)
        assert not cell[0].any() and not cell[:, 5].any()  # blank top line, 6th column
        if chr(code) not in "gjpqy":
            assert not cell[8:].any()  # glyph on lines 1-7
    assert not atlas[0x20].any()
    assert atlas[0xBF].all() and not atlas[0x80].any()
    assert glyph_rows("_")[-1] == "#####"


def test_block_graphics_layout() -> None:
    atlas = cell_atlas()
    cell = atlas[0x80 | 0b000110]  # top right and middle left
    assert cell[0:4, 3:6].all() and not cell[0:4, 0:3].any()
    assert cell[4:8, 0:3].all() and not cell[4:8, 3:6].any()
    assert not cell[8:12].any()


def test_render_draws_cells_and_tracks_changes() -> None:
    v = video()
    screen = v.render()
    assert screen.shape == (HEIGHT, WIDTH) == (192, 384)
    assert not screen.any()
    v.poke_text(64 * 2 + 3, "A")
    v.render()
    assert v.changed_cells == [131]
    assert np.array_equal(screen[24:36, 18:24], cell_atlas()[0x41])
    v.render()
    assert v.changed_cells == []


def test_full_redraw_matches_cell_by_cell() -> None:
    v = video()
    v.render()
    for i in range(1024):
        v.store(i, (i * 7) & 0xFF)
    full = v.render().copy()
    other = video()
    other.render()
    for i in range(1024):
        other.store(i, (i * 7) & 0xFF)
        if i % 40 == 0:
            other.render()
    assert np.array_equal(other.render(), full)


def test_32_column_mode_shows_even_addresses_twice_as_wide() -> None:
    v = video()
    v.poke_text(0, "ABCD")
    v.wide = True
    screen = v.render()
    assert v.screen_text().splitlines()[0].startswith("AC ")
    assert len(v.screen_text().splitlines()[0]) == 32
    wide_a = np.repeat(cell_atlas()[0x41], 2, axis=1)
    assert np.array_equal(screen[0:12, 0:12], wide_a)
    assert np.array_equal(screen[0:12, 12:24], np.repeat(cell_atlas()[0x43], 2, axis=1))


def test_screen_text_shape_and_arrows() -> None:
    v = video()
    v.poke_text(0, "[\\]^_")
    lines = v.screen_text().split("\n")
    assert len(lines) == 16 and all(len(line) == 64 for line in lines)
    assert lines[0][:5] == "\u2191\u2193\u2190\u2192_"


def test_screenshot_png(tmp_path) -> None:
    from PIL import Image

    v = video()
    v.poke_text(0, "HI")
    path = tmp_path / "screen.png"
    v.screenshot(path, scale=2)
    image = Image.open(path)
    assert image.size == (768, 384)
    pixels = np.asarray(image.convert("L"))
    assert pixels[2:16, 0:12].max() == 255  # the H is lit
    assert pixels[100:, :].max() == 0


@pytest.mark.parametrize("wide", [False, True])
def test_state_round_trip(wide: bool) -> None:
    v = video()
    v.wide = wide
    other = video()
    other.set_state(v.get_state())
    assert other.wide == wide


@pytest.mark.parametrize("wide", [False, True])
def test_incremental_render_matches_a_fresh_one(wide: bool) -> None:
    import random

    rng = random.Random(7)
    v = video()
    v.wide = wide
    mem = v.memory
    for step in range(200):
        kind = rng.randrange(4)
        if kind == 0:  # scroll up 1-3 lines, new text at the bottom
            lines = rng.randrange(1, 4)
            cut = 64 * lines
            mem[0x3C00:0x4000 - cut] = mem[0x3C00 + cut:0x4000]
            mem[0x4000 - cut:0x4000] = bytes(rng.randrange(256) for _ in range(cut))
        elif kind == 1:  # a few cells
            for _ in range(rng.randrange(1, 10)):
                v.store(rng.randrange(1024), rng.randrange(256))
        elif kind == 2:  # a row or two
            for _ in range(rng.randrange(1, 3)):
                row = rng.randrange(16) * 64
                mem[0x3C00 + row:0x3C40 + row] = bytes(rng.randrange(256) for _ in range(64))
        else:  # the whole screen
            mem[0x3C00:0x4000] = bytes(rng.randrange(256) for _ in range(1024))
        before = v.render().copy()
        fresh = Video(mem)
        fresh.wide = wide
        assert np.array_equal(before, fresh.render()), step


def test_scroll_reports_the_moved_cells() -> None:
    v = video()
    v.poke_text(0, "TOP")
    v.poke_text(64 * 15, "BOTTOM")
    v.render()
    mem = v.memory
    mem[0x3C00:0x3FC0] = mem[0x3C40:0x4000]
    mem[0x3FC0:0x4000] = b" " * 64
    v.render()
    assert set(v.changed_cells) == {0, 1, 2} | set(range(64 * 14, 64 * 14 + 6)) | set(
        range(64 * 15, 64 * 15 + 6))
