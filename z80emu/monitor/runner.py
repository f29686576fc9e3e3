"""Running the machine for the monitor: breakpoints, watchpoints and the reasons
a run stops.

Two speeds. With nothing to watch for, a run hands the CPU whole slices of
T-states (``Z80.run``, which executes translated blocks) and looks up only
between slices: full speed. With a breakpoint, a watchpoint, a step count, a
trace or a return address to catch, it single-steps and checks after every
instruction. Watchpoints on memory wrap the CPU's read and write hooks and
watchpoints on ports wrap its I/O callbacks, and only for the length of the run:
the CPU's fast paths are never slowed while no watchpoint exists, and the
machine's own hooks are put back afterwards.

Each breakpoint and watchpoint has a hit count: it stops the run on every
``count``-th hit (default 1: every hit). A watchpoint lets the instruction that
touched its address finish, then stops.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .target import Target

SLICE = 177_408  # T-states (0.1 emulated s) between looks at Ctrl-C and the clock
WATCH_KINDS = {"r": "read", "w": "write", "rw": "access", "in": "in", "out": "out",
               "io": "in/out"}


@dataclass
class Breakpoint:
    number: int
    address: int
    count: int = 1
    hits: int = 0

    def describe(self, symbols=None) -> str:
        name = symbols.name_at(self.address) if symbols is not None else None
        where = f"{self.address:04X}h" + (f" ({name})" if name else "")
        every = f", stops every {self.count} hits" if self.count > 1 else ""
        return f"#{self.number}  break at {where}{every}, {self.hits} hits so far"


@dataclass
class Watchpoint:
    number: int
    kind: str  # a key of WATCH_KINDS
    lo: int
    hi: int
    count: int = 1
    hits: int = 0

    @property
    def on_ports(self) -> bool:
        return self.kind in ("in", "out", "io")

    def where(self) -> str:
        if self.on_ports:
            return f"port {self.lo:02X}h" if self.lo == self.hi else \
                f"ports {self.lo:02X}h-{self.hi:02X}h"
        return f"{self.lo:04X}h" if self.lo == self.hi else f"{self.lo:04X}h-{self.hi:04X}h"

    def describe(self, symbols=None) -> str:
        every = f", stops every {self.count} hits" if self.count > 1 else ""
        return (f"#{self.number}  watch {WATCH_KINDS[self.kind]} {self.where()}{every}, "
                f"{self.hits} hits so far")


@dataclass
class Stop:
    """Why a run ended: ``kind`` is one of break, watch, return, until, halt, steps,
    limit, interrupted, unmapped; ``message`` says it for the user."""

    kind: str
    message: str
    instructions: int = 0
    tstates: int = 0
    interrupts: int = 0  # interrupts (and NMIs) accepted during a single-stepped run


class Engine:
    """Runs a :class:`~z80emu.monitor.target.Target` and stops it where asked."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.breakpoints: list[Breakpoint] = []
        self.watchpoints: list[Watchpoint] = []
        self._next_number = 1
        self._hits: list[str] = []
        self._interrupts = 0
        self._interrupted = False

    # -- the lists ----------------------------------------------------------------------
    def add_break(self, address: int, count: int = 1) -> Breakpoint:
        for bp in self.breakpoints:
            if bp.address == address:
                bp.count, bp.hits = count, 0
                return bp
        bp = Breakpoint(self._take_number(), address, count)
        self.breakpoints.append(bp)
        return bp

    def add_watch(self, kind: str, lo: int, hi: int, count: int = 1) -> Watchpoint:
        if kind not in WATCH_KINDS:
            raise ValueError(f"unknown watch kind {kind!r}")
        wp = Watchpoint(self._take_number(), kind, lo, hi, count)
        self.watchpoints.append(wp)
        return wp

    def _take_number(self) -> int:
        n = self._next_number
        self._next_number += 1
        return n

    def delete(self, number: int) -> bool:
        for items in (self.breakpoints, self.watchpoints):
            for item in items:
                if item.number == number:
                    items.remove(item)
                    return True
        return False

    def clear(self) -> None:
        self.breakpoints.clear()
        self.watchpoints.clear()

    @property
    def has_stops(self) -> bool:
        return bool(self.breakpoints or self.watchpoints)

    # -- running -------------------------------------------------------------------------
    def run(self, *, steps: int | None = None, until: int | None = None,
            return_to: tuple[int, int] | None = None, tstates: int | None = None,
            trace: Callable[[int, int, int, bytes], None] | None = None) -> Stop:
        """Run until something stops it: ``steps`` instructions, PC reaching ``until``,
        a return to ``return_to`` = (PC, SP), ``tstates`` T-states, a breakpoint,
        a watchpoint, HALT on a bare Z80, code in unmapped space, or Ctrl-C.
        ``trace(pc, sp, t, code)`` is called after each instruction with the PC and SP
        it started with, the T-states it took and the 4 bytes at PC before it ran."""
        cpu = self.target.cpu
        if cpu.halted and self.target.stops_on_halt:
            cpu.halted = 0  # continuing after a HALT
        with self._catch_ctrl_c():
            stepped = (self.has_stops or steps is not None or until is not None
                       or return_to is not None or trace is not None)
            if stepped:
                return self._stepped(steps, until, return_to, tstates, trace)
            return self._fast(tstates)

    def _fast(self, tstates: int | None) -> Stop:
        target, cpu = self.target, self.target.cpu
        no_run = target.no_run_map()
        start = cpu.cycles
        end = None if tstates is None else start + tstates
        while True:
            pc = cpu.pc
            if no_run is not None and no_run[pc]:
                return self._stop("unmapped", target.why_not_runnable(pc) + ": stopped",
                                  0, start)
            if cpu.halted and target.stops_on_halt:
                return self._stop("halt", f"HALT at {(pc - 1) & 0xFFFF:04X}h", 0, start)
            if self._interrupted:
                return self._stop("interrupted", f"stopped by Ctrl-C at {pc:04X}h", 0, start)
            budget = SLICE
            if end is not None:
                if cpu.cycles >= end:
                    return self._stop("limit", f"time limit reached at {pc:04X}h", 0, start)
                budget = min(SLICE, end - cpu.cycles)
            target.run(budget)

    def _stepped(self, steps, until, return_to, tstates, trace) -> Stop:
        target, cpu = self.target, self.target.cpu
        step = target.step
        no_run = target.no_run_map()
        breaks = {bp.address: bp for bp in self.breakpoints}
        stops_on_halt = target.stops_on_halt
        start = cpu.cycles
        end = None if tstates is None else start + tstates
        count = 0
        self._hits = []
        self._interrupts = 0
        restore = self._install_watches() if self.watchpoints else None
        try:
            while True:
                pc = cpu.pc
                if count:
                    if return_to is not None and pc == return_to[0] and cpu.sp == return_to[1]:
                        return self._stop("return", f"returned to {pc:04X}h", count, start)
                    if pc == until:
                        return self._stop("until", f"reached {pc:04X}h", count, start)
                    bp = breaks.get(pc)
                    if bp is not None:
                        bp.hits += 1
                        if bp.hits % bp.count == 0:
                            return self._stop("break", f"breakpoint #{bp.number} at {pc:04X}h"
                                              + (f" (hit {bp.hits})" if bp.count > 1 else ""),
                                              count, start)
                    if steps is not None and count >= steps:
                        return self._stop("steps", "", count, start)
                    if end is not None and cpu.cycles >= end:
                        return self._stop("limit", f"time limit reached at {pc:04X}h",
                                          count, start)
                    if self._interrupted:
                        return self._stop("interrupted", f"stopped by Ctrl-C at {pc:04X}h",
                                          count, start)
                if no_run is not None and no_run[pc] and not cpu.halted:
                    return self._stop("unmapped", target.why_not_runnable(pc) + ": stopped "
                                      "before running it", count, start)
                iff, sp = cpu.iff1, cpu.sp
                if trace is not None:
                    mem = cpu.memory
                    code = bytes(mem[(pc + i) & 0xFFFF] for i in range(4))
                    t = step()
                    trace(pc, sp, t, code)
                else:
                    t = step()
                count += 1
                if (iff and not cpu.iff1 and cpu.memory[pc] != 0xF3) or (
                        cpu.pc == 0x66 and t == 11 and cpu.sp == (sp - 2) & 0xFFFF):
                    self._interrupts += 1  # accepted (DI aside, only that clears IFF1)
                if self._hits:
                    return self._stop("watch", "; ".join(self._hits)
                                      + f" (by the instruction at {pc:04X}h)", count, start)
                if stops_on_halt and cpu.halted:
                    return self._stop("halt", f"HALT at {pc:04X}h", count, start)
        finally:
            if restore is not None:
                restore()

    def _stop(self, kind: str, message: str, count: int, start: int) -> Stop:
        self._interrupted = False
        taken, self._interrupts = self._interrupts, 0
        return Stop(kind, message, count, self.target.cpu.cycles - start, taken)

    # -- Ctrl-C ------------------------------------------------------------------------
    def _catch_ctrl_c(self):
        engine = self

        class _Catch:
            def __enter__(self):
                engine._interrupted = False
                self.old = None
                if threading.current_thread() is threading.main_thread():
                    def handler(signum, frame):
                        engine._interrupted = True
                    try:
                        self.old = signal.signal(signal.SIGINT, handler)
                    except ValueError:  # not allowed here (an embedded interpreter)
                        self.old = None

            def __exit__(self, *exc):
                if self.old is not None:
                    signal.signal(signal.SIGINT, self.old)
                return False

        return _Catch()

    def interrupt(self) -> None:
        """Ask a run in progress to stop at the next instruction (or slice)."""
        self._interrupted = True

    # -- watchpoint hooks -----------------------------------------------------------------
    def _hit(self, wp: Watchpoint, what: str) -> None:
        wp.hits += 1
        if wp.hits % wp.count == 0:
            self._hits.append(f"watchpoint #{wp.number}: {what}")

    def _install_watches(self) -> Callable[[], None]:
        cpu = self.target.cpu
        mem = cpu.memory
        saved = cpu.hooks()
        wlimit, wtop, whook = saved.write_limit, saved.write_top, saved.write_handler
        rlo, rhi, rhook = saved.read_lo, saved.read_hi, saved.read_handler
        io_read, io_write = cpu.io_read, cpu.io_write
        reads = [w for w in self.watchpoints if w.kind in ("r", "rw")]
        writes = [w for w in self.watchpoints if w.kind in ("w", "rw")]
        ins = [w for w in self.watchpoints if w.kind in ("in", "io")]
        outs = [w for w in self.watchpoints if w.kind in ("out", "io")]
        hit = self._hit

        if reads:
            def read(addr: int) -> int:
                value = rhook(addr) if rlo <= addr <= rhi else mem[addr]
                for w in reads:
                    if w.lo <= addr <= w.hi:
                        hit(w, f"read {value:02X}h from {addr:04X}h")
                return value
            cpu.set_read_hook(0, 0xFFFF, read)
        if writes:
            def write(addr: int, value: int) -> None:
                if addr < wlimit or addr >= wtop:
                    whook(addr, value)
                else:
                    mem[addr] = value
                for w in writes:
                    if w.lo <= addr <= w.hi:
                        hit(w, f"wrote {value:02X}h to {addr:04X}h")
            cpu.set_write_hook(0x10000, write)
        if ins:
            def port_in(port: int) -> int:
                value = io_read(port)
                for w in ins:
                    if w.lo <= (port & 0xFF) <= w.hi:
                        hit(w, f"IN {value:02X}h from port {port & 0xFF:02X}h")
                return value
            cpu.io_read = port_in
        if outs:
            def port_out(port: int, value: int) -> None:
                io_write(port, value)
                for w in outs:
                    if w.lo <= (port & 0xFF) <= w.hi:
                        hit(w, f"OUT {value:02X}h to port {port & 0xFF:02X}h")
            cpu.io_write = port_out

        def restore() -> None:
            if reads or writes:
                cpu.set_hooks(saved)
            cpu.io_read, cpu.io_write = io_read, io_write

        return restore
