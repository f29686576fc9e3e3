"""Speed benchmarks: fixed Z80 workloads timed on our CPU and, when installed, on others.

Each workload is a small Z80 program of ours, hand-assembled below with its
source beside the bytes. It repeats a *pass* a given number of times (a 16-bit
count patched into its first ``LD BC,nn``), then executes ``HALT``; its result
in memory is checked after every run, so a fast wrong CPU cannot score.

- ``mix``: a 16-bit counter loop of 1,000 turns over loads, 8-bit ALU, rotates,
  CALL/RET, PUSH/POP, DJNZ, (IX+d) read-modify-write and ``RR r``, then ``EXX``
  and a 1 KB ``LDIR``.
- ``sieve``: a byte sieve of Eratosthenes over 8,192 flags, counting the primes
  below 8192 (there are 1,028).

How instructions and T-states are counted: running ``cpu.step()`` per instruction
would measure the stepping, not the CPU, so every core runs the program at full
speed and the counts come from the program itself. Each program executes a fixed
prologue/epilogue plus ``passes`` identical passes, so a count is
``fixed + passes * per_pass``. The per-pass figures are worked out from the code:
arithmetic for ``mix`` (no branch depends on data), and a walk of the sieve's
control flow in Python for ``sieve`` (see ``_sieve_pass_counts``), using the
Z80 manual's T-states. Every repetition of ``LDIR`` counts as one instruction,
as it is one fetch-and-execute of the CPU. The tests single-step both programs on
our CPU and require the same counts exactly.

Emulated MHz is T-states / wall seconds / 10^6; "x Model I" divides that by the
TRS-80 Model I's 1.77408 MHz clock.

Other cores, run in the same process when their packages are installed:
``z80-python`` (imports as ``z80_python``; pure Python, driven by ``Z80CPU.step()``
in a counted loop, as it has no run-for-N-T-states call) and ``z80`` (Ivan
Kosarev's C++ core with Python bindings; ``Z80Machine.run()`` with
``ticks_to_stop``). The measuring pieces (``Workload``, ``Measurement``,
``measure_workload``, ``format_table``) are meant for the machine benchmarks too.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import platform
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import click

MODEL_I_MHZ = 1.77408  # the TRS-80 Model I CPU clock
MAX_PASSES = 0xFFFF  # the pass count is a 16-bit register pair


class WorkloadError(Exception):
    """A workload ended with the wrong result (or did not end)."""


# --- the programs -----------------------------------------------------------------
#
# Each listing is (bytes in hex, source line). Joined, the first column is the
# program image at ORG; the second is its assembly source.

MIX_LISTING: tuple[tuple[str, str], ...] = (
    ("", "WORK    EQU  3000h              ; (IX+0) last checksum low byte, (IX+1) call count"),
    ("", "RESULT  EQU  3010h              ; final HL, then final DE"),
    ("", "        ORG  0100h"),
    ("31 00 F0", "START:  LD   SP,0F000h"),
    ("DD 21 00 30", "        LD   IX,WORK"),
    ("01 01 00", "        LD   BC,1               ; passes (patched)"),
    ("C5", "PASS:   PUSH BC"),
    ("21 00 00", "        LD   HL,0               ; checksum"),
    ("11 00 00", "        LD   DE,0               ; mixing state"),
    ("01 E8 03", "        LD   BC,1000            ; the 16-bit loop counter"),
    ("79", "INNER:  LD   A,C"),
    ("A8", "        XOR  B"),
    ("83", "        ADD  A,E"),
    ("5F", "        LD   E,A"),
    ("07", "        RLCA                    ; its carry feeds the ADC"),
    ("8A", "        ADC  A,D"),
    ("57", "        LD   D,A"),
    ("CD 40 01", "        CALL MIXSTEP"),
    ("0B", "        DEC  BC"),
    ("78", "        LD   A,B"),
    ("B1", "        OR   C"),
    ("C2 14 01", "        JP   NZ,INNER"),
    ("D9", "        EXX"),
    ("21 00 00", "        LD   HL,0000h           ; copy the first 1 KB of memory"),
    ("11 00 40", "        LD   DE,4000h           ; to 4000h"),
    ("01 00 04", "        LD   BC,0400h"),
    ("ED B0", "        LDIR"),
    ("D9", "        EXX"),
    ("C1", "        POP  BC"),
    ("0B", "        DEC  BC"),
    ("78", "        LD   A,B"),
    ("B1", "        OR   C"),
    ("C2 0A 01", "        JP   NZ,PASS"),
    ("22 10 30", "        LD   (RESULT),HL"),
    ("ED 53 12 30", "        LD   (RESULT+2),DE"),
    ("76", "        HALT"),
    ("19", "MIXSTEP: ADD HL,DE              ; carry out goes into H below"),
    ("DD 75 00", "        LD   (IX+0),L"),
    ("DD 34 01", "        INC  (IX+1)"),
    ("C5", "        PUSH BC"),
    ("06 03", "        LD   B,3"),
    ("10 FE", "SPIN:   DJNZ SPIN"),
    ("C1", "        POP  BC"),
    ("CB 1C", "        RR   H"),
    ("C9", "        RET"),
)

SIEVE_LISTING: tuple[tuple[str, str], ...] = (
    ("", "FLAGS   EQU  2000h              ; 8192 flags, one per number 0-8191"),
    ("", "COUNT   EQU  1F00h              ; the number of primes found"),
    ("", "        ORG  0100h"),
    ("31 00 F0", "START:  LD   SP,0F000h"),
    ("01 01 00", "        LD   BC,1               ; passes (patched)"),
    ("C5", "PASS:   PUSH BC"),
    ("21 00 20", "        LD   HL,FLAGS           ; every number starts as a candidate"),
    ("36 01", "        LD   (HL),1"),
    ("11 01 20", "        LD   DE,FLAGS+1"),
    ("01 FF 1F", "        LD   BC,8191"),
    ("ED B0", "        LDIR"),
    ("DD 21 00 00", "        LD   IX,0               ; primes found"),
    ("01 02 00", "        LD   BC,2               ; BC = i"),
    ("21 02 20", "        LD   HL,FLAGS+2         ; HL = the flag of i"),
    ("7E", "SCAN:   LD   A,(HL)"),
    ("B7", "        OR   A"),
    ("28 0F", "        JR   Z,NEXT"),
    ("DD 23", "        INC  IX                 ; i is prime"),
    ("E5", "        PUSH HL"),
    ("09", "        ADD  HL,BC              ; the flag of 2i"),
    ("7C", "MARK:   LD   A,H"),
    ("FE 40", "        CP   40h                ; past FLAGS+8191?"),
    ("30 05", "        JR   NC,MARKED"),
    ("36 00", "        LD   (HL),0             ; a multiple of i is not prime"),
    ("09", "        ADD  HL,BC"),
    ("18 F6", "        JR   MARK"),
    ("E1", "MARKED: POP  HL"),
    ("23", "NEXT:   INC  HL"),
    ("03", "        INC  BC"),
    ("7C", "        LD   A,H"),
    ("FE 40", "        CP   40h"),
    ("38 E6", "        JR   C,SCAN"),
    ("DD 22 00 1F", "        LD   (COUNT),IX"),
    ("C1", "        POP  BC"),
    ("0B", "        DEC  BC"),
    ("78", "        LD   A,B"),
    ("B1", "        OR   C"),
    ("C2 06 01", "        JP   NZ,PASS"),
    ("76", "        HALT"),
)

ORIGIN = 0x0100
PASSES_OPERAND = {"mix": 0x0108, "sieve": 0x0104}  # address of the nn of LD BC,nn

MIX_INNER_TURNS = 1000
MIX_WORK = 0x3000
MIX_RESULT = 0x3010
MIX_COPY_SRC, MIX_COPY_DST, MIX_COPY_LEN = 0x0000, 0x4000, 0x0400

SIEVE_SIZE = 8192
SIEVE_FLAGS = 0x2000
SIEVE_COUNT = 0x1F00
PRIMES_BELOW_8192 = 1028


def assemble_listing(listing: Sequence[tuple[str, str]]) -> bytes:
    """The program image: the listing's hex column, concatenated."""
    return b"".join(bytes.fromhex(hexbytes) for hexbytes, _ in listing)


