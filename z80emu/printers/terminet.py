"""The GE TermiNet 300: a belt printer at the end of a serial line, printing
10, 15 or 30 characters a second, with the mechanical delays of the real one.

Facts from TRS80-REFERENCE.md §10 (GE GEK-36150 Operator's Manual and GEK-15002
Programmer's Manual): speeds and framing (§10.2), the delay and fill chart
(§10.3), the codes honoured (§10.4), line width and belt (§10.5). Everything
the reference marks UNVERIFIED is a setting, defaulting as follows:

==================  ==========================================================
``width``           118 print positions (one first-hand account; §10.5)
``upper_only``      False: a 94-character belt (20h-7Eh); True folds 60h-7Eh
                    onto 40h-5Eh like a 64-character belt
``overflow``        ``"drop"``: no hammer past the last position, so a
                    character there is not printed (see mechanism.py)
``cr_feeds``        False: CR only returns the column (the manual treats CR and
                    LF as separate codes); True also feeds the paper, like an
                    "automatic carriage return" option might
``vt_every``        VT stops every 6 lines from the top of form
``form_length``     66 lines (11-inch forms at 6 lines per inch)
motor codes         ESC h / ESC H turn the motor on (verified); ESC i / ESC I
                    turn it off (``motor_off_codes``: the letter is UNVERIFIED)
answer-back         ENQ (05h) makes the printer send ``answerback`` (empty:
                    nothing), as teleprinters answer "who are you"; the ESC
                    codes the manual mentions for it are not known
other ESC pairs     consumed and ignored (ribbon colour and the rest); the
                    record is text, so no colour is kept
bit 7 / parity      ignored: the printer looks at 7 bits (§10.2 says parity is
                    normally not checked)
==================  ==========================================================

Strict mode (``strict=True``) enforces the timing of §10.3 and drops, with a
warning, characters that arrive before the mechanism can take them, as a
TermiNet did when the host sent too few fill characters. The model, in
milliseconds (it reproduces every fill count in the chart for 10, 15 and
30 char/s; the repeated-LF rows included):

* a printable character after a line feed: at least 300 after the last
  printed character and 67 after the line feed itself;
* a second line feed: 350 after the last printed character; each further line
  feed: 67 after the previous one;
* after a backspace: 230 before the next printable character;
* after VT or FF: 300 + 27 per line moved before anything else (the manual's
  fill count, one more than this needs, always satisfies it);
* after the motor-on code (when the motor was off): 430.
* a motor-off code sooner than 300 after the last printed character only
  warns (what the real one lost is not known).

Times are arrival times, the end of each character's stop bit; comparisons
allow 0.1 ms for rounding. Without times (``t=None``) nothing is checked.

>>> tn = TermiNet300(strict=True)
>>> for i, b in enumerate(b"HI\\r\\n" + bytes(6) + b"THERE\\r\\n" + b"X"):
...     _ = tn.receive(b, t=i / 30)
>>> tn.text
'HI\\nTHERE'
>>> [(round(t, 3), chr(b)) for t, b, why in tn.dropped]
[(0.567, 'X')]
"""

from __future__ import annotations

import logging
import math
from collections import deque

from z80emu.printers.mechanism import Mechanism
from z80emu.printers.paper import Paper

log = logging.getLogger(__name__)

# char/s -> (line speed in bit/s, stop bits): Programmer's Manual Table 3 (§10.2)
SPEEDS = {10: (110, 2), 15: (150, 1), 30: (300, 1)}

NUL, ENQ, BS, LF, VT, FF, CR, ESC, DEL = 0x00, 0x05, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B, 0x7F

# The mechanism's needs, in seconds (§10.3; see the module docstring)
LF_AFTER_PRINT = 0.300
SECOND_LF_AFTER_PRINT = 0.350
LF_STEP = 0.067
BS_DELAY = 0.230
VTFF_DELAY = 0.300
VTFF_PER_LINE = 0.027
START_UP = 0.430
SHUT_DOWN = 0.300
SLACK = 0.0001  # rounding allowance
BAUD_TOLERANCE = 0.03  # a UART frames correctly within about 3 % of its rate

WARN_LIMIT = 20  # drops logged one by one; later ones are only counted


