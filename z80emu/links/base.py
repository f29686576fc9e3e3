"""The far end of the RS-232-C cable, as the board sees it: a place to put each
character when its stop bit ends, a place to look for characters coming back,
and the modem-control lines.

The protocol is small so that a TermiNet in the same process, a pyserial port,
a pseudo-terminal and a file all fit it. Times are emulated seconds (the
T-state count divided by the 1.77408 MHz clock, TRS80-REFERENCE.md §11).

A link that fails (a USB adapter pulled out, a socket closed) raises
:class:`LinkLost`; the board then reports it once and carries on with
:class:`DroppedLink`, so the machine keeps running with the line dropped.
"""

from __future__ import annotations

from dataclasses import dataclass


class LinkError(Exception):
    """A link could not be opened (bad target, missing device, no pty)."""


class LinkLost(Exception):
    """A link that was working has gone (the message says how)."""


@dataclass(frozen=True)
class Frame:
    """The character format on the line: bit rate, data bits, parity (N, E or
    O) and stop bits (1, 1.5 or 2).

    >>> Frame(300).bits, Frame(110, 7, "E", 2).bits
    (10, 11)
    """

    baud: float
    data_bits: int = 8
    parity: str = "N"
    stop_bits: float = 1

    @property
    def bits(self) -> float:
        """Bits in one character, start bit to last stop bit."""
        return 1 + self.data_bits + (self.parity != "N") + self.stop_bits

    @property
    def char_time(self) -> float:
        """Seconds for one character."""
        return self.bits / self.baud


@dataclass(frozen=True)
class ModemLines:
    """The far end's control outputs as the TRS-80's connector sees them
    (True = asserted)."""

    cts: bool = False
    dsr: bool = False
    cd: bool = False
    ri: bool = False


NOTHING = ModemLines()
READY = ModemLines(cts=True, dsr=True, cd=True)


class Link:
    """Nothing on the end of the cable: what is sent is lost, nothing comes
    back, and no control line is asserted."""

    name = "nothing"
    polled = False  # True: the board calls receive() on a schedule (outside input)

    def send(self, byte: int, t: float, frame: Frame) -> None:
        """A character has left the TRS-80 (its stop bit ended at ``t``)."""

    def receive(self) -> bytes:
        """Characters that have arrived from the far end since the last call."""
        return b""

    def lines(self) -> ModemLines:
        return NOTHING

    def set_control(self, dtr: bool, rts: bool, brk: bool) -> None:
        """The TRS-80's DTR and RTS outputs, and whether it is sending a break."""

    def configure(self, frame: Frame) -> None:
        """The TRS-80 changed its character format (a real port follows it)."""

    def close(self) -> None:
        """Let go of whatever the link holds (files are flushed and closed)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class DroppedLink(Link):
    """A link that was lost: the line is dead from now on."""

    def __init__(self, name: str) -> None:
        self.name = f"{name} (dropped)"