def listing_source(listing: Sequence[tuple[str, str]]) -> str:
    """The listing's assembly source, one line per entry."""
    return "".join(source + "\n" for _, source in listing)


# --- expected results and counts ----------------------------------------------------


def _mix_model() -> tuple[int, int, int]:
    """HL, DE and (IX+0) after one pass of ``mix``, computed in Python."""
    hl = de = work0 = 0
    for bc in range(MIX_INNER_TURNS, 0, -1):
        e, d = de & 0xFF, de >> 8
        a = (((bc & 0xFF) ^ (bc >> 8)) + e) & 0xFF  # LD A,C / XOR B / ADD A,E
        e = a
        carry = a >> 7  # RLCA
        a = ((a << 1) | carry) & 0xFF
        d = (a + d + carry) & 0xFF  # ADC A,D / LD D,A
        de = d << 8 | e
        total = hl + de  # MIXSTEP: ADD HL,DE
        carry, hl = total >> 16, total & 0xFFFF
        work0 = hl & 0xFF  # LD (IX+0),L
        hl = ((carry << 7 | hl >> 9) << 8) | (hl & 0xFF)  # RR H
    return hl, de, work0


def _mix_counts(passes: int) -> tuple[int, int]:
    """Instructions and T-states of ``mix`` for ``passes`` passes.

    Per inner turn: LD A,C; XOR B; ADD A,E; LD E,A; RLCA; ADC A,D; LD D,A (7 x 4 T),
    CALL 17, ADD HL,DE 11, LD (IX+0),L 19, INC (IX+1) 23, PUSH BC 11, LD B,n 7,
    DJNZ 13+13+8, POP BC 10, RR H 8, RET 10, DEC BC 6, LD A,B 4, OR C 4, JP 10:
    23 instructions, 202 T. Per pass besides the turns: PUSH BC 11, LD HL/DE/BC
    3 x 10, EXX 4, LD HL/DE/BC 3 x 10, LDIR 1023 x 21 + 16, EXX 4, POP BC 10,
    DEC BC 6, LD A,B 4, OR C 4, JP 10: 1,038 instructions, 21,612 T. Fixed:
    LD SP 10, LD IX 14, LD BC 10, LD (nn),HL 16, LD (nn),DE 20, HALT 4.
    """
    turn_instructions, turn_tstates = 23, 202
    per_pass_instructions = MIX_INNER_TURNS * turn_instructions + 14 + MIX_COPY_LEN
    per_pass_tstates = MIX_INNER_TURNS * turn_tstates + 113 + (MIX_COPY_LEN - 1) * 21 + 16
    fixed_instructions, fixed_tstates = 6, 10 + 14 + 10 + 16 + 20 + 4
    return (
        fixed_instructions + passes * per_pass_instructions,
        fixed_tstates + passes * per_pass_tstates,
    )


