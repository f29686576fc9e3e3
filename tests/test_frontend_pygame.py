"""The pygame window, headless (SDL's dummy video and audio drivers): the window's
pixels against the project's font, scale, colours, scan lines, redrawing only
changed cells, screenshots, keys and hotkeys, and a clean end."""

from __future__ import annotations

import numpy as np
import pytest

pygame = pytest.importorskip("pygame", reason="pygame-ce is not installed")

from z80emu.devices.font import cell_atlas  # noqa: E402
from z80emu.frontends.pygame_ui import (  # noqa: E402
    BACKGROUND,
    PHOSPHOR_RGB,
    SCANLINE_LEVEL,
    PygameFrontend,
    default_scale,
)
from z80emu.machines.trs80 import TRS80  # noqa: E402


def expected_pixels(machine: TRS80, scale: int, colour, scanlines: bool = False) -> np.ndarray:
    """What the window must show, computed from the font and video RAM alone."""
    atlas = cell_atlas()
    codes = np.frombuffer(machine.video.vram(), dtype=np.uint8).reshape(16, 64)
    if machine.video.wide:
        cells = np.repeat(atlas[codes[:, ::2]], 2, axis=3)        # (16, 32, 12, 12)
    else:
        cells = atlas[codes]                                      # (16, 64, 12, 6)
    dots = cells.transpose(0, 2, 1, 3).reshape(192, 384)
    pixels = np.zeros((192 * scale, 384 * scale, 3), dtype=np.uint8)
    pixels[:] = BACKGROUND
    lit = np.repeat(np.repeat(dots, scale, axis=0), scale, axis=1).astype(bool)
    pixels[lit] = colour
    if scanlines:
        dim = [round(c * SCANLINE_LEVEL) for c in colour]
        rows = np.zeros(192 * scale, dtype=bool)
        rows[scale - 1::scale] = True
        pixels[rows[:, None] & lit] = dim
    return pixels


def known_screen(machine: TRS80) -> None:
    machine.poke(0x3C00, b"HELLO, WORLD 0123456789 @[\\]^_ !\"#$%&'()*+,-./:;<=>?")
    machine.poke(0x3C00 + 128, bytes(range(0x80, 0xC0)))        # every block graphic
    machine.poke(0x3C00 + 15 * 64 + 60, b"\xbfEND")


@pytest.mark.parametrize("scale, phosphor, scanlines", [
    (2, "green", False), (3, "white", True), (1, "amber", False), (4, "amber", True)])
def test_window_shows_the_screen_dot_for_dot(pygame_window, scale, phosphor, scanlines) -> None:
    f = pygame_window(scale=scale, phosphor=phosphor, scanlines=scanlines)
    known_screen(f.machine)
    f.draw()
    assert f.display.get_size() == (384 * scale, 192 * scale)
    want = expected_pixels(f.machine, scale, PHOSPHOR_RGB[phosphor], scanlines)
    assert np.array_equal(f.window_pixels(), want)


def test_screenshot_hotkey_saves_what_the_window_shows(pygame_window, tmp_path) -> None:
    from PIL import Image

    f = pygame_window(scale=2, phosphor="green")
    known_screen(f.machine)
    f.draw()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F12, mod=0))
    for event in pygame.event.get():
        f.handle(event)
    path = tmp_path / "z80emu-001.png"
    assert path.exists()
    picture = np.asarray(Image.open(path).convert("RGB"))
    assert np.array_equal(picture, expected_pixels(f.machine, 2, PHOSPHOR_RGB["green"]))


def test_only_changed_cells_are_redrawn(pygame_window) -> None:
    f = pygame_window(scale=2)
    f.draw()
    assert f.draw() == []                       # nothing changed
    f.machine.poke(0x3C00 + 3 * 64 + 10, ord("Q"))
    rects = f.draw()
    assert [tuple(r) for r in rects] == [(10 * 6 * 2, 3 * 12 * 2, 12, 24)]
    assert np.array_equal(f.window_pixels(),
                          expected_pixels(f.machine, 2, PHOSPHOR_RGB["white"]))


def test_32_column_mode(pygame_window) -> None:
    f = pygame_window(scale=2)
    known_screen(f.machine)
    f.draw()
    f.machine.port_ff.write(0x08)
    rects = f.draw()
    assert len(rects) == 32 * 16
    assert np.array_equal(f.window_pixels(),
                          expected_pixels(f.machine, 2, PHOSPHOR_RGB["white"]))
    f.machine.port_ff.write(0x00)
    f.draw()
    assert np.array_equal(f.window_pixels(),
                          expected_pixels(f.machine, 2, PHOSPHOR_RGB["white"]))


def test_default_scale_fits_the_display(pygame_window) -> None:
    f = pygame_window()                                  # the dummy display is 1024x768
    assert f.scale == default_scale(f.desktop) == 2
    assert default_scale(None) == 3 and default_scale((3840, 2160)) == 9


