"""Readers and runners for the external Z80 suites in ../shared/conformance.

One harness per suite: SingleStepTests (JSON lines, one instruction each) and
FUSE (tests.in / tests.expected).  Each runner compares every register, WZ, Q,
R, the T-states and memory, and returns the list of mismatches.  `mode` selects
the execution path: "step" runs `Z80.step()`; "block" runs the same instruction
translated by the block compiler, so both back ends meet the suites.
"""

from __future__ import annotations

import json
from pathlib import Path

from z80emu.cpu import Z80
from z80emu.cpu.codegen import block_source
from z80emu.cpu.tables import TABLES
from z80emu.isa import decode

REG8 = ("a", "b", "c", "d", "e", "f", "h", "l", "i", "r")
REG16 = ("sp", "pc", "ix", "iy", "wz", "af_", "bc_", "de_", "hl_")


def run_translated(cpu: Z80) -> int:
    """Execute one instruction at cpu.pc through the block compiler."""
    head = bytes(cpu.memory[(cpu.pc + i) & 0xFFFF] for i in range(4))
    enc = decode(head)
    src, _ = block_source([(cpu.pc, enc, head[:enc.length])], cpu._layout)
    namespace = dict(TABLES)
    exec(compile(src, "<block>", "exec"), namespace)  # noqa: S102
    t = namespace["block"](cpu, cpu.memory, 1 << 30)
    cpu.cycles += t
    return t


def _advance(cpu: Z80, mode: str) -> int:
    if mode == "block" and not cpu.halted:
        return run_translated(cpu)
    return cpu.step()


# -- SingleStepTests ---------------------------------------------------------------

def singlestep_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jsonl"))


def run_singlestep_file(path: Path, mode: str = "step") -> tuple[int, list[str]]:
    """Run every test in one JSON-lines file; (count, mismatch descriptions)."""
    failures, count = [], 0
    with open(path) as fh:
        for line in fh:
            test = json.loads(line)
            count += 1
            bad = _singlestep_one(test, mode)
            if bad:
                failures.append(f"{test['name']}: {'; '.join(bad[:6])}")
    return count, failures


def _singlestep_one(test: dict, mode: str) -> list[str]:
    ini, fin = test["initial"], test["final"]
    mem = bytearray(0x10000)
    for addr, value in ini["ram"]:
        mem[addr] = value
    reads = [p for p in test.get("ports", []) if p[2] == "r"]
    writes: list[list[int]] = []

    def io_read(port: int) -> int:
        for k, (p, value, _) in enumerate(reads):
            if p == port:
                del reads[k]
                return value
        return 0xFF

    cpu = Z80(memory=mem, io_read=io_read, io_write=lambda p, v: writes.append([p, v]))
    for name in REG8 + REG16 + ("q", "im", "iff1", "iff2"):
        setattr(cpu, name, ini[name])
    spent = 0
    while spent < test["cycles"]:
        spent += _advance(cpu, mode)
    bad = [f"{k}={getattr(cpu, k):X} want {fin[k]:X}"
           for k in REG8 + REG16 + ("q", "im", "iff1", "iff2") if getattr(cpu, k) != fin[k]]
    bad += [f"mem[{a:04X}]={mem[a]:02X} want {v:02X}" for a, v in fin["ram"] if mem[a] != v]
    if spent != test["cycles"]:
        bad.append(f"T={spent} want {test['cycles']}")
    want_writes = [[p, v] for p, v, kind in test.get("ports", []) if kind == "w"]
    if writes != want_writes:
        bad.append(f"port writes {writes} want {want_writes}")
    return bad


# -- FUSE --------------------------------------------------------------------------

# FUSE's expectations for these repeating block instructions predate the 2022
# findings on the flags of repeating INIR/OTIR/INDR/OTDR and on CPDR's MEMPTR
# (the ones SingleStepTests checks for every repeating case).  A core cannot meet
# both; SingleStepTests is the newer measurement of real chips, so these are the
# only FUSE cases left out, each by name.
FUSE_SUPERSEDED = {
    "edb2_1": "INIR repeating: H and P/V after the 2022 block-flag findings",
    "edb3_1": "OTIR repeating: H and P/V after the 2022 block-flag findings",
    "edb9_2": "CPDR repeating: X/Y from PC bits 13/11 per the 2022 findings",
    "edba_1": "INDR repeating: H and P/V after the 2022 block-flag findings",
    "edbb_1": "OTDR repeating: H and P/V after the 2022 block-flag findings",
}

