"""Run BASIC's arithmetic (roms/src/basic/fp.asm) on a bare Z80, and encode
and decode numbers in the Level II formats (Microsoft binary format) with
exact fractions, so the tests can compare the ROM against an independent
computation.

The routines are assembled at 1000h with a small stub: a CHRGET at RST 10h
(as ABI.md describes it), and an ERROR that stores its code (E) at 4300h and
halts. Each call returns to 0000h, where a HALT stops the run.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from z80emu.asm import assemble
from z80emu.cpu import Z80

ROOT = Path(__file__).resolve().parent.parent
FP_DIR = ROOT / "roms" / "src" / "basic"

STUB = """
        ORG     0
        HALT
        ORG     10H             ; RST 10h: CHRGET as ABI.md describes it
CHRGET: INC     HL
        LD      A,(HL)
        CP      ':'
        RET     NC
        CP      ' '
        JR      Z,CHRGET
        CP      09H
        JR      Z,CHRGET
        CP      0AH
        JR      Z,CHRGET
        CP      '0'
        CCF
        INC     A
        DEC     A
        RET
        ORG     0F00H
ERROR:  LD      A,E
        LD      (ERRCODE),A
        HALT
ERRCODE EQU     4300H
        ORG     1000H
        INCLUDE "fp.asm"
"""

VALTYP = 0x40AF
FAC = 0x411D            # a double's lowest byte; a single starts at 4121h
ARG = 0x4127
ERRCODE = 0x4300
TEXT = 0x5000           # where FIN's input is placed

INT, SNG, DBL = 2, 4, 8
MANT_BITS = {SNG: 24, DBL: 56}
ERRORS = {0x08: "FC", 0x0A: "OV", 0x14: "/0"}


class BasicError(Exception):
    """The ROM jumped to ERROR; ``code`` is Level II's two-letter name."""

    def __init__(self, code: str) -> None:
        super().__init__(f"?{code} ERROR")
        self.code = code


# ---- Microsoft binary format --------------------------------------------------

def encode(x: Fraction | int | float, typ: int) -> bytes:
    """``x`` rounded to nearest (ties away from zero) in format ``typ`` (SNG or
    DBL): mantissa bytes lowest first, then the exponent. Raises OverflowError
    above the largest number; tiny numbers become 0."""
    x = Fraction(x)
    size = typ  # 4 or 8 bytes
    if x == 0:
        return bytes(size)
    neg = x < 0
    x = abs(x)
    bits = MANT_BITS[typ]
    e = math.floor(math.log2(x.numerator) - math.log2(x.denominator))
    while Fraction(2) ** e > x:
        e -= 1
    while Fraction(2) ** (e + 1) <= x:
        e += 1
    # x = m * 2^(e+1-bits) with 2^(bits-1) <= m < 2^bits
    scaled = x / Fraction(2) ** (e + 1 - bits)
    m = math.floor(scaled)
    if scaled - m >= Fraction(1, 2):
        m += 1
    if m == 1 << bits:
        m >>= 1
        e += 1
    exp = e + 1 + 0x80
    if exp > 0xFF:
        raise OverflowError(x)
    if exp < 1:
        return bytes(size)
    m &= (1 << (bits - 1)) - 1
    if neg:
        m |= 1 << (bits - 1)
    return m.to_bytes(size - 1, "little") + bytes([exp])


def decode(data: bytes) -> Fraction:
    """The value of a single (4 bytes) or double (8 bytes) in MBF."""
    exp = data[-1]
    if exp == 0:
        return Fraction(0)
    bits = 8 * (len(data) - 1)
    m = int.from_bytes(data[:-1], "little")
    neg = m >> (bits - 1)
    m |= 1 << (bits - 1)
    value = Fraction(m, 1 << bits) * Fraction(2) ** (exp - 0x80)
    return -value if neg else value


def ulp(x: Fraction, typ: int) -> Fraction:
    """One unit in the last place of the number ``x`` in format ``typ``."""
    data = encode(x, typ)
    return Fraction(2) ** (data[-1] - 0x80 - MANT_BITS[typ])