def _sieve_pass_counts() -> tuple[int, int]:
    """Instructions and T-states of one pass of ``sieve``, by walking its control flow."""
    flags = bytearray([1]) * SIEVE_SIZE
    # PUSH BC, LD HL, LD (HL),n, LD DE, LD BC, LDIR (8191 repetitions), LD IX, LD BC, LD HL
    instructions = 5 + (SIEVE_SIZE - 1) + 3
    tstates = 11 + 10 + 10 + 10 + 10 + (SIEVE_SIZE - 2) * 21 + 16 + 14 + 10 + 10
    for i in range(2, SIEVE_SIZE):
        jr_c = 7 if i == SIEVE_SIZE - 1 else 12  # JR C,SCAN falls through after the last
        next_part = 6 + 6 + 4 + 7 + jr_c  # INC HL, INC BC, LD A,H, CP n, JR C
        if flags[i]:
            multiples = range(2 * i, SIEVE_SIZE, i)
            for j in multiples:
                flags[j] = 0
            m = len(multiples)
            # LD A,(HL) 7, OR A 4, JR Z 7, INC IX 10, PUSH HL 11, ADD HL,BC 11;
            # m x (LD A,H 4, CP n 7, JR NC 7, LD (HL),n 10, ADD HL,BC 11, JR 12);
            # LD A,H 4, CP n 7, JR NC 12; POP HL 10; then the NEXT part.
            instructions += 6 + 6 * m + 3 + 1 + 5
            tstates += 50 + 51 * m + 23 + 10 + next_part
        else:
            # LD A,(HL) 7, OR A 4, JR Z 12, then the NEXT part.
            instructions += 3 + 5
            tstates += 23 + next_part
    # LD (nn),IX 20, POP BC 10, DEC BC 6, LD A,B 4, OR C 4, JP 10
    instructions += 6
    tstates += 20 + 10 + 6 + 4 + 4 + 10
    return instructions, tstates


_SIEVE_PASS: tuple[int, int] | None = None