FUSE16 = ("af", "bc", "de", "hl", "af_", "bc_", "de_", "hl_", "ix", "iy", "sp", "pc", "wz")


def _blocks(text: str) -> list[list[str]]:
    out, cur = [], []
    for line in text.splitlines():
        if line.strip():
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def _memory_lines(lines: list[str]) -> list[tuple[int, list[int]]]:
    out = []
    for line in lines:
        parts = line.split()
        if parts == ["-1"]:
            break
        out.append((int(parts[0], 16), [int(x, 16) for x in parts[1:] if x != "-1"]))
    return out


def read_fuse(folder: Path) -> list[tuple[str, tuple, tuple]]:
    """[(name, (regs, line2, memory), expected (regs, line2, memory))] in file order."""
    inputs = {}
    order = []
    for block in _blocks((folder / "tests.in").read_text()):
        name = block[0].strip()
        order.append(name)
        inputs[name] = ([int(x, 16) for x in block[1].split()], block[2].split(),
                        _memory_lines(block[3:]))
    expected = {}
    for block in _blocks((folder / "tests.expected").read_text()):
        name = block[0].strip()
        rest = [ln for ln in block[1:] if not ln.startswith((" ", "\t"))]
        expected[name] = ([int(x, 16) for x in rest[0].split()], rest[1].split(),
                          _memory_lines(rest[2:]))
    return [(name, inputs[name], expected[name]) for name in order]


def run_fuse_test(name: str, given: tuple, want: tuple, mode: str = "step") -> list[str]:
    regs, line2, memory = given
    mem = bytearray(b"\xDE\xAD\xBE\xEF" * 0x4000)
    for addr, data in memory:
        for k, value in enumerate(data):
            mem[(addr + k) & 0xFFFF] = value
    before = bytes(mem)
    cpu = Z80(memory=mem, io_read=lambda port: port >> 8)
    for reg, value in zip(FUSE16, regs, strict=False):
        setattr(cpu, reg, value)
    cpu.i, cpu.r = int(line2[0], 16), int(line2[1], 16)
    cpu.iff1, cpu.iff2, cpu.im = int(line2[2]), int(line2[3]), int(line2[4])
    cpu.halted = int(line2[5])
    target = int(line2[6])
    spent = 0
    while spent < target:
        spent += _advance(cpu, mode)
    wregs, wline2, wmemory = want
    bad = []
    for reg, value in zip(FUSE16, wregs, strict=False):
        got = getattr(cpu, reg)
        if reg == "pc" and cpu.halted and int(wline2[5]) and got == (value + 1) & 0xFFFF:
            continue  # HALT: FUSE keeps PC on the opcode; we (and SingleStepTests) step past it
        if got != value:
            bad.append(f"{reg}={got:04X} want {value:04X}")
    for reg, value in zip(("i", "r"), (int(wline2[0], 16), int(wline2[1], 16)), strict=False):
        if getattr(cpu, reg) != value:
            bad.append(f"{reg}={getattr(cpu, reg):02X} want {value:02X}")
    for reg, value in zip(("iff1", "iff2", "im", "halted"), map(int, wline2[2:6]), strict=False):
        if int(getattr(cpu, reg)) != value:
            bad.append(f"{reg}={getattr(cpu, reg)} want {value}")
    if spent != int(wline2[6]):
        bad.append(f"T={spent} want {wline2[6]}")
    expect = bytearray(before)
    for addr, data in wmemory:
        for k, value in enumerate(data):
            expect[(addr + k) & 0xFFFF] = value
    if mem != expect:
        diff = [a for a in range(0x10000) if mem[a] != expect[a]]
        bad.append("memory differs at " + ", ".join(f"{a:04X}" for a in diff[:8]))
    return bad
