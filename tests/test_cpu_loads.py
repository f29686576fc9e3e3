"""Loads, exchanges and the stack: values land where they should, MEMPTR follows."""

from __future__ import annotations

from tests.cpuhelp import code, run_to_halt


def test_immediate_and_indirect_loads() -> None:
    cpu = run_to_halt(code(("LD HL,nn", {"nn": 0x8000}), ("LD (HL),n", {"n": 0x5A}),
                           ("LD A,(nn)", {"nn": 0x8000}), "LD B,A",
                           ("LD IX,nn", {"nn": 0x7FF0}), ("LD C,(IX+d)", {"d": 0x10}),
                           ("LD (IX+d),n", {"d": -1, "n": 0x33}), "HALT"))
    assert (cpu.a, cpu.b, cpu.c) == (0x5A, 0x5A, 0x5A)
    assert cpu.memory[0x7FEF] == 0x33
    assert cpu.wz == 0x7FEF          # (IX+d) leaves MEMPTR at the effective address


def test_sixteen_bit_memory_loads_are_little_endian() -> None:
    cpu = run_to_halt(code(("LD BC,nn", {"nn": 0xBEEF}), ("LD (nn),BC", {"nn": 0x9000}),
                           ("LD HL,(nn)", {"nn": 0x9000}), "HALT"))
    assert cpu.memory[0x9000:0x9002] == b"\xEF\xBE"
    assert cpu.hl == 0xBEEF and cpu.wz == 0x9001


def test_stack_push_pop_and_exchanges() -> None:
    cpu = run_to_halt(code(("LD DE,nn", {"nn": 0x1234}), "PUSH DE", "POP AF",
                           ("LD HL,nn", {"nn": 0xABCD}), "EX DE,HL", "EXX",
                           ("LD HL,nn", {"nn": 0x1111}), "EXX", "EX (SP),HL", "HALT"),
                      sp=0xF000)
    assert cpu.af == 0x1234
    assert cpu.de == 0xABCD
    assert cpu.hl_ == 0x1111
    assert cpu.sp == 0xF000


def test_ld_a_r_counts_opcode_fetches_and_keeps_bit_7() -> None:
    cpu = run_to_halt(code(("LD A,n", {"n": 0x80}), "LD R,A", "NOP", "NOP", "LD A,R", "HALT"))
    # after LD R,A: NOP, NOP (1 each) and LD A,R (2) -> 0x84, bit 7 kept
    assert cpu.a == 0x84
