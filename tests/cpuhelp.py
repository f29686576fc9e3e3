"""Small helpers for CPU tests: build code from table texts, run it to HALT."""

from __future__ import annotations

from z80emu.cpu import Z80
from z80emu.isa import find


def code(*lines: str | tuple) -> bytes:
    """Bytes for instructions given as table texts: 'LD A,n' with fields, e.g.
    ('LD A,n', {'n': 5}) or plain 'NOP'."""
    out = bytearray()
    for line in lines:
        text, fields = (line, {}) if isinstance(line, str) else line
        out += find(text).encode(**fields)
    return bytes(out)


def run_to_halt(program: bytes, org: int = 0x100, limit: int = 1_000_000, use_run: bool = True,
                **regs: int) -> Z80:
    """Load `program` at `org`, set registers, run until HALT; the CPU is returned."""
    cpu = Z80()
    cpu.memory[org:org + len(program)] = program
    cpu.pc = org
    cpu.sp = 0xF000
    for name, value in regs.items():
        setattr(cpu, name, value)
    while not cpu.halted and cpu.cycles < limit:
        if use_run:
            cpu.run(1000)
        else:
            cpu.step()
    assert cpu.halted, f"program did not HALT within {limit} T-states: {cpu!r}"
    return cpu