def test_fullscreen_centres_the_screen(pygame_window) -> None:
    f = pygame_window(fullscreen=True)
    assert f.display.get_size() == (1024, 768)
    assert f.scale == 2 and f.origin == ((1024 - 768) // 2, (768 - 384) // 2)
    known_screen(f.machine)
    f.draw()
    assert np.array_equal(f.window_pixels(),
                          expected_pixels(f.machine, 2, PHOSPHOR_RGB["white"]))


def post_key(key: int, mod: int = 0, up: bool = False) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYUP if up else pygame.KEYDOWN,
                                         key=key, mod=mod))


def pump(f: PygameFrontend) -> None:
    for event in pygame.event.get():
        f.handle(event)


def test_logical_keys_go_through_the_typing_queue(pygame_window) -> None:
    f = pygame_window()
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="print 1;"))
    post_key(pygame.K_BACKSPACE)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="2"))
    post_key(pygame.K_RETURN)
    pump(f)
    assert f.machine.typing
    f.machine.run(seconds=1.0)
    assert "PRINT 12" in f.machine.screen_text()


def test_physical_keys_hold_the_matrix(pygame_window) -> None:
    f = pygame_window(keyboard="physical")
    post_key(pygame.K_a)
    post_key(pygame.K_LSHIFT)
    pump(f)
    assert f.machine.keyboard.row(0) == 0x02 and f.machine.keyboard.row(7) == 0x01
    post_key(pygame.K_a, up=True)
    post_key(pygame.K_LSHIFT, up=True)
    pump(f)
    assert f.machine.keyboard.row(0) == 0 and f.machine.keyboard.row(7) == 0


def test_hotkeys(pygame_window, tmp_path) -> None:
    f = pygame_window()
    s = f.session
    ctrl = pygame.KMOD_LCTRL
    post_key(pygame.K_F9)
    pump(f)
    assert s.pacer.turbo
    post_key(pygame.K_F9)
    pump(f)
    assert not s.pacer.turbo
    # Copy the screen; paste text back through the typing queue at full speed.
    post_key(pygame.K_c, ctrl)
    pump(f)
    assert pygame.scrap.get_text() == s.copy_text()
    assert "READY" in pygame.scrap.get_text()
    pygame.scrap.put_text("10 rem pasted\n")
    post_key(pygame.K_v, ctrl)
    pump(f)
    assert s.pacer.fast_typing and f.machine.typing
    f.machine.run(seconds=1.0)
    assert "10 REM PASTED" in f.machine.screen_text()
    # Help overlay: F1 shows it, any key closes it.
    f.draw()
    before = f.window_pixels()
    post_key(pygame.K_F1)
    pump(f)
    assert f.help_shown and not np.array_equal(f.window_pixels(), before)
    post_key(pygame.K_x)
    pump(f)
    assert not f.help_shown and not f.machine.typing
    assert np.array_equal(f.window_pixels(), before)
    # Save and load state.
    post_key(pygame.K_F2)
    pump(f)
    assert (tmp_path / "m.state").exists()
    f.machine.poke(0x3C00, b"CHANGED")
    post_key(pygame.K_F3)
    pump(f)
    assert not f.machine.screen_text().startswith("CHANGED")
    # Reset, then quit.
    post_key(pygame.K_F5)
    pump(f)
    f.machine.run(seconds=1.0)
    assert "READY" in f.machine.screen_text()
    post_key(pygame.K_q, ctrl)
    pump(f)
    assert not s.running


def test_monitor_hotkey_without_a_monitor_says_so(pygame_window, monkeypatch) -> None:
    import sys
    import types

    monkeypatch.setitem(sys.modules, "z80emu.monitor", types.ModuleType("z80emu.monitor"))
    f = pygame_window()
    notes = []
    f.session.notify = notes.append
    post_key(pygame.K_F8)
    pump(f)
    assert notes and "not available" in notes[-1]
    assert not f.session.pacer.paused


def test_monitor_hotkey_pauses_until_go(pygame_window) -> None:
    import io

    pytest.importorskip("z80emu.monitor")
    f = pygame_window()
    out = io.StringIO()
    f.session.monitor_io = (io.StringIO("poke 3C00 4D 4F 4E\ngo\n"), out)
    post_key(pygame.K_F8)
    pump(f)                                     # returns when the monitor's go does
    assert f.machine.screen_text().startswith("MON")
    assert np.array_equal(f.window_pixels(),  # the window was kept up to date meanwhile
                          expected_pixels(f.machine, f.scale, PHOSPHOR_RGB["white"]))
    assert not f.session.pacer.paused


def test_closing_the_window_ends_cleanly(pygame_window) -> None:
    machine = TRS80()
    closed = []
    machine.close = lambda: closed.append(True)
    f = pygame_window(machine=machine, sound=True)
    frames = []
    real_step = f.session.step

    def step() -> bool:
        frames.append(1)
        if len(frames) == 20:
            pygame.event.post(pygame.event.Event(pygame.QUIT))
        return real_step()

    f.session.step = step
    f.session.pacer.turbo = True                # no waiting in tests
    f.run()                                     # returns when the window closes
    assert len(frames) == 20
    assert closed == [True]
    assert not pygame.display.get_init()
