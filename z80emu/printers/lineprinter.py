"""A generic parallel line printer, the kind Level II's LPRINT and LLIST drive
through the port at 37E8h without any driver loaded.

Facts from TRS80-REFERENCE.md §8.2: Level II ends every printed line with CR
only (OUTLPT turns LF into CR) and carries out VT and FF itself by sending LF
characters, one per line to skip. So this printer:

* CR prints the line and feeds the paper (the Radio Shack printers fed on CR);
* LF feeds the paper (one line per LF, which is what the ROM's VT/FF skips
  count on); ``lf_after_cr="ignore"`` swallows an LF that follows a CR, for
  software that ends lines with CR LF;
* FF goes to the top of the next form, VT to the next vertical tab stop,
  BS steps back one position (overprinting);
* 20h-7Eh print; other codes, including NUL (which the ROM sends in place of
  FF when the page length is 0) and 80h-FFh (TRS-80 graphics, which a line
  printer has no way to print), are ignored.

Its width (80 positions) and form (66 lines) are settings, as is ``cps``: None
means always ready (as xtrs, status 30h); a number makes the port read busy
for 1/cps seconds of emulated time after each character (see
z80emu.devices.printer_port).

>>> lp = LinePrinter()
>>> for b in b"10 PRINT\\r20 GOTO 10\\r\\x0a\\x0a": _ = lp.receive(b)
>>> lp.text
'10 PRINT\\n20 GOTO 10\\n\\n'
"""

from __future__ import annotations

from z80emu.printers.mechanism import Mechanism
from z80emu.printers.paper import Paper

LF_AFTER_CR = ("feed", "ignore")


class LinePrinter(Mechanism):
    """A line printer of ``width`` positions printing onto ``paper``."""

    def __init__(self, paper: Paper | None = None, width: int = 80, form_length: int = 66,
                 overflow: str = "wrap", upper_only: bool = False, lf_after_cr: str = "feed",
                 cps: float | None = None, vt_every: int = 6) -> None:
        if lf_after_cr not in LF_AFTER_CR:
            raise ValueError(f"lf_after_cr must be one of {LF_AFTER_CR}, not {lf_after_cr!r}")
        super().__init__(paper, width, form_length, overflow, upper_only, vt_every)
        self.lf_after_cr = lf_after_cr
        self.cps = cps
        self.paper_out = False  # status bit 6
        self.online = True  # status bit 5 (selected)
        self.fault = False  # status bit 4 (the line is active low)
        self._after_cr = False

    def receive(self, byte: int, t: float | None = None) -> bytes:
        """One character strobed in from the port (``t``: emulated seconds, unused)."""
        after_cr, self._after_cr = self._after_cr, byte == 0x0D
        if 0x20 <= byte < 0x7F:
            self.strike(chr(byte))
        elif byte == 0x0D:
            self.carriage_return()
            self.line_feed()
        elif byte == 0x0A:
            if not (after_cr and self.lf_after_cr == "ignore"):
                self.line_feed()
        elif byte == 0x0C:
            self.carriage_return()
            self.form_feed()
        elif byte == 0x0B:
            self.carriage_return()
            self.vertical_tab()
        elif byte == 0x08:
            self.backspace()
        return b""

    def get_state(self) -> dict:
        return {**super().get_state(), "after_cr": self._after_cr,
                "paper_out": self.paper_out, "online": self.online, "fault": self.fault}

    def set_state(self, state: dict) -> None:
        flags = [bool(state[k]) for k in ("after_cr", "paper_out", "online", "fault")]
        super().set_state(state)
        self._after_cr, self.paper_out, self.online, self.fault = flags
