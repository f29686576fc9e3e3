"""The terminal frontend: the 64x16 Model I screen in a terminal, with curses.

It needs nothing but a terminal, so it works on a console, over SSH and inside
tmux or screen. Block graphics (80h-BFh, 2x3 blocks, TRS80-REFERENCE.md §3.5)
are shown as the Unicode block sextants (U+1FB00 onwards) the machine's
``screen_text`` uses; with ``--ascii``, or when the locale is not UTF-8, they
become plain characters chosen by shape (:func:`plain_char`). The 32-column
mode shows each character followed by a space, so the screen keeps its width.

Keys you type go through the machine's typing queue (nothing is lost, and any
keyboard layout works); text arriving faster than anyone types, or between a
terminal's bracketed-paste marks, is a paste and runs the machine at full speed
until it is typed. The bottom line is a status line: ROM, speed, emulated MHz,
and messages. curses repaints only what changed on the terminal.
"""

from __future__ import annotations

import curses
import locale
import logging
import os
import sys
import time

import click

from z80emu.frontends.session import HOTKEYS, KEY_NOTES, Session

__all__ = ["TerminalFrontend", "main", "plain_char", "plain_text"]

COLUMNS, ROWS = 64, 16
FPS = 30                  # frames a second: the terminal need not be redrawn at 60
PASTE_BURST = 4           # printable characters in one poll that make a paste
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"   # bracketed paste marks


def _sextant_bits(ch: str) -> int | None:
    """The six graphics bits of a block character from ``screen_text``, or None."""
    code = ord(ch)
    if ch == " ":
        return 0
    if ch == "\u2588":
        return 63
    if ch == "\u258C":
        return 21
    if ch == "\u2590":
        return 42
    if 0x1FB00 <= code <= 0x1FB3B:
        bits = code - 0x1FB00 + 1
        bits += bits >= 21        # Unicode leaves out the two half blocks
        bits += bits >= 42
        return bits
    return None


# Shapes with an obvious plain character; other patterns go by how many blocks are lit.
_PLAIN_SHAPES = {0: " ", 63: "#", 3: '"', 12: "-", 48: "_", 21: "[", 42: "]",
                 15: "=", 60: "="}
_PLAIN_COUNT = {1: ".", 2: ":", 3: "+", 4: "*", 5: "%"}
_PLAIN_OTHER = {"\u2191": "^", "\u2193": "v", "\u2190": "<", "\u2192": ">", "\u2592": "#"}


def plain_char(ch: str) -> str:
    """A plain ASCII stand-in for one character of ``screen_text``.

    >>> [plain_char(c) for c in ("A", " ", "\\u2588", "\\U0001FB00", "\\u2191")]
    ['A', ' ', '#', '.', '^']
    """
    if ch.isascii():
        return ch
    bits = _sextant_bits(ch)
    if bits is not None:
        return _PLAIN_SHAPES.get(bits) or _PLAIN_COUNT[bin(bits).count("1")]
    return _PLAIN_OTHER.get(ch, "?")


def plain_text(text: str) -> str:
    """``plain_char`` over a whole text."""
    return text if text.isascii() else "".join(plain_char(c) for c in text)


def utf8_locale() -> bool:
    """True when the terminal's locale encodes UTF-8 (sextants can be shown)."""
    try:
        codeset = locale.nl_langinfo(locale.CODESET)
    except (AttributeError, ValueError):
        codeset = locale.getpreferredencoding(False)
    return codeset.replace("-", "").upper() == "UTF8"


class _Notices(logging.Handler):
    """Log records (a key no Model I key types...) shown on the status line."""

    def __init__(self, notify) -> None:
        super().__init__(logging.INFO)
        self.notify = notify

    def emit(self, record: logging.LogRecord) -> None:
        self.notify(record.getMessage())


