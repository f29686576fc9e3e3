"""Port FFh of the Model I: cassette output level and motor, the cassette input
flip-flop, and the 32/64-column video switch.

Facts from TRS80-REFERENCE.md §4.1. Write: bits 1-0 cassette output level
(00 rest, 01 high, 10 low, 11 treated as rest), bit 2 motor relay, bit 3 the
32-column mode; any write clears the input flip-flop. Read: bit 7 the input
flip-flop (set by each pulse from the tape), bit 6 the inverse of the
32-column bit, bits 5-0 read as 1.

The tape deck itself (playing and recording .CAS files) plugs in later; this
device keeps the port's state and, when a listener is attached, reports every
change of the output level with its time in T-states (sound uses it).

>>> from z80emu.devices.video import Video
>>> port = CassettePort(Video(bytearray(65536)))
>>> hex(port.read())
'0x7f'
>>> port.write(0x08); hex(port.read()), port.video.wide
('0x3f', True)
>>> port.listener = lambda level, motor, t: print(level, motor)
>>> port.write(0x0D)
1 True
"""

from __future__ import annotations

from collections.abc import Callable

PORT = 0xFF

LEVEL_REST, LEVEL_HIGH, LEVEL_LOW = 0, 1, 2


class CassettePort:
    """The port FFh latch and the cassette input flip-flop."""

    def __init__(self, video, clock: Callable[[], int] | None = None) -> None:
        self.video = video
        self.clock = clock  # the CPU's T-state count, for the listener
        self.value = 0  # last byte written
        self.flipflop = False
        # listener(level, motor, tstates) is called on every write that changes
        # the output level or the motor (sound and tape recording use it).
        self.listener: Callable[[int, bool, int], None] | None = None

    @property
    def level(self) -> int:
        """Cassette output level: LEVEL_REST, LEVEL_HIGH or LEVEL_LOW."""
        bits = self.value & 3
        return LEVEL_REST if bits == 3 else bits

    @property
    def motor(self) -> bool:
        return bool(self.value & 0x04)

    def write(self, value: int) -> None:
        """OUT (FFh),A."""
        old = self.value
        self.value = value & 0xFF
        self.flipflop = False
        self.video.wide = bool(value & 0x08)
        if self.listener is not None and (old ^ value) & 0x07:
            self.listener(self.level, self.motor, self.clock() if self.clock else 0)

    def read(self) -> int:
        """IN A,(FFh)."""
        value = 0x3F
        if self.flipflop:
            value |= 0x80
        if not self.video.wide:
            value |= 0x40
        return value

    def pulse(self) -> None:
        """A pulse arrived from the tape: set the input flip-flop."""
        self.flipflop = True

    def get_state(self) -> dict:
        return {"value": self.value, "flipflop": self.flipflop}

    def set_state(self, state: dict) -> None:
        self.value = int(state["value"]) & 0xFF
        self.flipflop = bool(state["flipflop"])
        self.video.wide = bool(self.value & 0x08)
