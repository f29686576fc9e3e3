"""I/O: port addresses on the 16-bit bus, block I/O, and flags of IN r,(C)."""

from __future__ import annotations

from tests.cpuhelp import code
from z80emu.cpu import Z80


def make(program: bytes, inputs: dict[int, int] | None = None):
    writes: list[tuple[int, int]] = []
    reads: list[int] = []

    def io_read(port: int) -> int:
        reads.append(port)
        return (inputs or {}).get(port & 0xFF, 0xFF)

    cpu = Z80(io_read=io_read, io_write=lambda p, v: writes.append((p, v)))
    cpu.memory[0:len(program)] = program
    return cpu, reads, writes


def run(cpu: Z80) -> None:
    while not cpu.halted:
        cpu.run(100)


def test_out_n_puts_a_on_the_high_address_lines() -> None:
    cpu, _, writes = make(code(("LD A,n", {"n": 0x41}), ("OUT (n),A", {"n": 0xE8}), "HALT"))
    run(cpu)
    assert writes == [(0x41E8, 0x41)]


def test_in_r_c_sets_flags_and_reads_bc() -> None:
    cpu, reads, _ = make(code(("LD BC,nn", {"nn": 0x12FE}), "IN D,(C)", "IN F,(C)", "HALT"),
                         {0xFE: 0x00})
    run(cpu)
    assert reads == [0x12FE, 0x12FE] and cpu.d == 0 and cpu.f & 0x44 == 0x44


def test_otir_sends_a_buffer_and_counts_b_down() -> None:
    cpu, _, writes = make(code(("LD HL,nn", {"nn": 0x8000}), ("LD BC,nn", {"nn": 0x0398}),
                               "OTIR", "HALT"))
    cpu.memory[0x8000:0x8003] = b"ABC"
    run(cpu)
    assert writes == [(0x0298, 0x41), (0x0198, 0x42), (0x0098, 0x43)]
    assert cpu.b == 0 and cpu.f & 0x40


def test_out_c_zero_writes_zero_on_nmos() -> None:
    cpu, _, writes = make(code(("LD BC,nn", {"nn": 0x00FF}), "OUT (C),0", "HALT"))
    run(cpu)
    assert writes == [(0x00FF, 0)]


def test_unconnected_ports_read_ff() -> None:
    cpu = Z80()
    cpu.memory[0:3] = code(("IN A,(n)", {"n": 0x10})) + code("HALT")
    run(cpu)
    assert cpu.a == 0xFF


def test_cycles_seen_by_a_port_are_those_at_the_instruction_start() -> None:
    seen = []
    cpu = Z80(io_write=lambda p, v: seen.append(cpuref[0].cycles))
    cpuref = [cpu]
    cpu.memory[0:6] = code("NOP", "NOP", ("OUT (n),A", {"n": 1}), "HALT")
    run(cpu)
    assert seen == [8]


def _port_view(program: bytes, use_run: bool) -> list[tuple]:
    seen: list[tuple] = []
    cpu = Z80()
    cpu.io_write = lambda p, v: seen.append((cpu.bc, cpu.d, cpu.a, cpu.pc, cpu.r))
    cpu.memory[0:len(program)] = program
    cpu.d, cpu.r = 0, 0
    while not cpu.halted:
        cpu.run(100) if use_run else cpu.step()
    return seen


def test_a_port_sees_the_registers_as_the_instruction_started() -> None:
    # LD BC,1234h / INC D / LD A,B / OUT (C),A: the callback reads the live CPU
    program = code(("LD BC,nn", {"nn": 0x1234}), "INC D", "LD A,B", "OUT (C),A", "HALT")
    # three opcode fetches, then OUT (C),A's two (ED, 79): R has counted all five
    assert _port_view(program, True) == [(0x1234, 1, 0x12, 5, 5)]
    assert _port_view(program, False) == [(0x1234, 1, 0x12, 5, 5)]