def _sieve_counts(passes: int) -> tuple[int, int]:
    global _SIEVE_PASS
    if _SIEVE_PASS is None:
        _SIEVE_PASS = _sieve_pass_counts()
    per_pass_instructions, per_pass_tstates = _SIEVE_PASS
    # Fixed: LD SP,nn 10, LD BC,nn 10, HALT 4.
    return 3 + passes * per_pass_instructions, 24 + passes * per_pass_tstates


def expected_sieve_flags() -> bytes:
    """The flag array the sieve leaves: 1 for 0, 1 and every prime, 0 elsewhere."""
    flags = bytearray([1]) * SIEVE_SIZE
    for i in range(2, SIEVE_SIZE):
        if flags[i]:
            flags[2 * i :: i] = bytes(len(range(2 * i, SIEVE_SIZE, i)))
    return bytes(flags)


def _check_mix(memory: bytes | bytearray | memoryview, passes: int) -> None:
    hl, de, work0 = _mix_model()
    got_hl = memory[MIX_RESULT] | memory[MIX_RESULT + 1] << 8
    got_de = memory[MIX_RESULT + 2] | memory[MIX_RESULT + 3] << 8
    if (got_hl, got_de) != (hl, de):
        raise WorkloadError(
            f"mix: checksum HL={got_hl:04X}h DE={got_de:04X}h, expected {hl:04X}h {de:04X}h"
        )
    calls = (passes * MIX_INNER_TURNS) & 0xFF
    if memory[MIX_WORK] != work0 or memory[MIX_WORK + 1] != calls:
        raise WorkloadError(
            f"mix: (IX+0),(IX+1) = {memory[MIX_WORK]:02X}h,{memory[MIX_WORK + 1]:02X}h, "
            f"expected {work0:02X}h,{calls:02X}h"
        )
    src = bytes(memory[MIX_COPY_SRC : MIX_COPY_SRC + MIX_COPY_LEN])
    dst = bytes(memory[MIX_COPY_DST : MIX_COPY_DST + MIX_COPY_LEN])
    if src != dst:
        bad = next(i for i in range(MIX_COPY_LEN) if src[i] != dst[i])
        raise WorkloadError(f"mix: LDIR copy differs at {MIX_COPY_DST + bad:04X}h")


def _check_sieve(memory: bytes | bytearray | memoryview, passes: int) -> None:
    count = memory[SIEVE_COUNT] | memory[SIEVE_COUNT + 1] << 8
    if count != PRIMES_BELOW_8192:
        raise WorkloadError(f"sieve: counted {count} primes below 8192, expected 1028")
    flags = bytes(memory[SIEVE_FLAGS : SIEVE_FLAGS + SIEVE_SIZE])
    if flags != expected_sieve_flags():
        raise WorkloadError("sieve: the flag array differs from the true sieve")


@dataclass(frozen=True)
class Workload:
    """A benchmark program: its image, how to set its passes, count and check it."""

    name: str
    description: str
    listing: tuple[tuple[str, str], ...]
    passes_operand: int  # address of the 16-bit pass count
    counts: Callable[[int], tuple[int, int]]  # passes -> (instructions, T-states)
    check: Callable[[bytes | bytearray | memoryview, int], None]  # raises WorkloadError
    origin: int = ORIGIN

    @property
    def code(self) -> bytes:
        return assemble_listing(self.listing)

    @property
    def source(self) -> str:
        return listing_source(self.listing)

    def image(self, passes: int) -> bytes:
        """The program with its pass count set (1-65535)."""
        if not 1 <= passes <= MAX_PASSES:
            raise ValueError(f"passes must be 1-{MAX_PASSES}, not {passes}")
        code = bytearray(self.code)
        offset = self.passes_operand - self.origin
        if code[offset - 1] != 0x01:  # the operand of LD BC,nn
            raise ValueError(f"{self.name}: no LD BC,nn before {self.passes_operand:04X}h")
        code[offset : offset + 2] = passes.to_bytes(2, "little")
        return bytes(code)


WORKLOADS: dict[str, Workload] = {
    "mix": Workload(
        "mix",
        "16-bit counter loop over an instruction mix, then a 1 KB LDIR",
        MIX_LISTING,
        PASSES_OPERAND["mix"],
        _mix_counts,
        _check_mix,
    ),
    "sieve": Workload(
        "sieve",
        "byte sieve of Eratosthenes over 8192 flags (1028 primes)",
        SIEVE_LISTING,
        PASSES_OPERAND["sieve"],
        _sieve_counts,
        _check_sieve,
    ),
}


