"""The Z80 CPU: registers, the run loop, interrupts and state.

Behaviour comes from the instruction table: `step()` runs the generated
one-instruction handlers in `_steps.py`, and `run()` translates each trace of
code it meets into one Python function (`codegen.trace`, `codegen.block_source`)
and calls that, keeping registers in locals across the trace.  Both paths execute the
same templates, so they agree to the T-state; `run()` single-steps whenever a
block could overrun the T-state budget, so interrupts are taken at exactly the
instruction boundary single-stepping would give.

Interrupt timing (Zilog UM0080, and Sean Young's "Undocumented Z80"): NMI 11 T
to 0066h; IM 0 with an RST on the bus 13 T; IM 1 13 T to 0038h; IM 2 19 T
through the table at I:data.  No maskable interrupt is accepted right after EI,
and one accepted right after LD A,I or LD A,R leaves P/V reset (NMOS).

>>> cpu = Z80()
>>> cpu.memory[0:5] = bytes([0x3E, 0x41, 0x3C, 0x76, 0x00])   # LD A,41h; INC A; HALT
>>> cpu.run(15), hex(cpu.a), cpu.halted, cpu.pc
(15, '0x42', 1, 4)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from z80emu.cpu import _steps
from z80emu.cpu.codegen import PLAIN, MemoryLayout, block_source, trace
from z80emu.cpu.tables import TABLES

MAX_BLOCK = 48        # instructions translated into one function at most
NO_HOOK = 0x10000     # a read-hook bound no address reaches
MAX_CACHE = 20_000    # translations kept for reuse (the oldest go first)
RETRANSLATE_LIMIT = 32  # code rewritten this often is single-stepped instead
STEP_ONLY = 1 << 62   # a "longest pass" no budget admits: the run loop steps there
HOT = 512              # an address is translated once run() has reached it this often

# The execution engines run() can use (step() always executes one instruction):
# "translate" runs translated traces of Python code, "interpret" steps
# instruction by instruction.  Both give identical results; see docs/cpu.md.
ENGINES = ("translate", "interpret")
DEFAULT_ENGINE = "translate"

# Translations shared by every CPU: (address, code bytes, memory layout) -> (fn, tmax)
_CACHE: dict[tuple, tuple[Callable, int]] = {}

_R8 = ("a", "f", "b", "c", "d", "e", "h", "l", "i", "r")
_R16 = ("sp", "pc", "ix", "iy", "wz", "af_", "bc_", "de_", "hl_")


class Hooks(NamedTuple):
    """The CPU's memory hooks (see Z80.set_write_hook and Z80.set_read_hook)."""

    write_limit: int
    write_top: int
    write_handler: Callable[[int, int], None] | None
    read_lo: int
    read_hi: int
    read_handler: Callable[[int], int] | None
    mapped: tuple[int, int, bytes] | None


def _default_read(port: int) -> int:
    return 0xFF


def _default_write(port: int, value: int) -> None:
    return None


