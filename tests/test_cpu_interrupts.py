"""Interrupts: NMI, IM 0/1/2, EI delay, HALT, and the LD A,I parity quirk."""

from __future__ import annotations

from tests.cpuhelp import code
from z80emu.cpu import Z80


def machine(main: bytes, handler: bytes = b"", at: int = 0x38) -> Z80:
    cpu = Z80()
    cpu.memory[0x100:0x100 + len(main)] = main
    cpu.memory[at:at + len(handler)] = handler
    cpu.pc, cpu.sp = 0x100, 0xF000
    return cpu


def test_im1_is_taken_at_an_instruction_boundary_in_13_t() -> None:
    cpu = machine(code("IM 1", "EI", "NOP", "NOP", "HALT"))
    cpu.int_line = True
    steps = [cpu.step() for _ in range(4)]      # IM 1, EI, NOP (EI delay), interrupt
    assert steps == [8, 4, 4, 13]
    assert cpu.pc == 0x38 and cpu.iff1 == 0 and cpu.iff2 == 0
    assert cpu.memory[0xEFFE] | cpu.memory[0xEFFF] << 8 == 0x104   # after the first NOP


def test_level_triggered_line_is_taken_again_until_released() -> None:
    handler = code(("LD HL,nn", {"nn": 0x8000}), "INC (HL)", "EI", "RET")
    cpu = machine(code("IM 1", "EI", ("JR e", {"e": -2})), handler)
    cpu.int_line = True
    cpu.run(200)
    taken = cpu.memory[0x8000]
    assert taken >= 3                 # still asserted: taken after every EI; RET
    cpu.int_line = False
    cpu.run(500)
    assert cpu.memory[0x8000] == taken


def test_halt_waits_for_the_interrupt_and_returns_after_halt() -> None:
    handler = code(("LD A,n", {"n": 0x99}), "EI", "RETI")
    cpu = machine(code("IM 1", "EI", "HALT", ("LD B,n", {"n": 1}), "HALT"), handler)
    cpu.run(1000)
    assert cpu.halted and cpu.pc == 0x104          # past the HALT, idling
    r_before, t_before = cpu.r, cpu.cycles
    cpu.run(400)
    assert cpu.cycles - t_before >= 400 and (cpu.r - r_before) & 0x7F == 100 & 0x7F
    cpu.irq()
    cpu.run(100)
    assert cpu.a == 0x99 and cpu.b == 1


def test_im2_jumps_through_the_vector_table() -> None:
    cpu = machine(code(("LD A,n", {"n": 0x90}), "LD I,A", "IM 2", "EI", "NOP", "HALT"))
    cpu.memory[0x9042:0x9044] = b"\x00\x70"
    cpu.memory[0x7000] = 0x76  # HALT in the handler
    cpu.irq(0x42)
    t = [cpu.step() for _ in range(6)]
    assert t[-1] == 19 and cpu.pc == 0x7000 and cpu.wz == 0x7000


def test_im0_executes_the_rst_on_the_bus() -> None:
    cpu = machine(code("EI", "NOP", "HALT"))
    cpu.irq(0xD7)                       # RST 10h
    t = [cpu.step() for _ in range(3)]
    assert t == [4, 4, 13] and cpu.pc == 0x10


def test_nmi_ignores_di_and_keeps_iff2_for_retn() -> None:
    handler = code("RETN")
    cpu = machine(code("EI", "NOP", "NOP", "NOP", "HALT"), handler, at=0x66)
    cpu.step()
    cpu.step()
    cpu.nmi()
    assert cpu.step() == 11 and cpu.pc == 0x66 and cpu.iff1 == 0 and cpu.iff2 == 1
    cpu.step()                           # RETN
    assert cpu.iff1 == 1 and cpu.pc == 0x102


def test_di_masks_the_line() -> None:
    cpu = machine(code("DI", "NOP", "NOP", "HALT"))
    cpu.int_line = True
    cpu.run(100)
    assert cpu.halted and cpu.pc == 0x104


def test_ld_a_i_interrupted_reads_pv_as_zero() -> None:
    cpu = machine(code("EI", "NOP", "LD A,I", "NOP"))
    cpu.step()
    cpu.step()
    cpu.step()                           # LD A,I with IFF2 = 1 sets P/V ...
    assert cpu.f & 0x04
    cpu.int_line = True
    assert cpu.step() == 13              # ... but the interrupt taken now clears it
    assert cpu.pc == 0x38 and cpu.f & 0x04 == 0


def test_blocks_and_single_steps_take_a_timed_interrupt_at_the_same_place() -> None:
    """A device raising /INT at a deadline sees the same boundary on both paths."""
    main = code("IM 1", "EI", ("LD HL,nn", {"nn": 0x8000}), "INC (HL)", "INC HL",
                ("LD A,n", {"n": 7}), "ADD A,L", "LD L,A", ("JR e", {"e": -8}))
    handler = code(("LD (nn),HL", {"nn": 0x9000}), "EI", "RETI")

    def trace(use_blocks: bool) -> list:
        cpu = machine(main, handler)
        seen = []
        for deadline in range(1000, 20000, 977):
            while cpu.cycles < deadline:
                if use_blocks:
                    cpu.run(deadline - cpu.cycles)
                else:
                    cpu.step()
            cpu.int_line = True
            while cpu.pc != 0x38:
                if use_blocks:
                    cpu.run(1)
                else:
                    cpu.step()
            cpu.int_line = False
            seen.append((cpu.cycles, cpu.hl, cpu.r))
        return seen

    assert trace(True) == trace(False)