class FP:
    """The assembled routines on a Z80 of their own."""

    def __init__(self, source_dir: Path = FP_DIR, engine: str | None = None) -> None:
        result = assemble(STUB, filename=str(source_dir / "stub.asm"))
        result.check()
        self.symbols = {k.upper(): v for k, v in result.symbols.items()}
        self.cpu = Z80() if engine is None else Z80(engine=engine)
        for seg in result.segments:
            self.cpu.memory[seg.address:seg.address + len(seg.data)] = seg.data
        self.end = max(seg.address + len(seg.data) for seg in result.segments)
        self.calls = 0
        self.quantum = 100_000  # T-states per run() slice; smaller measures closer

    def code_size(self) -> int:
        """Bytes the arithmetic takes, from 1000h to the end of the last file."""
        return self.end - 0x1000

    # ---- memory helpers
    def peek(self, addr: int, n: int = 1) -> bytes:
        return bytes(self.cpu.memory[addr:addr + n])

    def poke(self, addr: int, data: bytes) -> None:
        self.cpu.memory[addr:addr + len(data)] = data

    def call(self, name: str, limit: int = 20_000_000, **regs: int) -> Z80:
        """Call routine ``name`` with the given registers; raise BasicError if
        it jumped to ERROR."""
        cpu = self.cpu
        cpu.memory[ERRCODE] = 0xFF
        cpu.sp = 0xF000
        cpu.memory[0xEFFE:0xF000] = b"\x00\x00"
        cpu.sp = 0xEFFE
        cpu.pc = self.symbols[name.upper()]
        for reg, value in regs.items():
            setattr(cpu, reg, value)
        cpu.halted = 0
        start = cpu.cycles
        while not cpu.halted:
            cpu.run(self.quantum)
            if cpu.cycles - start > limit:
                raise RuntimeError(f"{name} did not return within {limit} T-states")
        self.calls += 1
        self.last_tstates = cpu.cycles - start
        code = cpu.memory[ERRCODE]
        if code != 0xFF:
            raise BasicError(ERRORS.get(code, f"{code:02X}h"))
        assert cpu.sp == 0xF000, f"{name} left the stack at {cpu.sp:04X}h"
        return cpu

    # ---- the FAC
    def set_fac(self, x: Fraction | int | float, typ: int) -> None:
        """Put ``x`` in the FAC as type ``typ`` (INT, SNG or DBL)."""
        self.poke(VALTYP, bytes([typ]))
        if typ == INT:
            self.poke(FAC + 4, (int(x) & 0xFFFF).to_bytes(2, "little"))
        elif typ == SNG:
            self.poke(FAC + 4, encode(x, SNG))
        else:
            self.poke(FAC, encode(x, DBL))

    def set_fac_bytes(self, data: bytes, typ: int) -> None:
        self.poke(VALTYP, bytes([typ]))
        self.poke(FAC + 8 - len(data), data)

    def fac_type(self) -> int:
        return self.cpu.memory[VALTYP]

    def fac_bytes(self) -> bytes:
        typ = self.fac_type()
        if typ == INT:
            return self.peek(FAC + 4, 2)
        return self.peek(FAC + 8 - typ, typ)

    def fac(self) -> Fraction | int:
        """The FAC's value (an int for an integer)."""
        typ = self.fac_type()
        if typ == INT:
            return int.from_bytes(self.peek(FAC + 4, 2), "little", signed=True)
        return decode(self.fac_bytes())

    # ---- operations
    def binop(self, op: str, left: Fraction | int, right: Fraction | int,
              typ: int) -> Fraction | int:
        """``left op right`` through the ROM's routine for type ``typ``;
        op is ADD SUB MUL DIV (or CMP, giving -1, 0 or 1)."""
        regs: dict[str, int] = {}
        if typ == INT:
            regs["de"] = int(left) & 0xFFFF
            self.set_fac(right, INT)
            regs["hl"] = int(right) & 0xFFFF
            prefix = "I"
        elif typ == SNG:
            data = encode(left, SNG)
            regs["de"] = data[0] | data[1] << 8
            regs["bc"] = data[2] | data[3] << 8
            self.set_fac(right, SNG)
            prefix = "S"
        else:
            self.poke(ARG, encode(left, DBL))
            self.set_fac(right, DBL)
            prefix = "D"
        cpu = self.call(prefix + op, **regs)
        if op == "CMP":
            return {0: 0, 1: 1, 0xFF: -1}[cpu.a]
        return self.fac()

    def unop(self, name: str, x: Fraction | int, typ: int) -> Fraction | int:
        """A one-argument routine (FN_INT, FRCSNG, ...) on ``x`` of type ``typ``."""
        self.set_fac(x, typ)
        self.call(name)
        return self.fac()

    def fin(self, text: str | bytes) -> tuple[Fraction | int, int, int]:
        """FIN on ``text`` (followed by 00h): (value, VALTYP, characters read)."""
        data = text.encode("latin-1") if isinstance(text, str) else text
        self.poke(TEXT, data + b"\x00")
        cpu = self.call("FIN", hl=TEXT)
        return self.fac(), self.fac_type(), cpu.hl - TEXT

    def fout(self, x: Fraction | int, typ: int) -> str:
        """FOUT's text for ``x`` of type ``typ``."""
        self.set_fac(x, typ)
        cpu = self.call("FOUT")
        out = bytearray()
        addr = cpu.hl
        while self.cpu.memory[addr] and len(out) < 40:
            out.append(self.cpu.memory[addr])
            addr += 1
        return out.decode("latin-1")
