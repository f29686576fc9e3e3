"""Translated blocks and single steps agree, even on random and self-modifying code.

`run()` executes translated blocks and `step()` the one-instruction handlers;
both come from the same templates but go through different code generators,
so these tests run the two side by side on the same start and compare every
register, latch and byte of memory.
"""

from __future__ import annotations

import random

import pytest

from tests.cpuhelp import code
from z80emu.cpu import Z80

pytestmark = pytest.mark.usefixtures("translate_at_once")

STATE = ("a", "f", "b", "c", "d", "e", "h", "l", "i", "r", "sp", "pc", "ix", "iy", "wz",
         "af_", "bc_", "de_", "hl_", "q", "iff1", "iff2", "im", "halted", "cycles")


def twin(memory: bytes, seed: int, **kw) -> tuple[Z80, Z80]:
    rng = random.Random(seed)
    regs = {n: rng.randrange(256) for n in ("a", "f", "b", "c", "d", "e", "h", "l", "i", "r")}
    regs.update({n: rng.randrange(65536) for n in ("sp", "ix", "iy", "af_", "bc_", "de_",
                                                   "hl_", "wz")})
    pair = []
    for _ in range(2):
        ports = random.Random(seed + 1)
        cpu = Z80(memory=bytearray(memory), io_read=lambda p, r=ports: r.randrange(256), **kw)
        for name, value in regs.items():
            setattr(cpu, name, value)
        pair.append(cpu)
    return pair[0], pair[1]


def state(cpu: Z80) -> tuple:
    return tuple(getattr(cpu, n) for n in STATE) + (bytes(cpu.memory),)


@pytest.mark.parametrize("seed", range(60))
def test_random_code_runs_the_same_both_ways(seed: int) -> None:
    rng = random.Random(seed)
    memory = bytes(rng.randrange(256) for _ in range(0x10000))
    blocks, steps = twin(memory, seed)
    for budget in (37, 500, 2000, 11, 5000):
        blocks.run(budget)
        target = steps.cycles + budget
        while steps.cycles < target:
            steps.step()
        assert state(blocks) == state(steps), f"seed {seed}, after budget {budget}"


def test_code_that_rewrites_its_own_next_instruction() -> None:
    # LD A,n (patched) ; INC A ; LD (patch+1),A ; JR back: each pass changes the
    # immediate of the first instruction, which sits in the same translated block.
    prog = code(("LD A,n", {"n": 0}), "INC A", ("LD (nn),A", {"nn": 0x101}),
                ("CP n", {"n": 50}), ("JR NZ,e", {"e": -10}), "HALT")
    cpu = Z80()
    cpu.memory[0x100:0x100 + len(prog)] = prog
    cpu.pc = 0x100
    while not cpu.halted:
        cpu.run(10_000)
    assert cpu.a == 50 and cpu.memory[0x101] == 50


def test_a_write_into_the_running_block_takes_effect_at_once() -> None:
    # LD (HL),n rewrites the very next instruction (NOP -> INC B) inside one block.
    prog = code(("LD HL,nn", {"nn": 0x105}), ("LD (HL),n", {"n": 0x04}), "NOP", "HALT")
    cpu = Z80()
    cpu.memory[0x100:0x100 + len(prog)] = prog
    cpu.pc, cpu.b = 0x100, 0
    cpu.run(100)
    assert cpu.halted and cpu.b == 1


def test_memory_changed_between_runs_is_noticed() -> None:
    cpu = Z80()
    cpu.memory[0:3] = code(("LD A,n", {"n": 1}), "HALT")
    cpu.run(20)
    assert cpu.a == 1
    cpu.memory[1] = 2          # poked from outside, as a user or loader would
    cpu.pc, cpu.halted = 0, 0
    cpu.run(20)
    assert cpu.a == 2


@pytest.mark.parametrize("seed", range(10))
def test_hooks_see_the_same_accesses_both_ways(seed: int) -> None:
    rng = random.Random(seed)
    memory = bytes(rng.randrange(256) for _ in range(0x10000))
    logs = []
    pair = twin(memory, seed)
    table = bytes((v * 7 + 3) & 0xFF for v in range(256))
    for cpu in pair:
        log: list = []
        logs.append(log)

        def whook(addr, value, log=log, cpu=cpu):
            log.append(("w", addr, value))
            if 0x3C00 <= addr < 0xC000:
                cpu.memory[addr] = value

        def rhook(addr, log=log, cpu=cpu, table=table):
            if addr >= 0x3C00:                  # the mapped part: a table, no log
                return table[cpu.memory[addr]]
            log.append(("r", addr))
            return cpu.memory[addr] ^ 0x55

        cpu.set_write_hook(0x3C00, whook, top=0xC000)
        cpu.set_read_hook(0x37E0, 0x3FFF, rhook, mapped=(0x3C00, 0x3FFF, table))
    blocks, steps = pair
    blocks.run(20_000)
    while steps.cycles < blocks.cycles:
        steps.step()
    assert logs[0] == logs[1]
    assert state(blocks) == state(steps)