class Z80:
    """An NMOS Z80 with 64 KB of memory and callback I/O."""

    __slots__ = (
        "a", "f", "b", "c", "d", "e", "h", "l", "i", "r",
        "sp", "pc", "ix", "iy", "wz", "af_", "bc_", "de_", "hl_",
        "q", "iff1", "iff2", "im", "_halted", "cycles", "ei_at", "ldair_at",
        "io_read", "io_write", "whook", "wlimit", "wtop", "rhook", "rlo", "rhi", "rmap",
        "codemap", "_layout", "_mapped",
        "_mem", "_int_line", "_irq_data", "_nmi", "_pending",
        "_blocks", "_btmax", "_bepoch", "_bcode", "_covers", "_epoch", "_touched", "_retrans",
        "_interpret", "_heat",
    )

    def __init__(self, memory: bytearray | None = None,
                 io_read: Callable[[int], int] | None = None,
                 io_write: Callable[[int, int], None] | None = None,
                 engine: str = DEFAULT_ENGINE) -> None:
        self.engine = engine
        self._mem = memory if memory is not None else bytearray(0x10000)
        if len(self._mem) != 0x10000:
            raise ValueError(f"Z80 memory must be 65536 bytes, not {len(self._mem)}")
        self.io_read = io_read or _default_read
        self.io_write = io_write or _default_write
        self.whook: Callable[[int, int], None] | None = None
        self.wlimit, self.wtop = 0, 0x10000
        self.rmap: bytes | None = None
        self._layout = PLAIN
        self._mapped: tuple[int, int] | None = None
        self.rhook: Callable[[int], int] | None = None
        self.rlo, self.rhi = NO_HOOK, -1
        self.codemap = bytearray(0x10000)
        self._blocks: list = [None] * 0x10000
        self._btmax = [0] * 0x10000
        self._bepoch = [0] * 0x10000
        self._bcode: dict[int, list[tuple[int, bytes]]] = {}   # start -> code segments
        self._covers: dict[int, list[int]] = {}                # code byte -> starts
        self._retrans: dict[int, int] = {}                     # start -> translations
        self._heat = [0] * 0x10000     # visits of run() to an address not yet translated
        self._epoch = 1            # blocks whose epoch differs are rechecked before use
        self._touched = False
        self.cycles = 0
        self.reset()

    @property
    def engine(self) -> str:
        """How run() executes: "translate" (translated traces) or "interpret"
        (one instruction at a time).  May be changed between run() calls."""
        return "interpret" if self._interpret else "translate"

    @engine.setter
    def engine(self, name: str) -> None:
        if name not in ENGINES:
            raise ValueError(f"unknown engine {name!r}: choose from {', '.join(ENGINES)}")
        self._interpret = name == "interpret"

    # -- registers -----------------------------------------------------------------

    def reset(self) -> None:
        """Power-on/reset state: PC 0, interrupts off, IM 0; other registers FFh-filled."""
        for name in _R8:
            setattr(self, name, 0xFF)
        for name in _R16:
            setattr(self, name, 0xFFFF)
        self.i = self.r = 0
        self.pc = self.wz = 0
        self.q = 0
        self.iff1 = self.iff2 = self.im = 0
        self._halted = 0
        self.ei_at = self.ldair_at = -1
        self._int_line = False
        self._irq_data: int | None = None
        self._nmi = False
        self._pending = False

    @property
    def memory(self) -> bytearray:
        """The 64 KB the CPU runs in.  Changes made through this attribute are
        noticed by the next run(); code that keeps its own reference to the
        bytearray calls code_changed() after writing code into it."""
        self._touched = True
        return self._mem

    @memory.setter
    def memory(self, value: bytearray) -> None:
        self._mem = value
        self._flush()

    def _pair(hi: str, lo: str):  # noqa: N805 - a property factory used in the class body
        def get(self) -> int:
            return getattr(self, hi) << 8 | getattr(self, lo)

        def set_(self, value: int) -> None:
            setattr(self, hi, (value >> 8) & 0xFF)
            setattr(self, lo, value & 0xFF)
        return property(get, set_)

    af = _pair("a", "f")
    bc = _pair("b", "c")
    de = _pair("d", "e")
    hl = _pair("h", "l")
    del _pair

    # -- memory hooks (for machines) --------------------------------------------------

    def set_write_hook(self, limit: int, handler: Callable[[int, int], None] | None,
                       top: int = 0x10000) -> None:
        """Send data writes below `limit`, and at `top` and above, to handler(addr,
        value) instead of memory (the handler stores what it wants to keep)."""
        if handler is None:
            self.wlimit, self.wtop, self.whook = 0, 0x10000, None
        else:
            self.wlimit, self.wtop, self.whook = limit, top, handler
        self._relayout()

    def set_read_hook(self, lo: int, hi: int, handler: Callable[[int], int] | None,
                      mapped: tuple[int, int, bytes] | None = None) -> None:
        """Serve data reads of lo..hi (not opcode fetches) from handler(addr).

        `mapped` = (mlo, mhi, table) marks a part of that range whose reads are
        simply table[memory[addr]] (a bit gate, say): translated code then reads
        it without calling the handler, which must give the same answers there.
        """
        if handler is None:
            self.rlo, self.rhi, self.rhook, self.rmap = NO_HOOK, -1, None, None
        else:
            self.rlo, self.rhi, self.rhook = lo, hi, handler
            self.rmap = bytes(mapped[2]) if mapped else None
        self._mapped = mapped[:2] if mapped and handler else None
        self._relayout()

    def hooks(self) -> Hooks:
        """The memory hooks now in force, to put back later with set_hooks()."""
        mapped = (*self._mapped, self.rmap) if self._mapped and self.rmap else None
        return Hooks(self.wlimit, self.wtop, self.whook, self.rlo, self.rhi, self.rhook,
                     mapped)

    def set_hooks(self, hooks: Hooks) -> None:
        """Install hooks as hooks() returned them."""
        self.set_write_hook(hooks.write_limit, hooks.write_handler, top=hooks.write_top)
        self.set_read_hook(hooks.read_lo, hooks.read_hi, hooks.read_handler,
                           mapped=hooks.mapped)

    def _relayout(self) -> None:
        mapped = self._mapped
        self._layout = MemoryLayout(
            wlimit=self.wlimit, wtop=self.wtop,
            rlo=self.rlo if self.rhook else None, rhi=self.rhi if self.rhook else None,
            mlo=mapped[0] if mapped else None, mhi=mapped[1] if mapped else None)
        self._flush()

    def write(self, addr: int, value: int) -> None:
        """A CPU-side write (interrupt pushes, debuggers): hooks and code tracking apply."""
        addr &= 0xFFFF
        if addr < self.wlimit or addr >= self.wtop:
            self.whook(addr, value)
        else:
            self._mem[addr] = value
        if self.codemap[addr]:
            self.smc(addr)

    def read(self, addr: int) -> int:
        addr &= 0xFFFF
        if self.rlo <= addr <= self.rhi:
            return self.rhook(addr)
        return self._mem[addr]

    # -- interrupts --------------------------------------------------------------------

    @property
    def halted(self) -> int:
        """1 while the CPU idles after HALT, until an interrupt (PC is past the HALT)."""
        return self._halted

    @halted.setter
    def halted(self, value: int) -> None:
        self._halted = int(bool(value))
        self._update_pending()

    def _update_pending(self) -> None:
        self._pending = bool(self._int_line or self._nmi or self._irq_data is not None
                             or self._halted)

    @property
    def int_line(self) -> bool:
        """The level-triggered /INT line: held by a device until it is serviced."""
        return self._int_line

    @int_line.setter
    def int_line(self, level: bool) -> None:
        self._int_line = bool(level)
        self._update_pending()

    def irq(self, data: int = 0xFF) -> None:
        """Request one maskable interrupt with `data` on the bus (RST 38h by default)."""
        self._irq_data = data & 0xFF
        self._pending = True

    def nmi(self) -> None:
        """Pulse /NMI: taken at the next instruction boundary."""
        self._nmi = True
        self._pending = True

    def _push(self, value: int) -> None:
        self.sp = (self.sp - 1) & 0xFFFF
        self.write(self.sp, value >> 8)
        self.sp = (self.sp - 1) & 0xFFFF
        self.write(self.sp, value & 0xFF)

    def _interrupt(self) -> int:
        """Accept a pending interrupt if one can be taken now; its T-states, else 0."""
        if self._nmi:
            self._nmi = False
            self.halted = 0
            self.iff1 = 0
            self.r = (self.r & 0x80) | ((self.r + 1) & 0x7F)
            self._push(self.pc)
            self.pc = self.wz = 0x66
            return 11
        if not (self._int_line or self._irq_data is not None):
            return 0
        if not self.iff1 or self.cycles == self.ei_at:
            return 0
        data = self._irq_data if self._irq_data is not None else 0xFF
        self._irq_data = None
        if self.cycles == self.ldair_at:
            self.f &= 0xFB     # LD A,I / LD A,R interrupted: P/V reads as 0 (NMOS)
        self.iff1 = self.iff2 = 0
        self.halted = 0
        self.r = (self.r & 0x80) | ((self.r + 1) & 0x7F)
        self.q = 0
        self._push(self.pc)
        if self.im == 2:
            vector = self.i << 8 | data
            self.pc = self.read(vector) | self.read((vector + 1) & 0xFFFF) << 8
            self.wz = self.pc
            return 19
        if self.im == 1:
            self.pc = self.wz = 0x38
            return 13
        # IM 0: the byte on the bus is executed; peripherals put an RST there (the
        # Model I's floating bus reads FFh = RST 38h).  Other opcodes are taken as
        # the RST with the same bits 5-3.
        self.pc = self.wz = data & 0x38
        return 13

    # -- execution ----------------------------------------------------------------------

    def step(self) -> int:
        """Execute one instruction (or accept an interrupt, or idle one HALT cycle)."""
        if self._pending:
            t = self._interrupt()
            if t:
                self.cycles += t
                return t
        self.r = (self.r & 0x80) | ((self.r + 1) & 0x7F)
        if self._halted:
            self.cycles += 4
            return 4
        mem = self._mem
        t = _steps.MAIN[mem[self.pc]](self, mem)
        self.cycles += t
        return t

    def run(self, tstates: int) -> int:
        """Run whole instructions until at least `tstates` T-states have passed."""
        if self._interpret:
            return self._run_steps(tstates)
        start = cyc = self.cycles
        limit = start + tstates
        mem = self._mem
        blocks, btmax, bepoch = self._blocks, self._btmax, self._bepoch
        if self._touched:          # memory may have changed outside: recheck each block
            self._touched = False  # once, lazily, when it is next entered
            self._epoch += 1
        epoch = self._epoch
        while cyc < limit:
            # (an INT line held while interrupts are off, as under Level II with the
            # heartbeat latch never read, changes nothing here)
            if self._pending and (self.iff1 or self._nmi or self._halted):
                self.cycles = cyc
                if self._idle_or_interrupt(limit):
                    cyc = self.cycles
                    continue
            pc = self.pc
            if bepoch[pc] != epoch and not self._prepare(pc, epoch):
                self.cycles = cyc          # not run often enough yet to be worth translating
                cyc += self.step()
                continue
            self.cycles = cyc
            if btmax[pc] > limit - cyc:
                cyc += self.step()
            else:
                cyc += blocks[pc](self, mem, limit - cyc)
        self.cycles = cyc
        return cyc - start

    def _run_steps(self, tstates: int) -> int:
        """run() for the "interpret" engine: one step() after another."""
        start = self.cycles
        limit = start + tstates
        step = self.step
        while self.cycles < limit:
            step()
        return self.cycles - start

    def _idle_or_interrupt(self, limit: int) -> bool:
        """The run loop's slow path: take an interrupt, or idle while halted."""
        t = self._interrupt()
        if t:
            self.cycles += t
            return True
        if self._halted:
            # Idle in 4-T NOP cycles up to the limit (R keeps counting).
            n = max(0, (limit - self.cycles + 3) >> 2)
            self.r = (self.r & 0x80) | ((self.r + n) & 0x7F)
            self.cycles += n << 2
            return True
        if self.iff1 and (self._int_line or self._irq_data is not None):
            self.step()      # held off by EI for one instruction: run just that one
            return True
        return False

    # -- translation -------------------------------------------------------------------

    def _fetch(self, addr: int, n: int) -> bytes:
        mem = self._mem
        if addr + n <= 0x10000:
            return bytes(mem[addr:addr + n])
        return bytes(mem[(addr + i) & 0xFFFF] for i in range(n))

    def _prepare(self, pc: int, epoch: int) -> bool:
        """Make sure a current translation starts at pc; False when the address has
        not been reached often enough yet (it is stepped: code that runs only a few
        times costs more to translate than to interpret)."""
        segments = self._bcode.get(pc)
        if segments is not None:
            fetch = self._fetch
            if all(fetch(addr, len(data)) == data for addr, data in segments):
                self._bepoch[pc] = epoch
                return True
            self._drop(pc)
        else:
            heat = self._heat[pc] + 1
            if heat < HOT:
                self._heat[pc] = heat
                return False
        self._translate(pc)
        self._bepoch[pc] = epoch
        return True

    def _translate(self, pc: int) -> None:
        count = self._retrans[pc] = self._retrans.get(pc, 0) + 1
        if count > RETRANSLATE_LIMIT:
            # Code that keeps rewriting itself costs more to translate than to step.
            self._blocks[pc], self._btmax[pc], self._bcode[pc] = None, STEP_ONLY, []
            return
        instrs = trace(self._fetch, pc, MAX_BLOCK)
        segments: list[tuple[int, bytes]] = []
        for addr, _, data, _ in instrs:
            if segments and (segments[-1][0] + len(segments[-1][1])) & 0xFFFF == addr:
                segments[-1] = (segments[-1][0], segments[-1][1] + data)
            else:
                segments.append((addr, data))
        key = (pc, tuple(segments), self._layout, self.rmap)
        entry = _CACHE.get(key)
        if entry is None:
            src, tmax = block_source(instrs, self._layout)
            namespace = dict(TABLES)
            exec(compile(src, f"<z80 block {pc:04X}>", "exec"), namespace)  # noqa: S102
            entry = _CACHE[key] = (namespace["block"], tmax)
            if len(_CACHE) > MAX_CACHE:
                del _CACHE[next(iter(_CACHE))]
        self._blocks[pc], self._btmax[pc] = entry
        self._bcode[pc] = segments
        codemap, covers = self.codemap, self._covers
        for addr, data in segments:
            for i in range(len(data)):
                a = (addr + i) & 0xFFFF
                owners = covers.setdefault(a, [])
                if pc not in owners:
                    owners.append(pc)
                    codemap[a] = min(len(owners), 255)

    def _drop(self, pc: int) -> None:
        segments = self._bcode.pop(pc, None)
        if segments is None:
            return
        self._blocks[pc] = None
        self._bepoch[pc] = 0
        codemap, covers = self.codemap, self._covers
        for addr, data in segments:
            for i in range(len(data)):
                a = (addr + i) & 0xFFFF
                owners = covers.get(a)
                if owners and pc in owners:
                    owners.remove(pc)
                    codemap[a] = min(len(owners), 255)
                    if not owners:
                        del covers[a]

    def smc(self, addr: int) -> bool:
        """Translated code at addr was written: forget every block that covers it."""
        for pc in list(self._covers.get(addr, ())):
            self._drop(pc)
        return True

    def code_changed(self) -> None:
        """Memory changed outside the CPU (a loader, a poke, a debugger): the next
        run() checks each translated block against memory before using it."""
        self._touched = True
        self._retrans.clear()

    def _flush(self) -> None:
        """Forget every translation (the hooks they were made for have changed)."""
        for pc in list(self._bcode):
            self._drop(pc)
        self.codemap[:] = bytes(0x10000)
        self._covers.clear()
        self._retrans.clear()

    # -- state ---------------------------------------------------------------------------

    STATE_FIELDS = _R8 + _R16 + ("q", "iff1", "iff2", "im", "halted", "cycles", "ei_at",
                                 "ldair_at")

    def get_state(self) -> dict:
        """Every register and internal latch, as plain integers (JSON-friendly)."""
        state = {name: int(getattr(self, name)) for name in self.STATE_FIELDS}
        state.update(int_line=self._int_line, nmi=self._nmi,
                     irq_data=self._irq_data)
        return state

    def set_state(self, state: dict) -> None:
        """Restore what get_state() returned."""
        missing = [k for k in self.STATE_FIELDS if k not in state]
        if missing:
            raise ValueError(f"CPU state lacks {', '.join(missing)}")
        for name in self.STATE_FIELDS:
            setattr(self, name, int(state[name]))
        self._nmi = bool(state.get("nmi", False))
        self._irq_data = state.get("irq_data")
        self.int_line = bool(state.get("int_line", False))

    def __repr__(self) -> str:
        return (f"Z80(pc={self.pc:04X} sp={self.sp:04X} af={self.af:04X} bc={self.bc:04X} "
                f"de={self.de:04X} hl={self.hl:04X} ix={self.ix:04X} iy={self.iy:04X} "
                f"cycles={self.cycles})")