# --- the cores ------------------------------------------------------------------------


class Core(ABC):
    """One Z80 implementation, driven to run a program image until its HALT."""

    name = "?"
    package = "?"  # the import name that tells whether it is installed

    @abstractmethod
    def load(self, image: bytes, origin: int) -> None:
        """A fresh CPU with ``image`` in zeroed memory at ``origin`` and PC there."""

    @abstractmethod
    def run(self, instructions: int, tstates: int) -> None:
        """Run the loaded program; it executes exactly this many of each, ending in HALT."""

    @abstractmethod
    def memory(self) -> bytes | bytearray | memoryview:
        """The 64 KB the program ran in."""

    @abstractmethod
    def halted(self) -> bool:
        """Whether the CPU is halted."""


class OurCore(Core):
    name = "z80emu"
    package = "z80emu"
    engine = "translate"

    def __init__(self) -> None:
        from z80emu.cpu import Z80

        self._z80 = Z80

    def load(self, image: bytes, origin: int) -> None:
        self._mem = bytearray(0x10000)
        self._mem[origin : origin + len(image)] = image
        self.cpu = self._z80(memory=self._mem, engine=self.engine)
        self.cpu.pc = origin

    def run(self, instructions: int, tstates: int) -> None:
        cpu = self.cpu
        spent = cpu.run(tstates)
        # run() stops at or just past the budget; the HALT is the program's last
        # instruction, so a correct CPU is halted now. Allow a little slack for a
        # CPU that is not, then give up (the check will say what went wrong).
        while not cpu.halted and spent < tstates + 1000:
            spent += cpu.run(100)

    def memory(self) -> bytearray:
        return self._mem

    def halted(self) -> bool:
        return bool(self.cpu.halted)


class Z80PythonCore(Core):
    """The ``z80-python`` package: ``Z80CPU(read_byte, write_byte)`` and ``step()``."""

    name = "z80-python"
    package = "z80_python"

    def __init__(self) -> None:
        self._cls = importlib.import_module("z80_python").Z80CPU

    def load(self, image: bytes, origin: int) -> None:
        self._mem = bytearray(0x10000)
        self._mem[origin : origin + len(image)] = image
        self.cpu = self._cls(self._mem.__getitem__, self._mem.__setitem__)
        self.cpu.pc = origin

    def run(self, instructions: int, tstates: int) -> None:
        step = self.cpu.step
        for _ in range(instructions):
            step()

    def memory(self) -> bytearray:
        return self._mem

    def halted(self) -> bool:
        return bool(self.cpu.halted)


class KosarevCore(Core):
    """The ``z80`` package (C++ core): ``Z80Machine`` run for ``ticks_to_stop`` T-states."""

    name = "z80"
    package = "z80"

    def __init__(self) -> None:
        self._cls = importlib.import_module("z80").Z80Machine

    def load(self, image: bytes, origin: int) -> None:
        self.machine = self._cls()
        self.machine.set_memory_block(origin, image)
        self.machine.pc = origin

    def run(self, instructions: int, tstates: int) -> None:
        machine = self.machine
        machine.ticks_to_stop = tstates
        # run() also returns at the end of each 100,000-tick frame; go on until the
        # tick budget, which ends exactly on the program's HALT, is used up.
        while machine.ticks_to_stop:
            machine.run()

    def memory(self) -> memoryview:
        return self.machine.memory

    def halted(self) -> bool:
        return bool(self.machine.halted)


class OurInterpreter(OurCore):
    """Our CPU with the instruction-at-a-time engine (``Z80(engine="interpret")``),
    to show what translation gains."""

    name = "z80emu-interp"
    engine = "interpret"


CORES: dict[str, type[Core]] = {
    "z80emu": OurCore,
    "z80emu-interp": OurInterpreter,
    "z80-python": Z80PythonCore,
    "z80": KosarevCore,
}


def core_status(name: str) -> tuple[Core | None, str]:
    """An instance of the named core, or None and why it cannot be used."""
    cls = CORES[name]
    try:
        if importlib.util.find_spec(cls.package) is None:
            return None, "not installed"
        return cls(), "ok"
    except Exception as exc:
        return None, f"installed but cannot be driven ({type(exc).__name__}: {exc})"