def _loop_programs() -> dict[str, bytes]:
    from z80emu import bench
    progs = {
        # DJNZ inner loop inside a 16-bit outer loop, with a flag-reading SCF
        "djnz": code(("LD DE,nn", {"nn": 40}), ("LD B,n", {"n": 30}), "INC A", "SCF", "RLA",
                     ("DJNZ e", {"e": -5}), "DEC DE", "LD A,D", "OR E",
                     ("JR NZ,e", {"e": -13}), "HALT"),
        # LDIR and CPIR looping on themselves, then a loop that rewrites its own operand
        "blocks": code(("LD HL,nn", {"nn": 0}), ("LD DE,nn", {"nn": 0x8000}),
                       ("LD BC,nn", {"nn": 700}), "LDIR", ("LD HL,nn", {"nn": 0x8000}),
                       ("LD BC,nn", {"nn": 700}), ("LD A,n", {"n": 0x76}), "CPIR",
                       ("LD A,n", {"n": 0}), "INC A", ("LD (nn),A", {"nn": 0x11A}),
                       ("CP n", {"n": 200}), ("JR NZ,e", {"e": -10}), "HALT"),
    }
    for name in ("mix", "sieve"):
        progs[name] = bench.WORKLOADS[name].image(1)
    return progs


@pytest.mark.parametrize("name", ["djnz", "blocks", "mix", "sieve"])
def test_looping_traces_agree_with_single_steps(name: str) -> None:
    progs = _loop_programs()
    memory = bytearray(0x10000)
    memory[0x100:0x100 + len(progs[name])] = progs[name]
    rng = random.Random(name)
    blocks, steps = twin(bytes(memory), 7)
    for cpu in (blocks, steps):
        cpu.pc, cpu.sp = 0x100, 0xF000
    for _ in range(1000):
        budget = rng.choice((3, 50, 700, 5000, 40_000))
        blocks.run(budget)
        target = steps.cycles + budget
        while steps.cycles < target:
            steps.step()
        assert state(blocks) == state(steps), f"{name}: cycle {blocks.cycles}"
        if blocks.halted:
            break
    if name in ("mix", "sieve"):
        assert blocks.halted, f"{name} runs to its end"


@pytest.mark.parametrize("up", [True, False])
def test_bulk_block_copies_agree_with_single_steps_under_hooks(up: bool) -> None:
    """LDIR/LDDR through a read-mapped area into plain RAM, into hooked memory, over
    translated code, and overlapping: every case against single steps."""
    table = bytes(v ^ 0x40 for v in range(256))
    org = 0xE000
    cases = [(0x3C00, 0x8000, 900), (0x8000, 0x3B00, 600), (0x9000, org - 200, 300),
             (0x9000, 0x9001, 500), (0x9001, 0x9000, 500), (0x3C40, 0x3C00, 960),
             (0xA000, 0xB000, 4000)]
    for src, dst, count in cases:
        if not up:
            src, dst = src + count - 1, dst + count - 1
        prog = code(("LD HL,nn", {"nn": src}), ("LD DE,nn", {"nn": dst}),
                    ("LD BC,nn", {"nn": count}), "LDIR" if up else "LDDR", "HALT")
        memory = bytearray(random.Random(src).randbytes(0x10000))
        memory[org:org + len(prog)] = prog
        pair = twin(bytes(memory), 3)
        for cpu in pair:
            cpu.pc = org
            cpu.set_write_hook(0x3C00, lambda a, v: None)
            cpu.set_read_hook(0x37E0, 0x3FFF, lambda a, c=cpu: table[c.memory[a]],
                              mapped=(0x3C00, 0x3FFF, table))
        blocks, steps = pair
        for budget in (5000, 100, 30_000, 200_000):
            blocks.run(budget)
            target = steps.cycles + budget
            while steps.cycles < target:
                steps.step()
            assert state(blocks) == state(steps), (src, dst, count, budget)


