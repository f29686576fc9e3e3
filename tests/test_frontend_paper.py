"""The paper strip in the pygame window (SDL's dummy drivers, whose desktop is
1024x768): it appears once a printer prints, grows character by character,
is redrawn only when the paper changed, F7 and --paper/--no-paper, the overlay
when the display has no room; and PaperStrip's incremental drawing against
paper_strip's whole drawing."""

from __future__ import annotations

import numpy as np
import pytest

pygame = pytest.importorskip("pygame", reason="pygame-ce is not installed")

from tests.printhelp import load, table_program  # noqa: E402
from z80emu.frontends.pygame_ui import PygameFrontend  # noqa: E402
from z80emu.machines.trs80 import TRS80  # noqa: E402
from z80emu.printers import LinePrinter, TermiNet300  # noqa: E402
from z80emu.printers.render import INK, PaperStrip, paper_strip  # noqa: E402


def inked(pixels: np.ndarray) -> int:
    """Pixels dark enough to be ink."""
    return int((pixels.astype(int).sum(axis=2) < 3 * 120).sum())


def key(f: PygameFrontend, k: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0))
    for event in pygame.event.get():
        f.handle(event)


def test_strip_appears_when_the_line_printer_prints_and_grows_by_characters(pygame_window) -> None:
    f = pygame_window(scale=2)
    lp = f.machine.printer
    f.draw()
    assert f.strip is None and f.display.get_size() == (768, 384)   # nothing printed yet
    for b in b"10 PRINT\r":
        lp.receive(b)
    lp.receive(ord("H"))
    f.draw()
    # 12 lines of 8 pixels (48 dpi at scale 2) below the screen; 9.5-inch paper centred
    assert f.display.get_size() == (768, 384 + 96)
    assert f.strip_rect == pygame.Rect((768 - 456) // 2, 384, 456, 96)
    assert not f.strip_overlay
    before = f.strip_pixels().copy()
    assert inked(before) > 0
    assert np.array_equal(before, np.asarray(paper_strip(lp, 12, 48)))
    lp.receive(ord("I"))                             # one more character on the platen
    rects = f.draw()
    after = f.strip_pixels()
    changed = np.flatnonzero(np.abs(after.astype(int) - before).sum(axis=2).any(axis=1))
    assert len(changed) and changed.min() >= 11 * 8 - 1   # only the platen line changed
    assert inked(after) > inked(before)
    assert rects and all(f.strip_rect.contains(r) for r in rects)
    # an unchanged paper: nothing drawn, the strip not touched
    draws = f.strip_draws
    assert f.draw() == []
    assert f.strip_draws == draws
    # and the screen still shows the Model I as before
    assert f.window_pixels().shape == (384, 768, 3)


def test_terminet_types_into_the_strip_at_30_cps(pygame_window) -> None:
    m = TRS80(serial="terminet")
    m.wait_for("READY", timeout=2.0)
    f = pygame_window(m, scale=2)
    load(m, table_program(b"HELLO, TERMINET 300 AT 30 CPS\r\n"))
    m.run(seconds=0.02)
    f.draw()
    assert f.strip is None                        # the first character is still on the line
    counts = []
    for _ in range(6):
        m.run(seconds=0.1)                        # three characters at 30 a second
        f.draw()
        assert f.strip is not None and f.strip.printer is m.terminet
        counts.append(f.strip_pixels().copy())
    for before, after in zip(counts, counts[1:]):
        assert not np.array_equal(before, after)          # the line grew every time
    assert inked(counts[-1]) > inked(counts[0]) > 0
    assert m.terminet.current_line().startswith("HELLO, TERMINET 30")
    # 14 7/8-inch paper at 48 dpi, centred below the 768-pixel screen
    assert f.strip_rect.size == (714, 96) and f.display.get_size() == (768, 480)


def test_no_paper_and_the_f7_toggle(pygame_window) -> None:
    f = pygame_window(scale=2, paper=False)
    f.machine.printer.receive(ord("X"))
    f.draw()
    assert f.strip is None and f.display.get_size() == (768, 384)
    key(f, pygame.K_F7)
    assert f.strip is not None and f.display.get_size() == (768, 480)
    assert inked(f.strip_pixels()) > 0
    key(f, pygame.K_F7)
    assert f.strip is None and f.display.get_size() == (768, 384)
    assert ("F7", "paper strip on/off (the printer's last lines)") in f.help_rows()


def test_paper_shown_from_the_start_and_hidden_in_auto_stays_hidden(pygame_window) -> None:
    f = pygame_window(scale=2, paper=True)
    assert f.strip is not None and inked(f.strip_pixels()) == 0   # blank paper
    g = pygame_window(scale=2)
    g.machine.printer.receive(ord("X"))
    g.draw()
    key(g, pygame.K_F7)                              # hidden by the user...
    g.machine.printer.receive(ord("Y"))
    g.draw()
    assert g.strip is None                           # ...stays hidden


def test_fewer_lines_below_or_an_overlay_when_the_display_is_small(pygame_window) -> None:
    f = pygame_window(scale=3)               # 576 + 12 lines of 12 does not fit 90% of 768: 9 lines
    f.machine.printer.receive(ord("X"))
    f.draw()
    assert f.display.get_size() == (1152, 576 + 9 * 12) and not f.strip_overlay
    g = pygame_window(scale=4)       # 768 high: no room, the strip overlays the screen's top
    g.machine.printer.receive(ord("X"))
    g.draw()
    assert g.display.get_size() == (384 * 4, 192 * 4) and g.strip_overlay
    assert g.strip_rect.top == 0
    strip = g.strip_pixels().copy()
    g.machine.poke(0x3C00 + 3, ord("Q"))             # a cell under the strip changes
    g.draw()
    assert np.array_equal(g.strip_pixels(), strip)   # the strip stays on top


def test_machine_listeners_are_removed_when_the_window_closes(pygame_window) -> None:
    f = pygame_window(scale=2)
    lp = f.machine.printer
    assert len(lp.listeners) == 1
    f.close()
    assert lp.listeners == []


@pytest.mark.parametrize("printer, dpi", [(LinePrinter, 72), (TermiNet300, 60)])
def test_incremental_strip_matches_the_whole_drawing(printer, dpi) -> None:
    p = printer(cr_feeds=True) if printer is TermiNet300 else printer()
    strip = PaperStrip(p, 12, dpi)
    text = ('10 PRINT "HELLO, WORLD"; TAB(30); X_Y\r\n' * 3 + "LONG " * 30 + "\r\n\n"
            + "A\x08_\r\n" + "\x0cTOP OF FORM\r\n") * 5
    worst = 0.0
    for i, b in enumerate(text.encode()):
        p.receive(b)
        strip.update()
        if i % 9 == 0:
            whole = np.asarray(paper_strip(p, 12, dpi)).astype(int)
            diff = np.abs(whole - np.asarray(strip.image).astype(int)).max(axis=2)
            worst = max(worst, float((diff > 40).mean()))
    assert worst < 0.001
    assert strip.update() is None                   # nothing new
    assert strip.redraws < 12                       # form feeds and tops of form only
    assert INK


def test_frontend_options_have_paper() -> None:
    import click

    from z80emu.frontends import frontend_options

    @click.command()
    @frontend_options
    def cmd(**options):
        click.echo(repr(options["paper"]))

    from click.testing import CliRunner

    runner = CliRunner()
    assert runner.invoke(cmd, []).output.strip() == "None"
    assert runner.invoke(cmd, ["--paper"]).output.strip() == "True"
    assert runner.invoke(cmd, ["--no-paper"]).output.strip() == "False"
