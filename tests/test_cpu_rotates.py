"""Rotates, shifts and bit operations, on registers, (HL) and (IX+d)."""

from __future__ import annotations

import pytest

from tests.cpuhelp import code, run_to_halt

C, Z, H, X, Y = 0x01, 0x40, 0x10, 0x08, 0x20


@pytest.mark.parametrize("op,value,carry_in,res,carry_out", [
    ("RLC B", 0x81, 0, 0x03, 1), ("RRC B", 0x01, 0, 0x80, 1), ("RL B", 0x80, 1, 0x01, 1),
    ("RR B", 0x01, 1, 0x80, 1), ("SLA B", 0xC0, 0, 0x80, 1), ("SRA B", 0x81, 0, 0xC0, 1),
    ("SLL B", 0x80, 0, 0x01, 1), ("SRL B", 0x02, 1, 0x01, 0),
])
def test_cb_shifts(op, value, carry_in, res, carry_out) -> None:
    cpu = run_to_halt(code(op, "HALT"), b=value, f=carry_in)
    assert cpu.b == res and cpu.f & C == carry_out


def test_accumulator_rotates_keep_s_z_pv() -> None:
    cpu = run_to_halt(code("RLCA", "HALT"), a=0x80, f=0xC4)
    assert cpu.a == 0x01 and cpu.f == 0xC4 | C


def test_bit_on_hl_takes_x_y_from_memptr() -> None:
    prog = code(("LD HL,nn", {"nn": 0x8000}), ("LD A,(nn)", {"nn": 0x27FF}), "BIT 0,(HL)",
                "HALT")
    cpu = run_to_halt(prog)
    # LD A,(27FFh) leaves MEMPTR = 2800h: its high byte 28h gives X and Y
    assert cpu.f & (X | Y) == (X | Y) and cpu.f & (Z | H) == (Z | H)


def test_indexed_rotate_also_copies_into_a_register() -> None:
    prog = code(("LD IX,nn", {"nn": 0x8000}), ("LD (IX+d),n", {"d": 3, "n": 0x40}),
                ("RLC (IX+d),E", {"d": 3}), ("SET 0,(IX+d),D", {"d": 3}), "HALT")
    cpu = run_to_halt(prog)
    assert cpu.memory[0x8003] == 0x81 and cpu.e == 0x80 and cpu.d == 0x81


def test_rld_rrd_rotate_bcd_digits() -> None:
    cpu = run_to_halt(code(("LD HL,nn", {"nn": 0x8000}), ("LD (HL),n", {"n": 0x34}),
                           ("LD A,n", {"n": 0x12}), "RLD", "HALT"))
    assert cpu.a == 0x13 and cpu.memory[0x8000] == 0x42
    cpu = run_to_halt(code(("LD HL,nn", {"nn": 0x8000}), ("LD (HL),n", {"n": 0x34}),
                           ("LD A,n", {"n": 0x12}), "RRD", "HALT"))
    assert cpu.a == 0x14 and cpu.memory[0x8000] == 0x23