def test_hooks_can_be_saved_and_put_back() -> None:
    cpu = Z80()
    table = bytes(range(255, -1, -1))
    seen = []
    cpu.set_write_hook(0x3C00, lambda a, v: seen.append(a), top=0xC000)
    cpu.set_read_hook(0x37E0, 0x3FFF, lambda a: 0x11, mapped=(0x3C00, 0x3FFF, table))
    saved = cpu.hooks()
    cpu.set_write_hook(0, None)
    cpu.set_read_hook(0, 0, None)
    assert cpu.hooks().write_handler is None and cpu.hooks().mapped is None
    cpu.set_hooks(saved)
    assert cpu.hooks() == saved
    cpu.memory[0:7] = code(("LD (nn),A", {"nn": 0xC123}), ("LD A,(nn)", {"nn": 0x3C05}), "HALT")
    cpu.memory[0x3C05] = 0x01
    cpu.run(40)
    assert seen == [0xC123] and cpu.a == 0xFE


def test_code_rewritten_on_every_pass_falls_back_to_single_steps() -> None:
    # Each pass stores the counter into the immediate of its own first instruction:
    # after a few dozen retranslations the loop is stepped, with the same result.
    prog = code(("LD A,n", {"n": 0}), "INC A", ("LD (nn),A", {"nn": 0x101}),
                ("CP n", {"n": 200}), ("JR NZ,e", {"e": -10}), "HALT")
    blocks, steps = twin(bytes(0x10000), 5)
    for cpu in (blocks, steps):
        cpu.memory[0x100:0x100 + len(prog)] = prog
        cpu.pc = 0x100
    blocks.run(20_000)
    while steps.cycles < blocks.cycles:
        steps.step()
    assert blocks.halted and blocks.a == 200
    assert state(blocks) == state(steps)
    assert blocks._btmax[0x100] > 1 << 40      # that loop is now single-stepped


def test_code_is_translated_once_it_has_run_often(monkeypatch) -> None:
    """Below z80.HOT visits an address is stepped (translating code that runs
    a few times costs more than it saves); from then on it runs translated."""
    monkeypatch.setattr("z80emu.cpu.z80.HOT", 5)
    # LD B,3 / loop: INC A / DJNZ loop / JR back to the LD B,3
    prog = code(("LD B,n", {"n": 3}), "INC A", ("DJNZ e", {"e": -3}), ("JR e", {"e": -7}))
    cpu = Z80()
    cpu.memory[0x100:0x100 + len(prog)] = prog
    cpu.pc = 0x100
    for _ in range(3):
        cpu.run(1)
    assert not cpu._bcode, "stepped, not translated, on the first visits"
    cpu.run(2000)
    assert 0x100 in cpu._bcode or 0x102 in cpu._bcode
    steps = Z80()
    steps.memory[0x100:0x100 + len(prog)] = prog
    steps.pc = 0x100
    while steps.cycles < cpu.cycles:
        steps.step()
    assert state(cpu) == state(steps)


def test_a_loop_leaving_by_a_side_branch_to_another_loop() -> None:
    """A regression: a trace whose last jump goes to another loop (not its
    own start) was once closed as if it looped, moving bytes wrongly."""
    from z80emu.asm import assemble

    source = """
            ORG     1000H
            LD      HL,5000H
            LD      B,4
            LD      A,16
            LD      C,0
    BYTES:  CP      8
            JR      C,DONE
            SUB     8
            LD      E,A
            LD      A,C
            OR      (HL)
            LD      C,A
            PUSH    HL
            PUSH    BC
            DEC     B
            JR      Z,TOP
    MOVE:   INC     HL
            LD      A,(HL)
            DEC     HL
            LD      (HL),A
            INC     HL
            DJNZ    MOVE
    TOP:    LD      (HL),B
            POP     BC
            POP     HL
            LD      A,E
            JR      BYTES
    DONE:   HALT
    """
    binary = assemble(source).binary()
    for budget in (1000, 37):
        results = []
        for engine in ("translate", "interpret"):
            cpu = Z80(engine=engine)
            cpu.memory[0x1000:0x1000 + len(binary)] = binary
            cpu.memory[0x5000:0x5004] = bytes([0x11, 0x22, 0x33, 0xC4])
            cpu.pc, cpu.sp = 0x1000, 0xF000
            while not cpu.halted:
                cpu.run(budget)
            results.append(state(cpu))
        assert results[0] == results[1]
        assert results[0][-1][0x5000:0x5004] == bytes([0x33, 0xC4, 0, 0])
