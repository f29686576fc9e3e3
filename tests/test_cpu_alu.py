"""Arithmetic and logic: results and flags, including the undocumented bits."""

from __future__ import annotations

import pytest

from tests.cpuhelp import code, run_to_halt

S, Z, Y, H, X, PV, N, C = 0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01


@pytest.mark.parametrize("a,b,op,res,flags", [
    (0x7F, 0x01, "ADD A,B", 0x80, S | H | PV),          # signed overflow
    (0xFF, 0x01, "ADD A,B", 0x00, Z | H | C),
    (0x10, 0x20, "SUB B", 0xF0, S | Y | N | C),
    (0x80, 0x01, "SUB B", 0x7F, Y | H | X | PV | N),
    (0x0F, 0xF0, "AND B", 0x00, Z | H | PV),
    (0x5A, 0xFF, "XOR B", 0xA5, S | Y | PV),
    (0x28, 0x00, "OR B", 0x28, Y | X | PV),
])
def test_eight_bit_operations(a, b, op, res, flags) -> None:
    cpu = run_to_halt(code(op, "HALT"), a=a, b=b, f=0)
    assert (cpu.a, cpu.f) == (res, flags)


def test_cp_takes_bits_3_and_5_from_the_operand() -> None:
    cpu = run_to_halt(code("CP B", "HALT"), a=0x00, b=0x28, f=0)
    assert cpu.a == 0 and cpu.f & (X | Y) == (X | Y)


def test_bcd_addition_with_daa() -> None:
    cpu = run_to_halt(code(("LD A,n", {"n": 0x19}), ("ADD A,n", {"n": 0x28}), "DAA",
                           ("SUB n", {"n": 0x08}), "DAA", "HALT"))
    assert cpu.a == 0x39          # 19 + 28 = 47, 47 - 08 = 39 in BCD


def test_sixteen_bit_arithmetic() -> None:
    cpu = run_to_halt(code(("LD HL,nn", {"nn": 0x7FFF}), ("LD DE,nn", {"nn": 0x0001}), "OR A",
                           "ADC HL,DE", "HALT"))
    assert cpu.hl == 0x8000 and cpu.f & (S | PV) == (S | PV)
    cpu = run_to_halt(code(("LD HL,nn", {"nn": 0x1000}), ("LD BC,nn", {"nn": 0x1000}), "SCF",
                           "SBC HL,BC", "HALT"))
    assert cpu.hl == 0xFFFF and cpu.f & (C | N) == (C | N)


def test_scf_ccf_read_the_q_latch() -> None:
    # After a flag-setting instruction X/Y come from A alone; after one that did
    # not set flags they are (F | A).
    cpu = run_to_halt(code(("LD A,n", {"n": 0x00}), "SCF", "HALT"), f=0x28)
    assert cpu.f & (X | Y) == (X | Y)          # LD kept Q = 0: F's own bits show
    cpu = run_to_halt(code(("CP n", {"n": 0x28}), ("LD A,n", {"n": 0}), "SCF", "HALT"))
    assert cpu.f & (X | Y) == (X | Y)
    cpu = run_to_halt(code("XOR A", "SCF", "HALT"), a=0x28)
    assert cpu.f & (X | Y) == 0                # XOR set the flags: only A counts (0)


def test_multiply_by_shift_and_add_loop() -> None:
    # HL = 45 * 123: shift HL left, take A's top bit into carry, add DE when set
    prog = code(("LD HL,nn", {"nn": 0}), ("LD DE,nn", {"nn": 123}), ("LD A,n", {"n": 45}),
                ("LD B,n", {"n": 8}),
                "ADD HL,HL", "RLA", ("JR NC,e", {"e": 1}), "ADD HL,DE", ("DJNZ e", {"e": -7}),
                "HALT")
    cpu = run_to_halt(prog)
    assert cpu.hl == 45 * 123
