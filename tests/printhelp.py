"""Helpers for the RS-232-C, TermiNet and printer tests: assemble small Z80
programs with z80emu's own assembler, load them into a machine, run them to
their "done" marker, and load the TermiNet driver from examples/terminet.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from z80emu.asm import assemble
from z80emu.devices.timing import CLOCK_HZ

REPO = Path(__file__).resolve().parents[1]
DRIVER_SOURCE = REPO / "examples" / "terminet" / "terminet.asm"
DRIVER_BASIC = REPO / "examples" / "terminet" / "terminet.bas"
DONE = 0x6FFF  # programs store AAh here when they finish

# Send the bytes at TABLE (COUNT of them) through the UART, back to back.
SEND_TABLE = """
SENDTB: LD      HL,TABLE
        LD      BC,COUNT
SENDT1: LD      A,(HL)
        CALL    SEND
        INC     HL
        DEC     BC
        LD      A,B
        OR      C
        JR      NZ,SENDT1
        RET
SEND:   PUSH    AF
SEND1:  IN      A,(0EAH)
        BIT     6,A
        JR      Z,SEND1
        POP     AF
        OUT     (0EBH),A
        RET
"""

# Set the UART up: reset, 300/300 baud, 8N1, no break.
SETUP_300 = """
        OUT     (0E8H),A
        LD      A,55H
        OUT     (0E9H),A
        LD      A,6CH
        OUT     (0EAH),A
"""


@cache
def assembled(source: str):
    """Assemble ``source``; fail the test with the errors if it does not assemble."""
    result = assemble(source)
    assert result.ok, "\n".join(str(e) for e in result.errors)
    return result


def load(machine, source: str) -> int:
    """Assemble ``source``, poke it into ``machine``, point the CPU at its entry."""
    result = assembled(source)
    for segment in result.segments:
        machine.poke(segment.address, segment.data)
    machine.cpu.pc = result.entry if result.entry is not None else result.origin
    machine.cpu.halted = 0
    return machine.cpu.pc


def run_to_done(machine, seconds: float = 10.0) -> None:
    """Run until the program stores AAh at DONE (at most ``seconds`` emulated)."""
    machine.run(seconds=seconds, until=lambda: machine.memory[DONE] == 0xAA)
    assert machine.memory[DONE] == 0xAA, "the test program did not finish"


def table_program(data: bytes, setup: str = SETUP_300) -> str:
    """A program that sets the UART up and sends ``data`` back to back."""
    table = ",".join(str(b) for b in data)
    return f"""
        ORG     6000H
START:  DI
{setup}
        CALL    SENDTB
        LD      A,0AAH
        LD      ({DONE}),A
STOP:   JR      STOP
{SEND_TABLE}
COUNT   EQU     {len(data)}
TABLE:  DB      {table}
        END     START
"""


@cache
def driver():
    """The assembled TermiNet driver from examples/terminet."""
    return assembled(DRIVER_SOURCE.read_text())


def load_driver(machine) -> None:
    for segment in driver().segments:
        machine.poke(segment.address, segment.data)


def lprint_program(text: bytes, entry: str = "003BH") -> str:
    """Call the driver's SETUP (as X=USR(0) would), then send ``text`` one
    character at a time through ``entry`` (003Bh: Level II's "character to the
    printer DCB"), as LPRINT's character path does."""
    table = ",".join(str(b) for b in text)
    return f"""
        ORG     6000H
START:  LD      SP,6F00H
        CALL    7F00H
        LD      HL,TEXT
        LD      BC,{len(text)}
LOOP:   LD      A,(HL)
        PUSH    BC
        PUSH    HL
        CALL    {entry}
        POP     HL
        POP     BC
        INC     HL
        DEC     BC
        LD      A,B
        OR      C
        JR      NZ,LOOP
        LD      A,0AAH
        LD      ({DONE}),A
STOP:   JR      STOP
TEXT:   DB      {table}
        END     START
"""


def ms(tstates: float) -> float:
    return tstates * 1000 / CLOCK_HZ
