"""The two execution engines -- translated traces and one instruction at a time --
give identical machines: registers, memory, T-states, interrupts taken, and
what the devices saw and when.

test_cpu_translation.py compares run() against step() on the bare CPU; these
tests go further: random code that takes maskable interrupts and NMIs at
chosen moments, and whole TRS-80s (heartbeat interrupts, the keyboard, the
screen, the RS-232-C board's deadlines and a TermiNet) run side by side.
"""

from __future__ import annotations

import random

import pytest

from tests.printhelp import load, load_driver, lprint_program, run_to_done
from tests.test_cpu_translation import STATE
from z80emu.cpu import Z80
from z80emu.machines.trs80 import TRS80

pytestmark = pytest.mark.usefixtures("translate_at_once")


def snapshot(cpu: Z80) -> tuple:
    return tuple(getattr(cpu, n) for n in STATE) + (bytes(cpu.memory),)


def test_the_engine_is_chosen_by_name() -> None:
    assert Z80().engine == "translate"
    cpu = Z80(engine="interpret")
    assert cpu.engine == "interpret"
    cpu.engine = "translate"
    assert cpu.engine == "translate"
    with pytest.raises(ValueError, match="unknown engine 'fast'"):
        Z80(engine="fast")
    assert TRS80(engine="interpret").cpu.engine == "interpret"


@pytest.mark.parametrize("seed", range(24))
def test_random_code_with_interrupts_runs_the_same_on_both_engines(seed: int) -> None:
    """Random memory as code, in IM 0/1/2 with interrupts enabled, the INT line
    raised and dropped and NMIs given between runs of random lengths."""
    rng = random.Random(seed)
    memory = bytearray(rng.randbytes(0x10000))
    # start in a short loop that enables interrupts, so some are surely taken
    memory[0x8000:0x8004] = bytes([0xFB, 0x00, 0x18, 0xFC])   # EI / NOP / JR -4
    pair, vector = [], rng.randrange(256)
    for engine in ("translate", "interpret"):
        ports = random.Random(seed)
        cpu = Z80(memory=bytearray(memory), io_read=lambda p, r=ports: r.randrange(256),
                  engine=engine)
        cpu.pc, cpu.sp, cpu.i = 0x8000, 0xF000, vector
        cpu.im = seed % 3
        pair.append(cpu)
    fast, slow = pair
    events = random.Random(seed + 100)
    for turn in range(60):
        budget = events.choice((5, 40, 300, 2_000, 20_000))
        action = events.randrange(6)
        for cpu in pair:
            if action == 0:
                cpu.int_line = True
            elif action == 1:
                cpu.int_line = False
            elif action == 2:
                cpu.nmi()
            elif action == 3:
                cpu.irq(0xFF)
            cpu.run(budget)
        assert snapshot(fast) == snapshot(slow), f"seed {seed}, turn {turn}"


PROGRAM = """
; Heartbeat interrupts counted at 4040h, keys read through 002Bh and shown
; through 0033h, and every key also sent to the TermiNet through the driver
; hooked at 4026h (003Bh), until a full stop is typed.
        ORG     6000H
START:  LD      SP,6F00H
        CALL    7F00H           ; the driver's SETUP (baud rate, DCB hook)
        LD      HL,TICK
        LD      (4013H),HL      ; JP TICK at 4012h
        LD      A,0C3H
        LD      (4012H),A
        IM      1
        EI
LOOP:   CALL    002BH
        OR      A
        JR      Z,LOOP
        CP      '.'
        JR      Z,DONE
        PUSH    AF
        CALL    0033H
        POP     AF
        CALL    003BH
        JR      LOOP
DONE:   DI
        LD      A,0AAH
        LD      (6FFFH),A       ; DONE
STOP:   JR      STOP
TICK:   PUSH    AF
        LD      A,(37E0H)       ; clears the heartbeat latch
        PUSH    HL
        LD      HL,(4040H)
        INC     HL
        LD      (4040H),HL
        POP     HL
        POP     AF
        EI
        RETI
        END     START
"""


def _machine(engine: str) -> TRS80:
    m = TRS80(serial="terminet", engine=engine)
    m.run(seconds=0.5)
    load_driver(m)
    load(m, PROGRAM)
    return m


def test_a_whole_trs80_runs_the_same_on_both_engines() -> None:
    machines = [_machine("translate"), _machine("interpret")]
    for m in machines:
        m.type("HELLO, TERMINET\rTWO ENGINES, ONE MACHINE\r.")
    for step in range(12):
        for m in machines:
            m.run(seconds=0.25)
        fast, slow = machines
        assert snapshot(fast.cpu) == snapshot(slow.cpu), f"after {0.25 * (step + 1)} s"
        assert fast.terminet.text == slow.terminet.text
        assert fast.screen_text() == slow.screen_text()
    for m in machines:
        run_to_done(m, seconds=20)
    fast, slow = machines
    assert fast.terminet.text == slow.terminet.text
    assert "TWO ENGINES, ONE MACHINE" in fast.terminet.text
    assert fast.cpu.cycles == slow.cpu.cycles
    ticks = fast.memory[0x4040] | fast.memory[0x4041] << 8
    assert ticks > 40, "the heartbeat interrupts were taken"   # 25 ms each
    for m in machines:
        m.close()


def test_the_printing_program_from_the_terminet_tests_agrees() -> None:
    """The LPRINT character path of the TermiNet tests, on both engines."""
    results = []
    for engine in ("translate", "interpret"):
        m = TRS80(serial="terminet", engine=engine)
        m.run(seconds=0.5)
        load_driver(m)
        load(m, lprint_program(b"HELLO\rWORLD\r"))
        run_to_done(m)
        results.append((m.cpu.cycles, m.terminet.text, snapshot(m.cpu)))
        m.close()
    assert results[0] == results[1]
    assert "HELLO" in results[0][1]