# --- measuring --------------------------------------------------------------------------


@dataclass
class Measurement:
    """One timed run of a workload on a core."""

    workload: str
    core: str
    passes: int
    instructions: int
    tstates: int
    seconds: float
    ok: bool = True
    error: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ips(self) -> float:
        return self.instructions / self.seconds if self.seconds > 0 else 0.0

    @property
    def mhz(self) -> float:
        return self.tstates / self.seconds / 1e6 if self.seconds > 0 else 0.0

    @property
    def model1_multiple(self) -> float:
        return self.mhz / MODEL_I_MHZ

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(
            ips=round(self.ips),
            mhz=round(self.mhz, 3),
            model1_multiple=round(self.model1_multiple, 3),
        )
        return d


def run_workload(core: Core, workload: Workload, passes: int) -> Measurement:
    """Load, run and check ``passes`` passes of a workload; time only the run itself."""
    instructions, tstates = workload.counts(passes)
    core.load(workload.image(passes), workload.origin)
    started = time.perf_counter()
    core.run(instructions, tstates)
    seconds = time.perf_counter() - started
    m = Measurement(workload.name, core.name, passes, instructions, tstates, seconds)
    try:
        if not core.halted():
            raise WorkloadError(f"{workload.name}: the program had not reached its HALT")
        workload.check(core.memory(), passes)
    except WorkloadError as exc:
        m.ok, m.error = False, str(exc)
    return m


@dataclass
class WarmUp:
    """What translation costs on a workload: one pass on a fresh CPU with an empty
    translation cache (it translates as it goes) against the same pass when the
    translations exist."""

    workload: str
    traces: int
    cold_seconds: float
    warm_seconds: float

    @property
    def translate_seconds(self) -> float:
        return max(0.0, self.cold_seconds - self.warm_seconds)

    def line(self) -> str:
        per = self.translate_seconds / self.traces * 1e3 if self.traces else 0.0
        return (f"{self.workload}: {self.traces} traces translated in "
                f"{self.translate_seconds * 1e3:.1f} ms ({per:.2f} ms each); first pass "
                f"{self.cold_seconds * 1e3:.1f} ms, then {self.warm_seconds * 1e3:.1f} ms")


def warm_up(workload: Workload) -> WarmUp:
    """Measure translation cost (see `WarmUp`); the shared cache is put back after."""
    from z80emu.cpu import z80 as cpu_module

    cache = cpu_module._CACHE
    saved = dict(cache)
    cache.clear()
    try:
        cold = run_workload(OurCore(), workload, 1)
        traces = len(cache)
        warm = run_workload(OurCore(), workload, 1)
    finally:
        cache.clear()
        cache.update(saved)
    return WarmUp(workload.name, traces, cold.seconds, warm.seconds)


def choose_passes(pass_seconds: float, seconds: float) -> int:
    """How many passes fill ``seconds`` when one pass takes ``pass_seconds``."""
    if pass_seconds <= 0:
        return MAX_PASSES
    return max(1, min(MAX_PASSES, round(seconds / pass_seconds)))


def measure_workload(
    core: Core, workload: Workload, seconds: float, passes: int | None = None
) -> Measurement:
    """A measurement lasting about ``seconds`` (or of exactly ``passes`` passes).

    Shorter trial runs come first, both to warm up and to choose the number of
    passes (from one pass, growing until a trial lasts a tenth of ``seconds``);
    their results are checked as well.
    """
    if passes is None:
        passes = 1
        while True:
            trial = run_workload(core, workload, passes)
            if not trial.ok:
                return trial
            per_pass = trial.seconds / passes
            if trial.seconds >= seconds / 10 or passes == MAX_PASSES:
                break
            passes = max(passes * 2, choose_passes(per_pass, seconds / 5))
        passes = choose_passes(per_pass, seconds)
    return run_workload(core, workload, passes)


def format_table(measurements: Sequence[Measurement]) -> str:
    """A plain-text table of measurements."""
    header = (
        f"{'workload':<9}{'core':<14}{'passes':>7}{'instructions':>14}{'T-states':>15}"
        f"{'seconds':>9}{'M instr/s':>11}{'MHz':>9}{'x Model I':>11}"
    )
    lines = [header, "-" * len(header)]
    for m in measurements:
        lines.append(
            f"{m.workload:<9}{m.core:<14}{m.passes:>7}{m.instructions:>14,}{m.tstates:>15,}"
            f"{m.seconds:>9.3f}{m.ips / 1e6:>11.3f}{m.mhz:>9.2f}{m.model1_multiple:>11.1f}"
            + ("" if m.ok else f"  WRONG: {m.error}")
        )
    return "\n".join(lines)


