"""The pygame window: the Model I screen scaled by a whole number, with phosphor
colours, scan lines, sound, paste and the hotkeys (F1 lists them).

The screen is 384x192 dots (64x16 cells of 6x12, TRS80-REFERENCE.md §3.1);
each dot becomes ``scale`` x ``scale`` pixels. Only the character cells whose
video RAM byte changed since the last frame are drawn again, each from a small
picture kept per character code, built the first time from the dots the
machine renders (so the window shows exactly what ``machine.screen`` holds),
and only their rectangles are sent to the display.

When a printer (the TermiNet on the RS-232-C board, ``machine.terminet``, or
the line printer on the parallel port, ``machine.printer``) has printed
something, a paper strip below the screen shows the last lines of its paper,
the line on the platen growing as the characters arrive. The window grows to
hold it; when the display has no room for at least four lines below the
screen, the strip overlays the top of the screen instead. It is drawn from
the printer's state by :class:`z80emu.printers.render.PaperStrip`, only when
the printer's ``listeners`` said the paper changed, and only the part that
changed. F7 shows and hides it; ``paper=`` (``--paper/--no-paper``) chooses
from the start.

Keyboard: in logical mode (the default) the characters you type are typed on
the Model I through its typing queue, so any host layout works; in physical
mode keys act on the matrix by position, held as long as you hold them, which
is what games that watch held keys need. Window and keys come from pygame-ce;
the machine is used only through its public API.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import click
import numpy as np

from z80emu.frontends.session import HOTKEYS, KEY_NOTES, Session

__all__ = ["BACKGROUND", "PHOSPHOR_RGB", "SCANLINE_LEVEL", "PygameFrontend", "default_scale",
           "main"]

WIDTH, HEIGHT = 384, 192          # dots (§3.1)
CELL_W, CELL_H = 6, 12
COLUMNS = 64

# Phosphor colours: the Model I's white (slightly blue, a P4 TV tube), and the green
# (P1) and amber (P3) of monitors people connected later.
PHOSPHOR_RGB = {"white": (230, 236, 255), "green": (64, 255, 96), "amber": (255, 176, 32)}
BACKGROUND = (0, 0, 0)
SCANLINE_LEVEL = 0.4              # brightness of the last pixel row of each scan line
STRIP_LINES = 12                  # paper lines the strip shows (2 inches)
STRIP_MIN_LINES = 4               # fewer fit below the screen: the strip overlays it
STRIP_DPI_PER_SCALE = 24          # the strip's dots per inch at each screen scale


def strip_dpi(paper_width: float, scale: int, width: int) -> int:
    """Dots per inch for a paper strip ``paper_width`` inches wide under a
    screen scaled ``scale`` times, ``width`` pixels wide: 24 per scale, less if
    the paper would be wider than the screen; a multiple of 6, so that a line
    (1/6 inch) is a whole number of pixels and the strip can scroll.

    >>> strip_dpi(14.875, 3, 1152), strip_dpi(14.875, 2, 768), strip_dpi(9.5, 1, 384)
    (72, 48, 24)
    """
    dpi = min(STRIP_DPI_PER_SCALE * scale, int(width / paper_width))
    return max(6, dpi - dpi % 6)


def default_scale(desktop: tuple[int, int] | None) -> int:
    """The largest whole scale at which the window fits the desktop (leaving room
    for panels and the title bar); 3 when the desktop size is unknown.

    >>> default_scale((1920, 1080)), default_scale((1024, 768)), default_scale(None)
    (4, 2, 3)
    """
    if not desktop or desktop[0] <= 0 or desktop[1] <= 0:
        return 3
    width, height = desktop
    return max(1, min(int(width * 0.9) // WIDTH, int(height * 0.85) // HEIGHT))


def colour_dots(dots: np.ndarray, scale: int, colour: tuple[int, int, int],
                scanlines: bool = False) -> np.ndarray:
    """Dots (0/1, rows x columns) as RGB pixels (rows*scale, columns*scale, 3)."""
    big = np.repeat(np.repeat(dots, scale, axis=0), scale, axis=1)
    palette = np.array([BACKGROUND, colour], dtype=np.uint8)
    rgb = palette[big]
    if scanlines and scale >= 2:
        dim = np.array([BACKGROUND, [round(c * SCANLINE_LEVEL) for c in colour]],
                       dtype=np.uint8)
        rgb[scale - 1::scale] = dim[big[scale - 1::scale]]
    return rgb


class PygameFrontend:
    """The window for a :class:`Session`."""

    def __init__(self, session: Session, *, scale: int | None = None,
                 fullscreen: bool = False, phosphor: str = "white",
                 scanlines: bool = False, keyboard: str = "logical",
                 paper: bool | None = None) -> None:
        if phosphor not in PHOSPHOR_RGB:
            raise ValueError(f"phosphor must be one of {', '.join(PHOSPHOR_RGB)}")
        if keyboard not in ("logical", "physical"):
            raise ValueError("keyboard must be 'logical' or 'physical'")
        self.session = session
        self.machine = session.machine
        self.asked_scale = scale
        self.scale = scale or 3
        self.fullscreen = fullscreen
        self.colour = PHOSPHOR_RGB[phosphor]
        self.scanlines = scanlines
        self.keyboard = keyboard
        self.help_shown = False
        self.display = None
        self.origin = (0, 0)          # where the screen sits in the window
        self.pg = None
        self._glyphs: dict[tuple[int, bool], object] = {}
        self._shown: np.ndarray | None = None   # video RAM as last drawn
        self._shown_wide = False
        self._lowercase = self.machine.lowercase
        self._held: set[str] = set()  # physical mode: host keys held down
        self._notice = ""
        self._notice_until = 0.0
        self._title = ""
        self._title_at = 0.0
        self._window_scale = self.scale
        self.last_rects: list = []    # the rectangles the last draw() updated
        # The paper strip. paper: True shows it from the start, False hides it
        # (F7 still shows it), None shows it once something prints.
        self.paper = paper
        self.paper_shown = paper is True
        self._paper_auto = paper is None   # still waiting for the first print
        self._paper_changed = False        # a printer's listener fired since the last draw
        self._paper_latest = None          # the printer that printed last
        self._watched: list = []           # printers our listener is attached to
        self.strip = None                  # PaperStrip of the printer shown, or None
        self._strip_surface = None
        self.strip_rect = None             # where the strip is in the window
        self.strip_overlay = False         # True: over the screen (no room below)
        self.strip_draws = 0               # times strip pixels were sent to the window

    # -- opening and closing ------------------------------------------------------------
    def open(self) -> None:
        """Open the window (and the sound, through the session)."""
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame

        self.pg = pygame
        pygame.display.init()
        if pygame.display.get_driver() == "x11":
            # Small rectangles of a software surface go to X11 fastest through
            # shared memory; SDL's default of a GL texture uploads the whole
            # window each update, which costs a third of a core where GL is
            # done in software (VMs, remote X, Xvfb). SDL reads this at set_mode.
            os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
        pygame.font.init()
        sizes = pygame.display.get_desktop_sizes() if hasattr(
            pygame.display, "get_desktop_sizes") else []
        self.desktop = sizes[0] if sizes else None
        self._window_scale = self.asked_scale or default_scale(self.desktop)
        self._watch_printers()
        printed = [p for p in self._printers() if p.paper.lines or p.line_has_print]
        if printed:
            self._paper_latest = printed[0]
            if self._paper_auto:
                self.paper_shown, self._paper_auto = True, False
        self._set_mode()
        pygame.key.set_repeat(400, 40)
        pygame.key.start_text_input()
        self.session.notify = self.notify
        self.session.start()
        self._update_title(force=True)

    def _set_mode(self) -> None:
        pg = self.pg
        printer = self._strip_printer()
        if self.fullscreen:
            if self.desktop:
                w, h = self.desktop
            else:
                w, h = WIDTH * self._window_scale, HEIGHT * self._window_scale
            self.scale = max(1, min(w // WIDTH, h // HEIGHT))
            sw, sh = WIDTH * self.scale, HEIGHT * self.scale
            lines, below = self._strip_layout(printer, h - sh)
            strip_h = lines * self._line_h if below else 0
            self.origin = ((w - sw) // 2, (h - sh - strip_h) // 2)
            self.display = pg.display.set_mode((w, h), pg.FULLSCREEN)
        else:
            self.scale = self._window_scale
            sw, sh = WIDTH * self.scale, HEIGHT * self.scale
            room = (int(self.desktop[1] * 0.9) - sh) if self.desktop else 1 << 30
            lines, below = self._strip_layout(printer, room)
            w, h = sw, sh + (lines * self._line_h if below else 0)
            self.origin = (0, 0)
            self.display = pg.display.set_mode((w, h))
        self._make_strip(printer, lines, below)
        self._glyphs.clear()
        self.display.fill(BACKGROUND)
        self._shown = None
        self.draw()

    def close(self) -> None:
        """Close the window and end the session (sound off, files flushed)."""
        self._unwatch_printers()
        self.session.close()
        if self.pg is not None:
            self.pg.display.quit()
            self.pg.quit()

    # -- drawing ------------------------------------------------------------------------
    def draw(self, full: bool = False) -> list:
        """Draw the cells that changed (all with ``full``); returns their rectangles."""
        pg = self.pg
        if self._paper_poll():
            self._set_mode()                    # the strip appears, goes or changes printer
            return self.last_rects
        machine = self.machine
        dots = machine.screen                   # brought up to date by the machine
        video = machine.video
        wide = video.wide
        codes = np.frombuffer(video.vram(), dtype=np.uint8)
        if machine.lowercase != self._lowercase:
            self._lowercase = machine.lowercase
            self._glyphs.clear()
            full = True
        if full or self._shown is None or wide != self._shown_wide:
            full_screen = True
            changed = np.arange(len(codes))
            self.display.fill(BACKGROUND)
        else:
            full_screen = False
            changed = np.flatnonzero(codes != self._shown)
        if wide:
            changed = changed[(changed & 1) == 0]   # 32 columns: even addresses shown
        self._shown = codes.copy()
        self._shown_wide = wide
        s = self.scale
        ox, oy = self.origin
        rects = []
        blit = self.display.blit
        for offset in changed.tolist():
            row, col = divmod(offset, COLUMNS)
            code = int(codes[offset])
            glyph = self._glyphs.get((code, wide))
            x = col * CELL_W                     # 32 columns: col is even, 12 dots wide
            y = row * CELL_H
            if glyph is None:
                width = CELL_W * 2 if wide else CELL_W
                pixels = colour_dots(dots[y:y + CELL_H, x:x + width], s, self.colour,
                                     self.scanlines)
                glyph = pg.surfarray.make_surface(pixels.transpose(1, 0, 2)).convert()
                self._glyphs[(code, wide)] = glyph
            rects.append(blit(glyph, (ox + x * s, oy + y * s)))
        rects += self._draw_strip(full_screen, rects)
        if self.help_shown:
            if rects or full:
                self._draw_help()
                rects = [self.display.get_rect()]
        if full or len(rects) > 256:
            pg.display.flip()
        elif rects:
            pg.display.update(rects)
        self.last_rects = rects
        return rects

    # -- the paper strip ----------------------------------------------------------------
    def _printers(self) -> list:
        """The machine's printers that can be watched: the TermiNet, the line printer."""
        found = []
        for printer in (getattr(self.machine, "terminet", None),
                        getattr(self.machine, "printer", None)):
            if printer is not None and hasattr(printer, "listeners") and hasattr(
                    printer, "paper") and not any(printer is p for p in found):
                found.append(printer)
        return found

    def _watch_printers(self) -> None:
        """Listen to the machine's printers (again, if one was plugged in or out)."""
        printers = self._printers()
        if len(printers) == len(self._watched) and all(
                a is b for a, b in zip(printers, self._watched)):
            return
        self._unwatch_printers()
        for printer in printers:
            printer.listeners.append(self._printed)
        self._watched = printers
        if self._paper_latest is not None and not any(
                self._paper_latest is p for p in printers):
            self._paper_latest = None

    def _unwatch_printers(self) -> None:
        for printer in self._watched:
            if self._printed in printer.listeners:
                printer.listeners.remove(self._printed)
        self._watched = []

    def _printed(self, printer) -> None:
        """A printer's listener (called inside machine.run): only notes the change."""
        self._paper_changed = True
        self._paper_latest = printer

    def _strip_printer(self):
        """The printer whose paper the strip shows, or None (strip hidden)."""
        if not self.paper_shown:
            return None
        printers = self._watched
        if self._paper_latest is not None:
            return self._paper_latest
        return printers[0] if printers else None

    def _paper_poll(self) -> bool:
        """Take note of printing since the last frame; True when the layout must change."""
        self._watch_printers()
        if self._paper_changed and self._paper_auto:
            self.paper_shown, self._paper_auto = True, False
        printer = self._strip_printer()
        shown = self.strip.printer if self.strip is not None else None
        return printer is not shown

    def _strip_layout(self, printer, room: int) -> tuple[int, bool]:
        """(lines, below the screen?) for the strip of ``printer`` given ``room``
        pixels under the screen; sets the strip's dots per inch."""
        if printer is None:
            self._strip_dpi, self._line_h = 0, 0
            return 0, True
        from z80emu.printers.render import Form

        form = Form(columns=printer.width, form_length=printer.form_length)
        self._strip_dpi = strip_dpi(form.paper_width, self.scale, WIDTH * self.scale)
        self._line_h = self._strip_dpi // 6
        lines = min(STRIP_LINES, room // self._line_h)
        if lines >= STRIP_MIN_LINES:
            return lines, True
        return min(STRIP_LINES, HEIGHT * self.scale // 2 // self._line_h), False

    def _make_strip(self, printer, lines: int, below: bool) -> None:
        if printer is None or lines < 1:
            self.strip = self._strip_surface = self.strip_rect = None
            self.strip_overlay = False
            return
        from z80emu.printers.render import PaperStrip

        self.strip = PaperStrip(printer, lines, self._strip_dpi)
        image = self.strip.image
        self._strip_surface = self.pg.image.frombytes(image.tobytes(), image.size, "RGB")
        w, h = image.size
        ox, oy = self.origin
        x = ox + (WIDTH * self.scale - w) // 2
        y = oy + HEIGHT * self.scale if below else oy
        self.strip_rect = self.pg.Rect(x, y, w, h)
        self.strip_overlay = not below

    def _draw_strip(self, full: bool, screen_rects: list) -> list:
        """Bring the strip up to date and put what changed in the window; the
        rectangles updated (none when the paper has not changed)."""
        strip = self.strip
        if strip is None:
            return []
        pg = self.pg
        changed, self._paper_changed = self._paper_changed, False
        box = strip.update() if changed or full else None
        if box is not None:
            left, top, right, bottom = box
            part = strip.image.crop(box)
            self._strip_surface.blit(pg.image.frombytes(part.tobytes(), part.size, "RGB"),
                                     (left, top))
        covered = self.strip_overlay and any(
            self.strip_rect.colliderect(r) for r in screen_rects)
        if full or covered:
            self.strip_draws += 1
            return [self.display.blit(self._strip_surface, self.strip_rect)]
        if box is None:
            return []
        self.strip_draws += 1
        area = pg.Rect(left, top, right - left, bottom - top)
        return [self.display.blit(self._strip_surface,
                                  (self.strip_rect.x + left, self.strip_rect.y + top), area)]

    def toggle_paper(self) -> None:
        """F7: show or hide the paper strip."""
        self._watch_printers()
        if not self._watched:
            self.notify("no printer is attached (--printer, --serial terminet)")
            return
        self.paper_shown = not self.paper_shown
        self._paper_auto = False
        self._set_mode()
        self.notify("paper strip shown" if self.paper_shown else "paper strip hidden")

    def strip_pixels(self) -> np.ndarray | None:
        """The paper strip as shown in the window, RGB (rows, columns, 3); None if hidden."""
        if self.strip_rect is None:
            return None
        return self.pg.surfarray.array3d(
            self.display.subsurface(self.strip_rect)).transpose(1, 0, 2)

    def help_rows(self) -> list[tuple[str, str]]:
        """The help overlay's lines: (key, what it does)."""
        rows = [("Hotkey", "What it does"), ("", "")]
        rows += [(key, what) for what, key, _ in HOTKEYS if key != "-"]
        rows += [("", ""), ("Model I key", "on your keyboard")]
        rows += [(key, host) for key, host in KEY_NOTES]
        rows += [("", ""), ("", "any key closes this help")]
        return rows

    def _draw_help(self) -> None:
        pg = self.pg
        area = self.display.get_rect()
        rows = self.help_rows()
        size = max(12, min(area.height // (len(rows) + 2), area.width // 40))
        font = pg.font.Font(None, size)
        left_width = max(font.size(key)[0] for key, _ in rows) + size
        width = left_width + max(font.size(what)[0] for _, what in rows) + 2 * size
        line = font.get_linesize()
        height = line * len(rows) + 2 * size
        left = max(0, (area.width - width) // 2)
        top = max(0, (area.height - height) // 2)
        box = pg.Surface((width, height))
        box.set_alpha(235)
        box.fill((16, 16, 16))
        self.display.blit(box, (left, top))
        y = top + size
        for key, what in rows:
            if key:
                self.display.blit(font.render(key, True, self.colour), (left + size, y))
            if what:
                self.display.blit(font.render(what, True, self.colour),
                                  (left + size + left_width, y))
            y += line

    def toggle_help(self) -> None:
        self.help_shown = not self.help_shown
        self.draw(full=True)

    def window_pixels(self) -> np.ndarray:
        """The screen area of the window as RGB pixels (rows, columns, 3)."""
        area = self.pg.Rect(self.origin, (WIDTH * self.scale, HEIGHT * self.scale))
        return self.pg.surfarray.array3d(self.display.subsurface(area)).transpose(1, 0, 2)

    def save_picture(self, path: Path) -> None:
        """Write the screen as shown in the window (scale, colour, scan lines) as PNG."""
        area = self.pg.Rect(self.origin, (WIDTH * self.scale, HEIGHT * self.scale))
        self.pg.image.save(self.display.subsurface(area), os.fspath(path))

    # -- the title and notices ----------------------------------------------------------
    def notify(self, message: str) -> None:
        """Show a message in the title for a few seconds (and on stderr)."""
        print(f"z80emu: {message}", file=sys.stderr, flush=True)
        self._notice = message
        self._notice_until = time.monotonic() + 3.0
        if self.pg is not None and self.display is not None and _main_thread():
            self._update_title(force=True)

    def _update_title(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._title_at < 0.5:
            return
        self._title_at = now
        title = f"z80emu \u2014 {self.session.status()}"
        if self._notice and now < self._notice_until:
            title += f" \u2014 {self._notice}"
        elif self.help_shown is False:
            title += " \u2014 F1 help"
        if title != self._title:
            self._title = title
            self.pg.display.set_caption(title)

    # -- events -------------------------------------------------------------------------
    def handle(self, event) -> None:
        """Act on one pygame event."""
        pg = self.pg
        kind = event.type
        if kind == pg.QUIT:
            self.session.quit()
        elif kind == pg.KEYDOWN:
            self._key_down(event)
        elif kind == pg.KEYUP:
            if self.keyboard == "physical":
                self._physical(event.key, False)
        elif kind == pg.TEXTINPUT:
            # SDL sends text only for printable characters (not for Ctrl+V), and
            # AltGr combinations of other layouts ('@' on a German keyboard) count.
            if self.keyboard == "logical" and not self.help_shown:
                self.session.type_keys(event.text)
        elif kind in (pg.WINDOWFOCUSLOST,):
            for name in list(self._held):
                self._physical_name(name, False)
        elif kind in (pg.VIDEOEXPOSE, pg.WINDOWEXPOSED, pg.WINDOWRESTORED):
            self.draw(full=True)

    def _key_down(self, event) -> None:
        pg = self.pg
        key = event.key
        mods = event.mod
        ctrl = bool(mods & pg.KMOD_CTRL)
        shift = bool(mods & pg.KMOD_SHIFT)
        session = self.session
        if self.help_shown:
            self.toggle_help()          # any key closes the help
            return
        if key == pg.K_F1:
            self.toggle_help()
        elif key == pg.K_F2:
            session.save_state()
        elif key == pg.K_F3:
            session.load_state()
            self.draw(full=True)
        elif key == pg.K_F5:
            session.power_cycle() if shift else session.reset()
        elif key == pg.K_F6:
            session.power_cycle()
        elif key == pg.K_F7:
            self.toggle_paper()
        elif key == pg.K_F8:
            self.monitor()
        elif key == pg.K_F9:
            session.toggle_turbo()
        elif key == pg.K_F11:
            self.fullscreen = not self.fullscreen
            self._set_mode()
        elif key == pg.K_F12:
            session.screenshot(self.save_picture)
        elif ctrl and key == pg.K_v:
            self.paste()
        elif ctrl and key == pg.K_c:
            self.copy()
        elif ctrl and key == pg.K_q:
            session.quit()
        elif self.keyboard == "physical":
            self._physical(key, True)
        else:
            text = self._special_keys().get(key)
            if text is not None:
                self.machine.type(text)
        self._update_title(force=True)

    def _special_keys(self) -> dict[int, str]:
        """Logical mode: host keys that produce no text -> Model I key characters."""
        pg = self.pg
        return {
            pg.K_RETURN: "\r", pg.K_KP_ENTER: "\r",
            pg.K_BACKSPACE: "\u2190", pg.K_LEFT: "\u2190", pg.K_RIGHT: "\u2192",
            pg.K_UP: "\u2191", pg.K_DOWN: "\u2193",
            pg.K_ESCAPE: "\x01", pg.K_PAUSE: "\x01",       # BREAK
            pg.K_HOME: "\x1f", pg.K_DELETE: "\x1f",        # CLEAR
        }

    def _physical(self, key: int, down: bool) -> None:
        self._physical_name(self.pg.key.name(key), down)

    def _physical_name(self, name: str, down: bool) -> None:
        if self.machine.keyboard.host_key(name, down):
            if down:
                self._held.add(name)
            else:
                self._held.discard(name)

    # -- clipboard ----------------------------------------------------------------------
    def paste(self) -> None:
        try:
            text = self.pg.scrap.get_text()
        except Exception as exc:  # no clipboard on this system
            self.notify(f"cannot read the clipboard ({exc})")
            return
        if not text:
            self.notify("the clipboard holds no text")
            return
        self.session.paste(text)

    def copy(self) -> None:
        text = self.session.copy_text()
        try:
            self.pg.scrap.put_text(text)
        except Exception as exc:
            self.notify(f"cannot write the clipboard ({exc})")
            return
        self.notify("screen text copied")

    # -- the monitor --------------------------------------------------------------------
    def monitor(self) -> None:
        """Pause and run the monitor in the terminal z80emu was started from; the
        window keeps showing the screen until the monitor's ``go``."""
        session = self.session
        if session.open_monitor() is None:
            session.monitor_stop = None
            return
        if session.monitor_io is None and not (sys.stdin.isatty() and sys.stdout.isatty()):
            self.notify("the monitor needs the terminal z80emu was started from")
            session.monitor_stop = None
            return
        self.notify("the monitor runs in the terminal; its 'go' resumes")
        done = threading.Event()

        def work() -> None:
            try:
                session.run_monitor()
            finally:
                done.set()

        # The monitor reads the terminal from its own thread while this one keeps
        # the window alive; Ctrl-C there must not end the window meanwhile.
        old = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
        thread = threading.Thread(target=work, name="z80emu-monitor", daemon=True)
        thread.start()
        try:
            while not done.is_set():
                for event in self.pg.event.get():
                    if event.type == self.pg.QUIT:
                        self.notify("leave the monitor first (go or quit there)")
                    elif event.type in (self.pg.VIDEOEXPOSE, self.pg.WINDOWEXPOSED):
                        self.draw(full=True)
                self.draw()
                self._update_title()
                done.wait(0.05)
            thread.join()
        finally:
            if old is not None:
                signal.signal(signal.SIGINT, old)
        self.draw()
        self._update_title(force=True)

    # -- the loop -----------------------------------------------------------------------
    def run(self) -> None:
        """Open the window and run until the user quits or closes it."""
        self.open()
        pg = self.pg
        session = self.session
        try:
            while session.running:
                for event in pg.event.get():
                    self.handle(event)
                if not session.running:
                    break
                if session.step():
                    self.draw()
                if session.monitor_stop is not None:
                    self.monitor()          # a breakpoint or watchpoint stopped it
                self._update_title()
                session.wait()
        except KeyboardInterrupt:           # Ctrl-C in the terminal: quit cleanly
            pass
        finally:
            self.close()


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def main(machine, speed: float | None = 1.0, *, scale: int | None = None,
         fullscreen: bool = False, phosphor: str = "white", scanlines: bool = False,
         keyboard: str = "logical", sound: bool | None = None,
         state_file: str = "z80emu.state", paper: bool | None = None, **_other) -> None:
    """Run ``machine`` in a pygame window at ``speed`` (1 = a real Model I, None = max)."""
    session = Session(machine, speed, sound=True if sound is None else sound,
                      state_file=state_file)
    frontend = PygameFrontend(session, scale=scale, fullscreen=fullscreen,
                              phosphor=phosphor, scanlines=scanlines, keyboard=keyboard,
                              paper=paper)
    try:
        frontend.run()
    except ImportError as exc:
        raise click.ClickException(
            f"the pygame frontend needs pygame-ce ({exc}); try --frontend terminal") from None
    except Exception as exc:
        if type(exc).__name__ == "error" and type(exc).__module__.startswith("pygame"):
            raise click.ClickException(
                f"cannot open a window ({exc}); try --frontend terminal") from None
        raise
