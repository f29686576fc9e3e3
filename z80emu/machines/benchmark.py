"""How fast the whole Model I runs headless, against the bare CPU on the same program.

Two workloads, Z80 programs of ours run from 7000h: ``print`` keeps the screen
busy the way a BASIC listing does, printing characters through the ROM's
display routine (0033h), so every line ends in a scroll of the whole screen
(the worst case: nearly every memory access is video RAM); ``compute`` sums
RAM and shows a pass counter on the screen, like a program at work. The machine runs
it with everything on: the bus hooks (video RAM gate, keyboard window, latch),
the 25 ms heartbeat interrupt and its ROM handler, and the screen rendered to
its numpy picture once per emulated 60 Hz frame. The bare CPU runs the same
memory image with no hooks, no interrupts and no rendering, for the same
number of T-states, in the same frame-sized slices.

Figures: emulated MHz (T-states / wall seconds / 10^6), "x Model I" (that
over the real 1.77408 MHz clock, TRS80-REFERENCE.md §11), and the machine's
cost over the bare CPU in percent of the bare CPU's time.

>>> result = machine_benchmark(seconds=0.2, repeat=1)   # doctest: +SKIP
>>> print(format_result(result))                        # doctest: +SKIP
"""

from __future__ import annotations

import gc
import time
from dataclasses import asdict, dataclass

from z80emu.devices.timing import CLOCK_HZ, FRAME_TSTATES

PROGRAM_ORIGIN = 0x7000

# Each workload: (bytes in hex, source line); the hex column is the program at 7000h.
PRINT_LISTING: tuple[tuple[str, str], ...] = (
    ("06 00", "        LD   B,0"),
    ("78", "LOOP:   LD   A,B"),
    ("E6 3F", "        AND  3FH"),
    ("C6 20", "        ADD  A,20H          ; 20h-5Fh: printable"),
    ("CD 33 00", "        CALL 0033H          ; the ROM shows it (and scrolls)"),
    ("04", "        INC  B"),
    ("18 F6", "        JR   LOOP"),
)

COMPUTE_LISTING: tuple[tuple[str, str], ...] = (
    ("21 00 80", "LOOP:   LD   HL,8000H       ; sum 256 bytes of RAM"),
    ("06 00", "        LD   B,0"),
    ("AF", "        XOR  A"),
    ("86", "SUM:    ADD  A,(HL)"),
    ("23", "        INC  HL"),
    ("10 FC", "        DJNZ SUM"),
    ("32 00 90", "        LD   (9000H),A"),
    ("21 03 3E", "        LD   HL,3E03H       ; a decimal pass counter on the screen"),
    ("34", "BUMP:   INC  (HL)"),
    ("7E", "        LD   A,(HL)"),
    ("FE 3A", "        CP   '9'+1"),
    ("20 EA", "        JR   NZ,LOOP"),
    ("36 30", "        LD   (HL),'0'"),
    ("2B", "        DEC  HL"),
    ("18 F5", "        JR   BUMP"),
)

WORKLOADS = {"print": PRINT_LISTING, "compute": COMPUTE_LISTING}
WORKLOAD_TEXT = {
    "print": "printing through the ROM's 0033h, a scroll every 64 characters",
    "compute": "summing RAM, a pass counter updated on the screen",
}


@dataclass
class MachineBench:
    workload: str
    seconds: float  # emulated seconds per run
    bare_mhz: float  # the bare CPU
    machine_mhz: float  # the machine, screen rendered at a display's 60 Hz (host time)
    machine_every_frame_mhz: float  # the machine, screen rendered every emulated frame
    repeat: int
    engine: str = "translate"  # the CPU engine (z80emu.cpu.Z80)

    @property
    def bare_x(self) -> float:
        return self.bare_mhz * 1e6 / CLOCK_HZ

    @property
    def machine_x(self) -> float:
        return self.machine_mhz * 1e6 / CLOCK_HZ

    @property
    def machine_every_frame_x(self) -> float:
        return self.machine_every_frame_mhz * 1e6 / CLOCK_HZ

    @property
    def overhead_percent(self) -> float:
        """Extra host time the machine (display-rate rendering) needs over the bare CPU."""
        return (self.bare_mhz / self.machine_mhz - 1.0) * 100.0

    @property
    def overhead_every_frame_percent(self) -> float:
        return (self.bare_mhz / self.machine_every_frame_mhz - 1.0) * 100.0

    def as_dict(self) -> dict:
        d = asdict(self)
        for name in ("bare_x", "machine_x", "machine_every_frame_x", "overhead_percent",
                     "overhead_every_frame_percent"):
            d[name] = round(getattr(self, name), 2)
        return d


