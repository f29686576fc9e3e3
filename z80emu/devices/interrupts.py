"""The Expansion Interface's interrupt latch at 37E0h and its 25 ms heartbeat.

Facts from TRS80-REFERENCE.md §7.2 and §11: the heartbeat sets latch bit 7
forty times a second (every 44,352 T at 1.77408 MHz); bit 6 follows the floppy
controller's INTRQ; the INT line is held while either bit is set (level
triggered); reading 37E0h-37E3h clears the heartbeat bit. A bare Model I has
no latch and never raises INT (§7.1).

The latch drives the CPU's ``int_line`` attribute directly and tells the
machine's scheduler its next deadline through :attr:`deadline`.

>>> class FakeCpu: int_line = False
>>> cpu = FakeCpu()
>>> latch = InterruptLatch(cpu)
>>> latch.fire(latch.deadline); cpu.int_line, hex(latch.value)
(True, '0x80')
>>> hex(latch.read()), hex(latch.value), cpu.int_line
('0x80', '0x0', False)
"""

from __future__ import annotations

from z80emu.devices.timing import HEARTBEAT_TSTATES

HEARTBEAT = 0x80
DISK = 0x40


class InterruptLatch:
    """Latch bits 7 (heartbeat) and 6 (disk), and the INT line they drive."""

    def __init__(self, cpu, period: int = HEARTBEAT_TSTATES, start: int = 0) -> None:
        self.cpu = cpu
        self.period = period
        self.value = 0
        self.deadline = start + period  # T-state count of the next heartbeat

    def _update_line(self) -> None:
        self.cpu.int_line = bool(self.value & (HEARTBEAT | DISK))

    def fire(self, now: int) -> None:
        """The heartbeat's deadline has passed: latch bit 7, schedule the next one."""
        self.value |= HEARTBEAT
        self.deadline += self.period
        if self.deadline <= now:  # the machine skipped ahead (e.g. after a load)
            self.deadline = now + self.period
        self._update_line()

    def read(self) -> int:
        """A CPU read of 37E0h-37E3h: the latch, then the heartbeat bit clears."""
        value = self.value
        self.value &= ~HEARTBEAT
        self._update_line()
        return value

    def set_disk(self, active: bool) -> None:
        """The floppy controller's INTRQ output (bit 6)."""
        self.value = (self.value | DISK) if active else (self.value & ~DISK)
        self._update_line()

    def get_state(self) -> dict:
        return {"value": self.value, "deadline": self.deadline, "period": self.period}

    def set_state(self, state: dict) -> None:
        self.value = int(state["value"]) & 0xFF
        self.deadline = int(state["deadline"])
        self.period = int(state["period"])
        self._update_line()