class TermiNet300(Mechanism):
    """A TermiNet 300 printing onto ``paper`` (a Paper; None: in memory).

    Feed it with :meth:`receive`, one byte at a time with its arrival time in
    seconds; it returns the bytes it sends back (the answer-back), if any.
    """

    def __init__(self, paper: Paper | None = None, cps: int = 30, width: int = 118,
                 upper_only: bool = False, strict: bool = False, form_length: int = 66,
                 overflow: str = "drop", cr_feeds: bool = False, vt_every: int = 6,
                 answerback: str = "", motor_off_codes: str = "Ii") -> None:
        if cps not in SPEEDS:
            raise ValueError(f"a TermiNet 300 prints 10, 15 or 30 characters a second, not {cps}")
        super().__init__(paper, width, form_length, overflow, upper_only, vt_every)
        self.cps = cps
        self.baud, self.stop_bits = SPEEDS[cps]
        self.strict = strict
        self.cr_feeds = cr_feeds
        self.answerback = answerback
        self.motor_off_codes = motor_off_codes
        self.motor_on = True  # switched on and on line
        self.dropped: list[tuple[float, int, str]] = []  # (time, byte, why) in strict mode
        self.garbled = 0  # characters that came at the wrong line speed
        self.arrivals: deque[tuple[float | None, int]] = deque(maxlen=100_000)
        self._esc = False
        self._last_print: float | None = None
        self._lf_run = 0  # line feeds since the last printed character
        self._print_ok = -math.inf  # earliest time for a printable character
        self._lf_ok = -math.inf  # earliest time for paper motion
        self._warned_speed = False

    @property
    def char_time(self) -> float:
        """Seconds per character on the line at this printer's speed."""
        return 1.0 / self.cps

    # -- the line -----------------------------------------------------------------------
    def receive(self, byte: int, t: float | None = None, baud: float | None = None) -> bytes:
        """One character from the line, arriving at ``t`` seconds, sent at
        ``baud`` bit/s (None: assume the printer's own speed)."""
        self.arrivals.append((t, byte))
        if baud is not None and abs(baud - self.baud) > BAUD_TOLERANCE * self.baud:
            self.garbled += 1
            if not self._warned_speed:
                self._warned_speed = True
                log.warning("TermiNet: characters arrive at %g bit/s but the printer is set "
                            "for %d (%d char/s); they come out as garbage and are not "
                            "printed", baud, self.baud, self.cps)
            return b""
        code = byte & 0x7F
        if self._esc:
            self._esc = False
            self._escape(chr(code), t)
            return b""
        if 0x20 <= code < DEL:
            self._printable(code, t)
        elif code == CR:
            self.carriage_return()
            if self.cr_feeds:
                self._line_feed(code, t)
        elif code == LF:
            self._line_feed(code, t)
        elif code == BS:
            self.backspace()
            if t is not None:
                self._print_ok = max(self._print_ok, t + BS_DELAY)
                self._reason = ("backspace", t, BS_DELAY, self._fills(BS_DELAY), "BS")
        elif code in (VT, FF):
            self._vt_ff(code, t)
        elif code == ESC:
            self._esc = True
        elif code == ENQ:
            return self.answerback.encode("ascii", "replace")
        # NUL and DEL are fill characters; other control codes do nothing
        return b""

    def _printable(self, code: int, t: float | None) -> None:
        if t is not None and self.strict:
            if not self.motor_on:
                self._drop(t, code, "the motor is off (send ESC h first)")
                return
            if t < self._print_ok - SLACK:
                self._drop(t, code, self._why_busy(t))
                return
        self.strike(chr(code))
        if t is not None:
            self._last_print = t
        self._lf_run = 0
        self._lf_ok = -math.inf
        self._reason = self._lf_reason = None

    def _line_feed(self, code: int, t: float | None) -> None:
        if t is not None and self.strict and t < self._lf_ok - SLACK:
            self._drop(t, code, self._why_busy(t, paper=True))
            return
        self.line_feed()
        if t is None:
            return
        last = self._last_print
        if self._lf_run == 0 and last is not None and last + LF_AFTER_PRINT > t + LF_STEP:
            self._print_ok = last + LF_AFTER_PRINT
            self._lf_ok = max(last + SECOND_LF_AFTER_PRINT, t + LF_STEP)
            self._reason = ("last character before the line feed", last, LF_AFTER_PRINT,
                            self._fills(last + LF_AFTER_PRINT - t), "LF")
            self._lf_reason = ("last character before the first line feed", last,
                               SECOND_LF_AFTER_PRINT,
                               self._fills(last + SECOND_LF_AFTER_PRINT - t), "LF")
        else:
            self._print_ok = self._lf_ok = t + LF_STEP
            self._reason = self._lf_reason = ("line feed", t, LF_STEP, self._fills(LF_STEP), "LF")
        self._lf_run += 1

    def _vt_ff(self, code: int, t: float | None) -> None:
        if t is not None and self.strict and t < self._lf_ok - SLACK:
            self._drop(t, code, self._why_busy(t, paper=True))
            return
        moved = self.vertical_tab() if code == VT else self.form_feed()
        if t is not None:
            need = VTFF_DELAY + VTFF_PER_LINE * moved
            self._print_ok = self._lf_ok = t + need
            name = "vertical tab" if code == VT else "form feed"
            self._reason = self._lf_reason = (name, t, need, self._fills(need),
                                                 "VT" if code == VT else "FF")
        self._lf_run += 1

    def _escape(self, letter: str, t: float | None) -> None:
        if letter in "hH":
            if not self.motor_on:
                self.motor_on = True
                if t is not None:
                    self._print_ok = max(self._print_ok, t + START_UP)
                    self._reason = ("motor-on code", t, START_UP,
                                    self._fills(START_UP), "ESC h")
        elif letter in self.motor_off_codes:
            last = self._last_print
            if (self.strict and t is not None and last is not None
                    and t < last + SHUT_DOWN - SLACK):
                log.warning("TermiNet: motor-off code %.1f ms after the last character; "
                            "the manual asks for %d ms", (t - last) * 1000, SHUT_DOWN * 1000)
            self.motor_on = False

    # -- save states --------------------------------------------------------------------
    def get_state(self) -> dict:
        """The mechanism (see Mechanism.get_state), the motor, an ESC waiting for
        its letter and the timing the strict mode checks (emulated seconds)."""
        return {**super().get_state(), "motor_on": self.motor_on, "esc": self._esc,
                "last_print": self._last_print, "lf_run": self._lf_run,
                "print_ok": _finite(self._print_ok), "lf_ok": _finite(self._lf_ok),
                "reason": _listed(self._reason), "lf_reason": _listed(self._lf_reason),
                "garbled": self.garbled}

    def set_state(self, state: dict) -> None:
        last = state["last_print"]
        timing = (None if last is None else float(last), int(state["lf_run"]),
                  _time(state["print_ok"]), _time(state["lf_ok"]),
                  _reason(state["reason"]), _reason(state["lf_reason"]))
        motor_on, esc, garbled = bool(state["motor_on"]), bool(state["esc"]), int(state["garbled"])
        super().set_state(state)
        (self._last_print, self._lf_run, self._print_ok, self._lf_ok,
         self._reason, self._lf_reason) = timing
        self.motor_on, self._esc, self.garbled = motor_on, esc, garbled

    # -- strict mode --------------------------------------------------------------------
    _reason: tuple | None = None  # why printing must wait
    _lf_reason: tuple | None = None  # why paper motion must wait

    def _fills(self, interval: float) -> int:
        """Fill characters to send after a code so that the next character
        arrives ``interval`` seconds or more after it."""
        return max(0, math.ceil(interval / self.char_time - 1e-6) - 1)

    def _why_busy(self, t: float, paper: bool = False) -> str:
        reason = self._lf_reason if paper else self._reason
        if reason is None:
            return "the mechanism was still busy"
        event, since, need, fills, code = reason
        what = "paper motion" if paper else "a character"
        return (f"{what} {1000 * (t - since):.1f} ms after the {event}; the mechanism "
                f"needs {1000 * need:.0f} ms ({fills} fill characters after the {code} at "
                f"{self.cps} char/s)")

    def _drop(self, t: float, code: int, why: str) -> None:
        self.dropped.append((t, code, why))
        count = len(self.dropped)
        if count <= WARN_LIMIT:
            log.warning("TermiNet (strict): %r dropped: %s", chr(code), why)
        if count == WARN_LIMIT:
            log.warning("TermiNet (strict): further dropped characters are counted, "
                        "not shown")


def _finite(t: float) -> float | None:
    return None if math.isinf(t) else t


def _time(t) -> float:
    return -math.inf if t is None else float(t)


def _listed(reason: tuple | None) -> list | None:
    return None if reason is None else list(reason)


def _reason(reason) -> tuple | None:
    if reason is None:
        return None
    event, since, need, fills, code = reason
    return (str(event), float(since), float(need), int(fills), str(code))