WARMUP_FRAMES = 30
DISPLAY_HZ = 60.0


def _machine(workload: str = "print", engine: str = "translate"):
    from z80emu.machines.trs80 import TRS80

    m = TRS80(engine=engine)
    m.wait_for("READY", timeout=5.0)
    m.poke(0x3E00, b"0000")
    m.poke(PROGRAM_ORIGIN, b"".join(bytes.fromhex(h) for h, _ in WORKLOADS[workload]))
    m.cpu.pc = PROGRAM_ORIGIN
    return m


def _time_machine(workload: str, frames: int, every_frame: bool,
                  engine: str = "translate") -> float:
    """Emulated MHz of the machine; the screen is rendered after every emulated
    frame, or (as a frontend does) when 1/60 s of host time has passed."""
    m = _machine(workload, engine)
    m.run(frames=WARMUP_FRAMES)  # translate the code once
    render = m.video.render
    clock = time.perf_counter
    start = m.cpu.cycles
    t0 = time.process_time()
    shown = clock()
    for _ in range(frames):
        m.run(frames=1)
        if every_frame:
            render()
        else:
            now = clock()
            if now - shown >= 1.0 / DISPLAY_HZ:
                render()
                shown = now
    used = time.process_time() - t0
    return (m.cpu.cycles - start) / used / 1e6


def _time_bare(workload: str, frames: int, engine: str = "translate") -> float:
    """Emulated MHz of a bare Z80 (no hooks, no interrupts) on the same memory."""
    from z80emu.cpu import Z80

    m = _machine(workload, engine)
    cpu = Z80(memory=bytearray(m.memory), engine=engine)
    cpu.set_state(m.cpu.get_state())
    cpu.iff1 = cpu.iff2 = 0  # nothing interrupts a bare CPU
    cpu.int_line = False
    for _ in range(WARMUP_FRAMES):
        cpu.run(FRAME_TSTATES)
    start = cpu.cycles
    t0 = time.process_time()
    for _ in range(frames):
        cpu.run(FRAME_TSTATES)
    used = time.process_time() - t0
    return (cpu.cycles - start) / used / 1e6


def machine_benchmark(workload: str = "print", seconds: float = 30.0,
                      repeat: int = 3, engine: str = "translate") -> MachineBench:
    """Run each variant for ``seconds`` of emulated time, ``repeat`` times
    interleaved; keep the best of each (host CPU time, so other processes on the
    host disturb the figures less)."""
    if workload not in WORKLOADS:
        raise ValueError(f"unknown workload {workload!r} (expected one of "
                         f"{', '.join(WORKLOADS)})")
    frames = max(1, round(seconds * CLOCK_HZ / FRAME_TSTATES))
    bare = machine = every = 0.0
    gc_was_on = gc.isenabled()
    try:
        for _ in range(repeat):
            gc.collect()
            gc.disable()  # a collection inside one variant would be charged to it
            bare = max(bare, _time_bare(workload, frames, engine))
            machine = max(machine, _time_machine(workload, frames, False, engine))
            every = max(every, _time_machine(workload, frames, True, engine))
            gc.enable()
    finally:
        if gc_was_on:
            gc.enable()
    return MachineBench(workload, seconds, bare, machine, every, repeat, engine)


def format_result(r: MachineBench) -> str:
    return (
        f"TRS-80 Model I headless, {r.workload}: {WORKLOAD_TEXT[r.workload]} "
        f"({r.seconds:g} emulated s, best of {r.repeat}, engine {r.engine}):\n"
        f"  bare CPU                        {r.bare_mhz:7.2f} MHz  {r.bare_x:6.1f} x Model I\n"
        f"  machine, screen at 60 Hz        {r.machine_mhz:7.2f} MHz  {r.machine_x:6.1f} x "
        f"Model I  ({r.overhead_percent:+.1f} % over the bare CPU)\n"
        f"  machine, screen every frame     {r.machine_every_frame_mhz:7.2f} MHz  "
        f"{r.machine_every_frame_x:6.1f} x Model I  "
        f"({r.overhead_every_frame_percent:+.1f} % over the bare CPU)"
    )
