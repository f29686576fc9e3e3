"""Printers and paper: the virtual GE TermiNet 300 (terminet), the generic line
printer for the parallel port (lineprinter), the print mechanism both share
(mechanism), the write-through paper record (paper) and its rendering as PDF
or PNG fan-fold pages (render). Facts from TRS80-REFERENCE.md §8 and §10.
"""

from z80emu.printers.lineprinter import LinePrinter
from z80emu.printers.paper import Paper
from z80emu.printers.terminet import TermiNet300

__all__ = ["LinePrinter", "Paper", "TermiNet300"]
