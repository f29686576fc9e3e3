"""BASIC loaders (z80emu.basic_loader): every line crunches as Level II would take
it, and running the loader in a Level II stand-in (tests/level2_basic.py) pokes the
bytes, sets the USR vector, and refuses mistyped DATA or unprotected memory."""

from __future__ import annotations

import pytest

from tests.level2_basic import BasicError, Program, crunch
from z80emu.basic_loader import basic_loader
from z80emu.machines.trs80 import TRS80
from z80emu.monitor.target import TRS80Target

ROUTINE = bytes([0x3E, 0x2A, 0x32, 0x00, 0x3C, 0xC9])  # LD A,'*'; LD (3C00h),A; RET


def memory_with_memsiz(top: int) -> bytearray:
    mem = bytearray(0x10000)
    mem[0x40B1], mem[0x40B2] = top & 0xFF, top >> 8  # MEMORY SIZE? answered
    return mem


def test_every_line_is_level_ii_text() -> None:
    text = basic_loader(bytes(range(256)) * 3, 0x9000, usr=0x9000)
    for line in text.splitlines():
        assert len(line) <= 64 and line == line.upper()
        crunch(line)  # raises on lowercase, &H, Disk BASIC keywords, overlong lines


def test_the_stand_in_refuses_what_level_ii_refuses() -> None:
    with pytest.raises(BasicError, match="Disk BASIC only"):
        crunch("10 DEFUSR=32512")
    with pytest.raises(BasicError, match="&H"):
        crunch("10 POKE &H7F00,0")
    with pytest.raises(BasicError, match="lowercase"):
        crunch("10 print 1")
    mem = memory_with_memsiz(0xFFFF)
    with pytest.raises(BasicError, match="FC"):
        Program("10 POKE 40000,1", mem).run()


def test_the_loader_pokes_the_routine_and_the_usr_vector() -> None:
    mem = memory_with_memsiz(0x7EFF)
    printed = Program(basic_loader(ROUTINE, 0x7F00, usr=0x7F00), mem).run()
    assert bytes(mem[0x7F00:0x7F06]) == ROUTINE
    assert mem[0x408E] | mem[0x408F] << 8 == 0x7F00
    assert printed == ["LOADED. X=USR(0) CALLS 7F00H"]


def test_addresses_above_32767_are_poked_as_negative_numbers() -> None:
    mem = memory_with_memsiz(0xBFFF)
    data = bytes(range(1, 41))
    Program(basic_loader(data, 0xC000), mem).run()
    assert bytes(mem[0xC000:0xC028]) == data
    assert mem[0x408E] == mem[0x408F] == 0  # no --usr: the vector is left alone


def test_unprotected_memory_and_typing_mistakes_poke_nothing() -> None:
    text = basic_loader(ROUTINE, 0x7F00, usr=0x7F00)
    mem = memory_with_memsiz(0x7FFF)  # MEMORY SIZE? not answered on a 16 KB machine
    assert Program(text, mem).run() == ["ANSWER MEMORY SIZE? WITH 32511"]
    assert not any(mem[0x7F00:0x7F06])
    mem = memory_with_memsiz(0x7EFF)
    mistyped = text.replace("DATA 62,42,50", "DATA 62,42,51")
    assert Program(mistyped, mem).run() == ["DATA ERROR: SUM 416 NOT 415 "]
    assert not any(mem[0x7F00:0x7F06]) and mem[0x408E] == 0


def test_video_ram_needs_no_memory_size() -> None:
    mem = memory_with_memsiz(0xFFFF)
    text = basic_loader(b"HELLO", 0x3C00)
    assert "MEMORY SIZE" not in text
    Program(text, mem).run()
    assert bytes(mem[0x3C00:0x3C05]) == b"HELLO"


def test_refuses_ranges_basic_cannot_poke() -> None:
    with pytest.raises(ValueError, match="ROM"):
        basic_loader(ROUTINE, 0x0100)
    with pytest.raises(ValueError, match="past FFFFh"):
        basic_loader(ROUTINE, 0xFFFE)
    with pytest.raises(ValueError, match="empty"):
        basic_loader(b"", 0x7F00)


def test_what_the_loader_pokes_runs_through_the_usr_vector_on_a_trs80() -> None:
    """POKE into a TRS-80's memory as BASIC would, then call USR's address."""
    from tests.test_monitor_trs80 import session

    m = TRS80(ram_kb=16)
    m.run(seconds=1.0)
    m.poke(0x40B1, [0xFF, 0x7E])
    target = TRS80Target(m)

    class Poker:  # BASIC's POKE goes through the bus like the CPU's writes
        def __getitem__(self, addr):
            return target.read(addr, 1)[0]

        def __setitem__(self, addr, value):
            m.poke(addr, value)

    Program(basic_loader(ROUTINE, 0x7F00, usr=0x7F00), Poker()).run()
    usr = m.peek(0x408E) | m.peek(0x408F) << 8
    text, _ = session(f"go {usr:04X}\n", m)
    assert "returned from 7F00h" in text
    assert m.screen_text().startswith("*")
