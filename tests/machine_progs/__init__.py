"""Z80 test programs for the machine tests, assembled by z80emu's own assembler.

Each ``*.asm`` here is a small program that exercises one Model I device and
stores what it saw in RAM; :func:`start_program` assembles one, pokes it into a
machine and points the CPU at its entry address.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from z80emu.asm import assemble_file

HERE = Path(__file__).resolve().parent


@cache
def assembled(name: str):
    """The assembly of ``name``.asm (cached); fails the test on assembly errors."""
    result = assemble_file(str(HERE / f"{name}.asm"))
    result.check()
    return result


def start_program(machine, name: str) -> int:
    """Load ``name``.asm into ``machine`` and jump to it; returns the entry."""
    result = assembled(name)
    for segment in result.segments:
        machine.poke(segment.address, segment.data)
    machine.cpu.pc = result.start
    machine.cpu.halted = 0
    return result.start


def run_until_marker(machine, marker: int, seconds: float = 2.0, value: int = 0xAA) -> None:
    """Run until the program stores ``value`` at ``marker`` (its "done" flag)."""
    machine.run(seconds=seconds, until=lambda: machine.memory[marker] == value)
    assert machine.memory[marker] == value, "the test program did not finish"
