"""The Expansion Interface's parallel printer port at 37E8h-37EBh: a Centronics
data latch written by the CPU (the write makes the strobe) and a status byte
read back.

Facts from TRS80-REFERENCE.md §8.1: status bit 7 BUSY (1 = busy), bit 6 paper
out (1 = empty), bit 5 unit select (1 = on line), bit 4 fault (active low: 1 =
no fault), bits 3-0 unused (read 0 here, as in xtrs). Level II waits until
``status AND F0h = 30h``. With no printer the lines float and read FFh, which
Level II takes for "not ready" (the reference's assumption, §12).

A printer that gives a ``cps`` rate reads busy for 1/cps seconds of emulated
time after each character (the clock is the CPU's T-state count); one without
(``cps=None``) is always ready.

>>> from z80emu.printers.lineprinter import LinePrinter
>>> port = ParallelPort(LinePrinter())
>>> hex(port.status()); port.write(0x41); port.printer.current_line()
'0x30'
'A'
>>> hex(ParallelPort(None).status())
'0xff'
"""

from __future__ import annotations

from collections.abc import Callable

from z80emu.devices.timing import CLOCK_HZ

BUSY, PAPER_OUT, SELECTED, NO_FAULT = 0x80, 0x40, 0x20, 0x10
NOTHING_THERE = 0xFF


class ParallelPort:
    """The port, with ``printer`` (anything with ``receive(byte, t)`` and,
    optionally, ``cps``, ``paper_out``, ``online`` and ``fault``) or None."""

    def __init__(self, printer=None, clock: Callable[[], int] = lambda: 0) -> None:
        self.printer = printer
        self.clock = clock
        self.data = 0  # the latch
        self._busy_until = 0  # T-states

    def status(self) -> int:
        """The byte a read of 37E8h returns."""
        printer = self.printer
        if printer is None:
            return NOTHING_THERE
        value = 0
        if self._busy_until and self.clock() < self._busy_until:
            value |= BUSY
        if getattr(printer, "paper_out", False):
            value |= PAPER_OUT
        if getattr(printer, "online", True):
            value |= SELECTED
        if not getattr(printer, "fault", False):
            value |= NO_FAULT
        return value

    def write(self, value: int) -> None:
        """A write of 37E8h: latch the byte and strobe it into the printer."""
        self.data = value & 0xFF
        printer = self.printer
        if printer is None:
            return
        now = self.clock()
        printer.receive(self.data, now / CLOCK_HZ)
        cps = getattr(printer, "cps", None)
        if cps:
            self._busy_until = now + round(CLOCK_HZ / cps)

    def get_state(self) -> dict:
        """The latch and when the printer stops being busy (not the printer:
        its own ``get_state`` has that)."""
        return {"data": self.data, "busy_until": self._busy_until}

    def set_state(self, state: dict) -> None:
        data, busy_until = int(state["data"]) & 0xFF, int(state["busy_until"])
        self.data, self._busy_until = data, busy_until

    def close(self) -> None:
        """Flush and close the printer's paper record."""
        if self.printer is not None:
            self.printer.close()


def make_printer(spec: object, sync: str = "flush") -> object | None:
    """The printer ``TRS80(printer=...)`` names: True for a line printer keeping
    its paper in memory, a path for one writing its paper record there, None
    or False for nothing on the port, or a printer object as it is."""
    if spec is None or spec is False:
        return None
    from z80emu.printers.lineprinter import LinePrinter
    from z80emu.printers.paper import Paper

    if spec is True:
        return LinePrinter()
    if isinstance(spec, (str, bytes)) or hasattr(spec, "__fspath__"):
        return LinePrinter(Paper(spec, sync))
    return spec