def ratio_lines(measurements: Sequence[Measurement]) -> list[str]:
    """For each workload, our speed as a multiple of each other core's."""
    lines = []
    by_key = {(m.workload, m.core): m for m in measurements if m.ok}
    for workload in dict.fromkeys(m.workload for m in measurements):
        ours = by_key.get((workload, "z80emu"))
        if ours is None:
            continue
        for name in CORES:
            other = by_key.get((workload, name))
            if name == "z80emu" or other is None or other.mhz == 0:
                continue
            ratio = ours.mhz / other.mhz
            lines.append(f"{workload}: z80emu runs at {ratio:.2f}x the speed of {name}")
    return lines


def run_bench(
    workloads: Sequence[str], cores: Sequence[str], seconds: float, passes: int | None = None
) -> tuple[list[Measurement], dict[str, str]]:
    """Measure every named workload on every named core that can be driven.

    Returns the measurements and, for each core, "ok" or why it was left out.
    """
    status: dict[str, str] = {}
    instances: dict[str, Core] = {}
    for name in cores:
        instance, why = core_status(name)
        status[name] = why
        if instance is not None:
            instances[name] = instance
    results = []
    for wname in workloads:
        for cname, core in instances.items():
            try:
                results.append(measure_workload(core, WORKLOADS[wname], seconds, passes))
            except Exception as exc:  # another project's core misbehaving
                if cname == "z80emu":
                    raise
                status[cname] = f"failed while running {wname} ({type(exc).__name__}: {exc})"
    return results, status


@click.command("bench")
@click.option(
    "--seconds",
    type=click.FloatRange(min=0.01),
    default=2.0,
    show_default=True,
    help="About how long each workload runs on each core.",
)
@click.option(
    "--workload",
    "workload_names",
    type=click.Choice([*WORKLOADS, "all"]),
    default="all",
    show_default=True,
)
@click.option(
    "--core",
    "core_names",
    type=click.Choice(list(CORES)),
    multiple=True,
    help="Cores to measure (repeatable); default: ours and any others installed.",
)
@click.option("--passes", type=click.IntRange(1, MAX_PASSES), help="Fixed passes per run.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def bench_command(
    seconds: float,
    workload_names: str,
    core_names: tuple[str, ...],
    passes: int | None,
    as_json: bool,
) -> None:
    """Time the standard Z80 workloads and report speed.

    Prints instructions per second, emulated MHz and the multiple of a real
    TRS-80 Model I (1.77408 MHz) for each workload. When the packages z80-python
    or z80 are installed, the same workloads run on them too and the speed
    ratios are printed. A workload that ends with the wrong result makes the
    exit status non-zero.
    """
    names = list(WORKLOADS) if workload_names == "all" else [workload_names]
    cores = list(core_names) or list(CORES)
    results, status = run_bench(names, cores, seconds, passes)
    if status.get("z80emu", "ok") != "ok":
        raise click.ClickException(f"the z80emu CPU: {status['z80emu']}")
    ours_wrong = [m for m in results if m.core == "z80emu" and not m.ok]
    warm = [warm_up(WORKLOADS[n]) for n in names] if "z80emu" in cores else []
    if as_json:
        doc = {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "model1_mhz": MODEL_I_MHZ,
            "cores": status,
            "results": [m.as_dict() for m in results],
            "ratios": ratio_lines(results),
            "translation": [asdict(w) | {"translate_seconds": w.translate_seconds}
                            for w in warm],
        }
        click.echo(json.dumps(doc, indent=2))
    else:
        click.echo(
            f"z80emu bench: about {seconds:g} s per workload and core; Python "
            f"{platform.python_version()} ({platform.python_implementation()}) on "
            f"{platform.machine()}"
        )
        for name, why in status.items():
            if why != "ok":
                click.echo(f"  {name}: {why}")
        click.echo(format_table(results))
        for line in ratio_lines(results):
            click.echo(line)
        for w in warm:
            click.echo(f"translation cost, {w.line()}")
    if ours_wrong:
        for m in ours_wrong:
            click.echo(f"error: {m.error}", err=True)
        sys.exit(1)
