"""Block transfers and searches: results, repeat timing and MEMPTR."""

from __future__ import annotations

from tests.cpuhelp import code
from z80emu.cpu import Z80


def test_ldir_copies_and_takes_21_t_per_repeat() -> None:
    cpu = Z80()
    cpu.memory[0x8000:0x8010] = bytes(range(16))
    cpu.memory[0:3] = code("LDIR", "HALT")
    cpu.hl, cpu.de, cpu.bc = 0x8000, 0x9000, 16
    t = 0
    while not cpu.halted:
        t += cpu.step()
    assert cpu.memory[0x9000:0x9010] == bytes(range(16))
    assert t == 15 * 21 + 16 + 4
    assert cpu.bc == 0 and cpu.f & 0x04 == 0


def test_lddr_overlapping_move_upwards() -> None:
    cpu = Z80()
    cpu.memory[0x8000:0x8005] = bytes([1, 2, 3, 4, 5])
    cpu.memory[0x100:0x10C] = code(("LD HL,nn", {"nn": 0x8004}), ("LD DE,nn", {"nn": 0x8005}),
                                   ("LD BC,nn", {"nn": 5}), "LDDR", "HALT")
    cpu.pc = 0x100
    while not cpu.halted:
        cpu.run(50)
    assert cpu.memory[0x8001:0x8006] == bytes([1, 2, 3, 4, 5])
    assert cpu.hl == 0x7FFF and cpu.de == 0x8000


def test_cpir_finds_a_byte_and_stops() -> None:
    cpu = Z80()
    cpu.memory[0x8000:0x8008] = b"HELLO!!\x00"
    cpu.memory[0:3] = code("CPIR", "HALT")
    cpu.hl, cpu.bc, cpu.a = 0x8000, 100, ord("O")
    while not cpu.halted:
        cpu.run(100)
    assert cpu.hl == 0x8005 and cpu.bc == 95 and cpu.f & 0x40   # Z: found
    assert cpu.wz == 0x0002   # MEMPTR: each repeat sets PC+1; the final step adds one
