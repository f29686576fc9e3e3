"""With a Level II ROM you own: stock LPRINT on the parallel port, and
TERMINET.BAS typed in and RUN, printing through the driver on the RS-232-C
board onto the TermiNet in strict mode. Skipped without the ROM (set
Z80EMU_ROM to its path); z80emu never ships one.
"""

from __future__ import annotations

import os

import pytest

from tests.printhelp import DRIVER_BASIC
from z80emu.machines.trs80 import TRS80


def level2_rom():
    from z80emu.roms.lookup import find_rom

    try:
        rom = find_rom(None)
    except Exception:  # noqa: BLE001 - a broken config is not this test's business
        rom = None
    if rom is None or not rom.name.startswith("Level II"):
        pytest.skip(f"no Level II ROM found (set Z80EMU_ROM; it was "
                    f"{os.environ.get('Z80EMU_ROM')!r}): these tests need one you own")
    return rom


def booted(memory_size: str = "", **kwargs) -> TRS80:
    m = TRS80(rom=level2_rom(), **kwargs)
    m.wait_for("SIZE", timeout=10)
    m.type(memory_size + "\r")
    m.wait_for("READY", timeout=10)
    return m


def test_stock_lprint_and_llist_on_the_parallel_port() -> None:
    m = booted()
    m.type('10 PRINT "HI"\rLPRINT "HELLO";2+2\rLLIST\r')
    m.run(seconds=20, until=lambda: "10 PRINT" in m.printer.text)
    m.run(seconds=2)
    assert m.printer.text.splitlines()[:2] == ["HELLO 4", '10 PRINT "HI"']


def test_terminet_bas_prints_through_the_driver() -> None:
    m = booted("32511", serial="terminet:strict")
    for line in DRIVER_BASIC.read_text().splitlines():
        m.type(line + "\r")
    m.type("RUN\r")
    m.wait_for("DONE.", timeout=600)
    m.run(seconds=3)
    tn = m.terminet
    assert "DATA ERROR" not in m.screen_text()
    assert tn.dropped == []
    lines = tn.text.splitlines()
    assert lines[:2] == ["HELLO FROM THE TRS-80 MODEL I",
                         "GE TERMINET 300 - 30 CHARACTERS A SECOND AT 300 BAUD"]
    assert any(line.split()[:2] == ["10", "100"] for line in lines)  # N=10, N*N=100
    m.type("LLIST 10-30\r")
    m.run(seconds=20)
    assert "10 REM TERMINET.BAS" in m.terminet.text