class TerminalFrontend:
    """The Model I screen in a curses window ``stdscr`` for a :class:`Session`."""

    def __init__(self, session: Session, stdscr, *, ascii_only: bool = False) -> None:
        self.session = session
        self.machine = session.machine
        self.scr = stdscr
        self.ascii_only = ascii_only
        self.help_shown = False
        self._lines: list[str | None] = [None] * ROWS   # screen lines as last drawn
        self._vram: bytes | None = None
        self._wide = False
        self._notice = ""
        self._notice_until = 0.0
        self._status = ""
        self._status_at = 0.0
        self._in_paste = False
        self._paste: list[str] = []
        self.top = 0
        self.left = 0
        self.framed = False

    # -- setting up ---------------------------------------------------------------------
    def setup(self) -> None:
        scr = self.scr
        curses.raw()                 # Ctrl+S, Ctrl+Q, Ctrl+C... come to us as keys
        curses.noecho()
        scr.keypad(True)
        scr.nodelay(True)
        try:
            curses.curs_set(0)
        except curses.error:
            pass
        if curses.has_colors():
            curses.start_color()
            try:
                curses.use_default_colors()
            except curses.error:
                pass
        sys.stdout.write("\x1b[?2004h")   # ask for bracketed paste
        sys.stdout.flush()
        self.session.notify = self.notify
        self.layout()

    def teardown(self) -> None:
        sys.stdout.write("\x1b[?2004l")
        sys.stdout.flush()

    def layout(self) -> None:
        """Place the screen in the terminal (framed when there is room)."""
        lines, cols = self.scr.getmaxyx()
        self.framed = lines >= ROWS + 3 and cols >= COLUMNS + 2
        width = COLUMNS + (2 if self.framed else 0)
        height = ROWS + (2 if self.framed else 0)
        self.left = max(0, (cols - width) // 2) + (1 if self.framed else 0)
        self.top = max(0, (lines - 1 - height) // 2) + (1 if self.framed else 0)
        self.scr.erase()
        if self.framed:
            self._frame()
        self._lines = [None] * ROWS
        self._vram = None
        self._status = ""

    def _frame(self) -> None:
        top, left = self.top - 1, self.left - 1
        try:
            if self.ascii_only:
                edge = "+" + "-" * COLUMNS + "+"
                self.scr.addstr(top, left, edge)
                self.scr.addstr(top + ROWS + 1, left, edge)
                for row in range(ROWS):
                    self.scr.addstr(top + 1 + row, left, "|")
                    self.scr.addstr(top + 1 + row, left + COLUMNS + 1, "|")
            else:
                win = self.scr.derwin(ROWS + 2, COLUMNS + 2, top, left)
                win.box()
        except curses.error:
            pass

    # -- drawing ------------------------------------------------------------------------
    def screen_lines(self) -> list[str]:
        """The 16 lines as the terminal shows them (64 cells each)."""
        lines = self.machine.screen_text().splitlines()
        if self.machine.video.wide:
            lines = ["".join(ch + " " for ch in line) for line in lines]
        if self.ascii_only:
            lines = [plain_text(line) for line in lines]
        return lines

    def draw(self) -> None:
        """Put the changed lines and the status line on the terminal."""
        video = self.machine.video
        vram = video.vram()
        if self.help_shown:
            self._draw_help()
        elif vram != self._vram or video.wide != self._wide:
            self._vram = vram
            self._wide = video.wide
            max_lines, max_cols = self.scr.getmaxyx()
            room = max(0, max_cols - self.left)
            for row, line in enumerate(self.screen_lines()):
                if line == self._lines[row]:
                    continue
                self._lines[row] = line
                y = self.top + row
                if y >= max_lines - 1:
                    break
                try:
                    self.scr.addstr(y, self.left, line[:room])
                except curses.error:
                    pass
        self._draw_status()
        self.scr.refresh()

    def _draw_status(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._status_at < 0.5 and self._status:
            return
        self._status_at = now
        lines, cols = self.scr.getmaxyx()
        text = f" {self.session.status()} \u2502 "
        if self._notice and now < self._notice_until:
            text += self._notice
        elif lines < ROWS + 1 or cols < COLUMNS:
            text += f"the terminal is {cols}x{lines}; 64x17 shows everything"
        else:
            text += "F1 help \u00b7 Ctrl+Q quit"
        if self.ascii_only:
            text = plain_text(text.replace("\u00b7", "|").replace("\u2502", "|"))
        text = text[:max(0, cols - 1)].ljust(max(0, cols - 1))
        if text == self._status:
            return
        self._status = text
        try:
            self.scr.addstr(lines - 1, 0, text, curses.A_REVERSE)
        except curses.error:
            pass

    def _draw_help(self) -> None:
        rows = [("Hotkey", "What it does")]
        rows += [(keys, what) for what, _, keys in HOTKEYS if keys != "-"]
        rows += [("", ""), (", ".join(f"{host} is {key}" for key, host in KEY_NOTES[:2])
                            + ",", ""),
                 ("Backspace the left arrow. Any key closes this help.", "")]
        lines, cols = self.scr.getmaxyx()
        for i in range(ROWS):
            y = self.top + i
            if y >= lines - 1:
                break
            text = ""
            if i < len(rows):
                key, what = rows[i]
                text = f"{key:<28}{what}"
            try:
                self.scr.addstr(y, self.left, text[:COLUMNS].ljust(COLUMNS)[:max(0, cols -
                                                                               self.left)])
            except curses.error:
                pass
        self._lines = [None] * ROWS
        self._vram = None

    # -- messages -------------------------------------------------------------------------
    def notify(self, message: str) -> None:
        self._notice = message
        self._notice_until = time.monotonic() + 3.0
        self._draw_status(force=True)

    # -- keys ---------------------------------------------------------------------------------
    def poll(self) -> None:
        """Read every key waiting and act on them."""
        keys: list = []
        while True:
            try:
                keys.append(self.scr.get_wch())
            except curses.error:
                break
        if keys:
            self.handle_keys(keys)

    def handle_keys(self, keys: list) -> None:
        """Act on the keys of one poll (strings, or curses KEY_ numbers)."""
        # Bracketed paste: the marks arrive as plain characters; find them in the text.
        text = "".join(k for k in keys if isinstance(k, str))
        if (PASTE_START in text or self._in_paste) and all(isinstance(k, str) for k in keys):
            self._bracketed(text)
            return
        printable = sum(1 for k in keys if isinstance(k, str) and k.isprintable())
        if printable >= PASTE_BURST:
            chunk = "".join(k for k in keys if isinstance(k, str)
                            and (k.isprintable() or k in "\r\n\t"))
            self.session.paste(chunk)
            return
        for key in keys:
            self.key(key)

    def _bracketed(self, text: str) -> None:
        while text:
            if not self._in_paste:
                before, mark, text = text.partition(PASTE_START)
                for ch in before:
                    self.key(ch)
                if not mark:
                    return
                self._in_paste = True
                self._paste = []
            else:
                inside, mark, text = text.partition(PASTE_END)
                self._paste.append(inside)
                if not mark:
                    return
                self._in_paste = False
                self.session.paste("".join(self._paste))

    def key(self, key) -> None:
        """One key: a hotkey, a Model I key, or a character to type."""
        session = self.session
        if self.help_shown:
            self.help_shown = False
            self.layout()
            return
        if key == curses.KEY_RESIZE:
            self.layout()
            return
        action = self._hotkeys().get(key)
        if action is not None:
            action()
            return
        special = self._special_keys().get(key)
        if special is not None:
            self.machine.type(special)
        elif isinstance(key, str) and key.isprintable():
            session.type_keys(key)

    def _hotkeys(self) -> dict:
        s = self.session
        return {
            curses.KEY_F1: self.show_help, "\x0b": self.show_help,            # Ctrl+K
            curses.KEY_F2: s.save_state, "\x13": s.save_state,                # Ctrl+S
            curses.KEY_F3: s.load_state, "\x0f": s.load_state,                # Ctrl+O
            curses.KEY_F5: s.reset, "\x12": s.reset,                          # Ctrl+R
            curses.KEY_F6: s.power_cycle, "\x0e": s.power_cycle,              # Ctrl+N
            curses.KEY_F8: self.monitor, "\x07": self.monitor,                # Ctrl+G
            curses.KEY_F9: s.toggle_turbo, "\x14": s.toggle_turbo,            # Ctrl+T
            curses.KEY_F12: s.screenshot, "\x10": s.screenshot,               # Ctrl+P
            curses.KEY_F10: s.quit, "\x11": s.quit, "\x03": s.quit,           # Ctrl+Q, Ctrl+C
            "\x0c": self.layout,                                              # Ctrl+L redraw
        }

    @staticmethod
    def _special_keys() -> dict:
        """Keys that type no text -> the Model I key characters they stand for."""
        return {
            "\r": "\r", "\n": "\r", curses.KEY_ENTER: "\r",
            "\x7f": "\u2190", "\x08": "\u2190", curses.KEY_BACKSPACE: "\u2190",
            curses.KEY_LEFT: "\u2190", curses.KEY_RIGHT: "\u2192", "\t": "\u2192",
            curses.KEY_UP: "\u2191", curses.KEY_DOWN: "\u2193",
            "\x1b": "\x01",                                  # Esc: BREAK
            curses.KEY_HOME: "\x1f", curses.KEY_DC: "\x1f",  # CLEAR
        }

    def show_help(self) -> None:
        self.help_shown = True

    # -- the monitor ----------------------------------------------------------------------
    def monitor(self) -> None:
        """Leave curses, run the monitor on the terminal, come back on its ``go``."""
        if self.session.open_monitor() is None:
            self.session.monitor_stop = None
            return

        def before() -> None:
            self.teardown()
            curses.def_prog_mode()
            curses.endwin()
            print("z80emu: the machine is paused; the monitor's 'go' resumes it.", flush=True)

        def after() -> None:
            curses.reset_prog_mode()
            self.scr.refresh()
            self.setup()

        self.session.run_monitor(before, after)

    # -- the loop -------------------------------------------------------------------------
    def run(self) -> None:
        self.setup()
        session = self.session
        try:
            session.start()
            while session.running:
                self.poll()
                if not session.running:
                    break
                if session.step():
                    self.draw()
                if session.monitor_stop is not None:
                    self.monitor()          # a breakpoint or watchpoint stopped it
                session.wait()
        finally:
            self.teardown()


def main(machine, speed: float | None = 1.0, *, ascii_only: bool = False,
         sound: bool | None = None, state_file: str = "z80emu.state", **_other) -> None:
    """Run ``machine`` in this terminal at ``speed`` (1 = a real Model I, None = max)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.ClickException(
            "the terminal frontend needs a terminal on stdin and stdout; "
            "use --frontend headless for scripts")
    try:
        locale.setlocale(locale.LC_ALL, "")
    except locale.Error:                      # a locale named but not installed
        pass
    os.environ.setdefault("ESCDELAY", "25")   # a lone Esc (BREAK) without a long wait
    ascii_only = ascii_only or not utf8_locale()
    session = Session(machine, speed, sound=bool(sound), state_file=state_file, fps=FPS)
    messages: list[str] = []
    session.notify = messages.append           # until curses is up
    log = logging.getLogger("z80emu")
    handler = _Notices(lambda message: session.notify(message))
    log.addHandler(handler)
    frontend = None
    try:
        def run(stdscr) -> None:
            nonlocal frontend
            frontend = TerminalFrontend(session, stdscr, ascii_only=ascii_only)
            frontend.run()

        curses.wrapper(run)
    except curses.error as exc:
        raise click.ClickException(f"this terminal cannot run curses ({exc}); "
                                   f"check TERM, or use --frontend headless") from None
    finally:
        log.removeHandler(handler)
        session.notify = messages.append
        session.close()
        for message in messages:
            print(f"z80emu: {message}", file=sys.stderr)
