"""The hand-assembly monitor's BASIC loader (z80emu.basic_loader, `basic` in the
monitor) typed into the project's own ROM's BASIC and RUN: the bytes land, the
checksum guards them, and X=USR(0) calls the routine."""

from __future__ import annotations

from z80emu.basic_loader import basic_loader
from z80emu.machines.trs80 import TRS80

ROUTINE = bytes([0x3E, 0x41, 0xCD, 0x33, 0x00, 0xC9])   # LD A,'A' / CALL 0033H / RET


def shown(m: TRS80, start: str) -> bool:
    """A screen line starts with `start` (the listing's own lines start with numbers)."""
    return any(line.startswith(start) for line in m.screen_text().splitlines())


def typed(m: TRS80, text: str, seconds: float = 60.0) -> None:
    """Type the lines, as a person at the keyboard would, until all are read."""
    for line in text.splitlines():
        m.type(line + "\r")
    m.run(seconds=seconds, until=lambda: not m.typing)
    m.run(seconds=0.5)
    assert not m.typing


def test_the_loader_runs_on_our_basic_and_usr_calls_the_routine() -> None:
    m = TRS80()
    m.wait_for("READY", timeout=5)
    # our ROM asks no MEMORY SIZE?: lower the top of memory (7EFFh) and CLEAR
    typed(m, "POKE 16561,255:POKE 16562,126:CLEAR 50")
    typed(m, basic_loader(ROUTINE, 0x7F00, usr=0x7F00))
    m.type("RUN\r")
    m.run(seconds=20, until=lambda: shown(m, "LOADED."))
    m.run(seconds=1)                   # the rest of the line
    assert shown(m, "LOADED. X=USR(0) CALLS 7F00H"), m.screen_text()
    assert bytes(m.memory[0x7F00:0x7F06]) == ROUTINE
    assert m.peek(0x408E) | m.peek(0x408F) << 8 == 0x7F00
    m.type("CLS:X=USR(0):PRINT \"!\"\r")
    m.run(seconds=2)
    assert m.screen_text().splitlines()[0].startswith("A!"), m.screen_text()


def test_a_typing_mistake_pokes_nothing() -> None:
    m = TRS80()
    m.wait_for("READY", timeout=5)
    typed(m, "POKE 16561,255:POKE 16562,126:CLEAR 50")
    listing = basic_loader(ROUTINE, 0x7F00, usr=0x7F00).replace("DATA 62,65", "DATA 62,66")
    typed(m, listing)
    m.type("RUN\r")
    m.run(seconds=20, until=lambda: shown(m, "DATA ERROR"))
    m.run(seconds=1)                   # the rest of the line
    assert shown(m, "DATA ERROR: SUM"), m.screen_text()
    assert bytes(m.memory[0x7F00:0x7F06]) != ROUTINE


def test_the_loader_asks_for_protection_when_memory_is_not_lowered() -> None:
    m = TRS80()
    m.wait_for("READY", timeout=5)
    typed(m, basic_loader(ROUTINE, 0x7F00, usr=0x7F00))
    m.type("RUN\r")
    m.run(seconds=10, until=lambda: shown(m, "ANSWER MEMORY SIZE?"))
    m.run(seconds=1)                   # the rest of the line
    assert shown(m, "ANSWER MEMORY SIZE? WITH 32511"), m.screen_text()
