"""A virtual GE TermiNet 300 on the end of the cable, in the same process: each
character reaches the printer at the emulated moment its stop bit ends, so the
printer's timing checks (strict mode) see exactly what the TRS-80 sent.

The printer is z80emu.printers.terminet; its control outputs are those of a
switched-on, on-line terminal (CTS, DSR and CD asserted; RS-232-C pin usage
from TRS80-REFERENCE.md §10.1). What it sends back (the answer-back) comes
back at the printer's own line speed.
"""

from __future__ import annotations

from z80emu.links.base import READY, Frame, Link, ModemLines
from z80emu.printers.terminet import TermiNet300


class TermiNetLink(Link):
    """The cable to ``printer``."""

    def __init__(self, printer: TermiNet300 | None = None) -> None:
        self.printer = printer if printer is not None else TermiNet300()
        self.name = "terminet"
        self._reply = bytearray()

    @property
    def frame(self) -> Frame:
        """The printer's own character format (it answers in 8N1 or 8N2 at 110)."""
        return Frame(self.printer.baud, 8, "N", self.printer.stop_bits)

    def send(self, byte: int, t: float, frame: Frame) -> None:
        self._reply += self.printer.receive(byte, t, frame.baud)

    def receive(self) -> bytes:
        reply = bytes(self._reply)
        self._reply.clear()
        return reply

    def lines(self) -> ModemLines:
        return READY

    def close(self) -> None:
        self.printer.close()
