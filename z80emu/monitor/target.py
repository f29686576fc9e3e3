"""What the monitor drives: a bare 64 KB Z80 or a TRS-80 Model I, behind one small
interface that knows which addresses hold what.

The bare Z80 is 64 KB of RAM and nothing else. On the TRS-80 the memory map of
TRS80-REFERENCE.md §1 (via ``z80emu.bus``) decides: ROM at 0000h-2FFFh keeps no
writes, 3000h-37FFh and RAM above the fitted size are absent (reads give FFh),
3800h-3BFFh is the keyboard, 3C00h-3FFFh video RAM (a stock machine keeps no
bit 6), 37E0h-37EFh the Expansion Interface registers.

Reading memory here never has side effects (the bytearray is read directly), so
a dump does not clear the interrupt latch or count as a keyboard scan.
"""

from __future__ import annotations

from z80emu import bus as _bus
from z80emu.cpu import Z80

# Region names, as the monitor prints them.
RAM, ROM, VIDEO, KEYBOARD, REGISTERS, UNMAPPED, ABSENT = (
    "RAM", "ROM", "video RAM", "the keyboard", "Expansion Interface registers",
    "unmapped space", "absent RAM")
WRITABLE = frozenset({RAM, VIDEO, REGISTERS})
RUNNABLE = frozenset({RAM, ROM, VIDEO, KEYBOARD})


class Target:
    """A bare Z80 with 64 KB of RAM."""

    name = "bare Z80, 64 KB RAM"

    def __init__(self, cpu: Z80 | None = None) -> None:
        self.cpu = cpu if cpu is not None else Z80()
        self.memory = self.cpu.memory

    # -- the memory map ------------------------------------------------------------
    def region(self, addr: int) -> str:
        return RAM

    def no_run_map(self) -> bytearray | None:
        """65536 flags, 1 where code cannot run (it would read FFh); None: all runnable."""
        return None

    def why_not_writable(self, addr: int) -> str:
        """Why a write to ``addr`` would not be kept (the region and its rule)."""
        return f"{addr:04X}h is {self.region(addr)}"

    def why_not_runnable(self, addr: int) -> str:
        return f"PC {addr:04X}h is in {self.region(addr)}"

    # -- access -----------------------------------------------------------------------
    def read(self, addr: int, length: int) -> bytes:
        """``length`` bytes from ``addr`` as the CPU reads them, without side effects."""
        mem = self.memory
        return bytes(mem[(addr + i) & 0xFFFF] for i in range(length))

    def write(self, addr: int, data: bytes) -> None:
        """Store bytes as the CPU would; translated code over them is forgotten."""
        cpu = self.cpu
        for i, value in enumerate(data):
            cpu.write((addr + i) & 0xFFFF, value)

    # -- running -----------------------------------------------------------------------
    def step(self) -> int:
        return self.cpu.step()

    def run(self, tstates: int) -> int:
        return self.cpu.run(tstates)

    @property
    def stops_on_halt(self) -> bool:
        """True when HALT ends a run (on the TRS-80 it is the reset button instead)."""
        return True

    def reset(self) -> None:
        self.cpu.reset()


class TRS80Target(Target):
    """A TRS-80 Model I (``z80emu.machines.trs80.TRS80``)."""

    def __init__(self, machine) -> None:
        self.machine = machine
        super().__init__(machine.cpu)
        self.name = (f"TRS-80 Model I, {machine.ram_kb} KB"
                     + (", Expansion Interface" if machine.expansion else "")
                     + f", ROM: {machine.rom.name}")

    def region(self, addr: int) -> str:
        bus = self.machine.bus
        if addr < _bus.ROM_END:
            return ROM
        if addr < _bus.KEYBOARD:
            if bus.expansion and _bus.REGISTERS <= addr < _bus.REGISTERS + 16:
                return REGISTERS
            return UNMAPPED
        if addr < _bus.VIDEO_RAM:
            return KEYBOARD
        if addr < _bus.RAM:
            return VIDEO
        return RAM if addr < bus.ram_top else ABSENT

    def no_run_map(self) -> bytearray | None:
        flags = bytearray(0x10000)
        flags[_bus.ROM_END:_bus.KEYBOARD] = b"\x01" * (_bus.KEYBOARD - _bus.ROM_END)
        top = self.machine.bus.ram_top
        flags[top:] = b"\x01" * (0x10000 - top)
        return flags

    def why_not_writable(self, addr: int) -> str:
        region = self.region(addr)
        if region == ROM:
            return f"{addr:04X}h is ROM on the TRS-80 (0000h-2FFFh keeps no writes)"
        if region == ABSENT:
            return (f"{addr:04X}h is absent RAM: this TRS-80 has {self.machine.ram_kb} KB "
                    f"(4000h-{self.machine.bus.ram_top - 1:04X}h); writes there are lost")
        if region == KEYBOARD:
            return f"{addr:04X}h is the keyboard matrix (3800h-3BFFh), which is read-only"
        return f"{addr:04X}h is {region} (nothing there keeps a write)"

    def why_not_runnable(self, addr: int) -> str:
        region = self.region(addr)
        if region == ABSENT:
            return (f"PC {addr:04X}h is in absent RAM (this TRS-80 has "
                    f"{self.machine.ram_kb} KB): it reads FFh, RST 38h")
        return f"PC {addr:04X}h is in {region}, which reads FFh (RST 38h)"

    def read(self, addr: int, length: int) -> bytes:
        # as the CPU would read them (video RAM through its bit-6 gate), no side effects
        return self.machine.peek(addr, length)

    def write(self, addr: int, data: bytes) -> None:
        self.machine.poke(addr, data)

    def step(self) -> int:
        return self.machine.step()

    def run(self, tstates: int) -> int:
        return self.machine.run(tstates=tstates)

    @property
    def stops_on_halt(self) -> bool:
        return False

    def reset(self) -> None:
        self.machine.power_on()


def make_target(machine) -> Target:
    """A target for a Z80, a TRS80, an existing Target, or None (a new bare Z80)."""
    if machine is None:
        return Target()
    if isinstance(machine, Target):
        return machine
    if isinstance(machine, Z80):
        return Target(machine)
    if hasattr(machine, "bus") and hasattr(machine, "cpu"):
        return TRS80Target(machine)
    raise TypeError(f"the monitor cannot drive a {type(machine).__name__}")
