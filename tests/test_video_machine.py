"""Video on the running machine: a Z80 program writes video RAM and port FFh."""

from __future__ import annotations

from tests.machine_progs import run_until_marker, start_program
from z80emu.devices.video import sextant
from z80emu.machines.trs80 import TRS80


def test_program_writes_screen_and_switches_to_32_columns() -> None:
    m = TRS80()
    m.wait_for("READY", timeout=2.0)
    start_program(m, "video")
    run_until_marker(m, 0x600F)
    assert m.peek(0x6000) == 0x41  # 01h came back with bit 6: "A"
    assert m.peek(0x6001) == 0x21  # 61h lost bit 6
    assert m.peek(0x6002) == 0x85  # C5h lost bit 6
    assert m.peek(0x6003) == 0x7F  # port FFh: 64 columns, bit 6 set
    assert m.peek(0x6004) == 0x3F  # 32 columns: bit 6 clear
    assert m.video.wide
    lines = m.screen_text().splitlines()
    assert len(lines[0]) == 32
    assert lines[0].startswith("HA")  # even addresses: H, then A (01h)
    assert lines[1] == "".join(sextant(b) for b in range(0, 64, 2))
    m.port_ff.write(0)
    lines = m.screen_text().splitlines()
    assert lines[0].startswith("HIA!")
    assert lines[0][4] == sextant(0x05)
    assert lines[1] == "".join(sextant(b) for b in range(64))


def test_lowercase_modification_keeps_lowercase() -> None:
    m = TRS80(lowercase=True)
    m.wait_for("READY", timeout=2.0)
    assert m.peek(0x4042) == 0xFF  # the ROM noticed the modification
    m.type("Hello")
    m.wait_for("Hello", timeout=2.0)
    m2 = TRS80()
    m2.wait_for("READY", timeout=2.0)
    assert m2.peek(0x4042) == 0
    m2.type("Hello")
    m2.wait_for("HELLO", timeout=2.0)
