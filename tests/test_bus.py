"""The bus on its own: address decoding of reads, writes and ports."""

from __future__ import annotations

import pytest

from z80emu.bus import Bus


def bus(**kwargs) -> Bus:
    b = Bus(bytearray(0x10000), **kwargs)
    b.clear_unmapped()
    return b


def test_write_limit_keeps_ram_and_video_off_the_hook() -> None:
    assert (bus().write_limit, bus().write_top) == (0x3C00, 0x10000)
    assert (bus(ram_kb=16).write_limit, bus(ram_kb=16).write_top) == (0x3C00, 0x8000)


def test_writes_by_region() -> None:
    b = bus(ram_kb=16)
    mem = b.memory
    b.write(0x0100, 0x12)  # ROM
    assert mem[0x0100] == 0
    b.write(0x3000, 0x12)  # nothing
    assert mem[0x3000] == 0xFF
    b.write(0x3810, 0x12)  # keyboard
    assert mem[0x3810] == 0
    b.write(0x3C00, 0x01)  # video: kept as written, read through the gate
    assert mem[0x3C00] == 0x01 and b.read(0x3C00) == 0x41
    b.write(0x3C01, 0x61)
    assert b.read(0x3C01) == 0x21
    b.write(0x7FFF, 0x12)  # RAM
    assert mem[0x7FFF] == 0x12
    b.write(0x8000, 0x12)  # absent
    assert mem[0x8000] == 0xFF


def test_registers_only_with_the_expansion_interface() -> None:
    calls = []
    for expansion in (True, False):
        b = bus(expansion=expansion)
        b.map_register(0x37E8, 0x37EB, read=lambda a: 0x30, write=lambda a, v: calls.append(v))
        assert b.read(0x37E9) == (0x30 if expansion else 0xFF)
        b.write(0x37EA, 0x41)
        assert b.read(0x37EC) == 0xFF  # no disk controller
        assert b.read(0x37F5) == 0xFF
    assert calls == [0x41]
    with pytest.raises(ValueError):
        bus().map_register(0x37F0, 0x37F0)


def test_lowercase_mod_reads_video_unchanged() -> None:
    b = bus(lowercase=True)
    b.memory[0x3C00] = 0x61
    assert b.read(0x3C00) == 0x61


def test_keyboard_reads_are_served_from_memory() -> None:
    b = bus()
    b.keyboard.press("Q")
    assert b.read(0x3804) == 0x02 == b.memory[0x3804]


def test_ports_decode_low_byte() -> None:
    b = bus()
    seen = []
    b.map_port(0xE8, read=lambda p: p >> 8, write=lambda p, v: seen.append((p, v)))
    assert b.io_read(0x12E8) == 0x12
    assert b.io_read(0x00E9) == 0xFF  # nothing on E9h
    b.io_write(0x34E8, 7)
    b.io_write(0x0001, 9)
    assert seen == [(0x34E8, 7)]


def test_bad_configuration() -> None:
    with pytest.raises(ValueError, match="RAM size"):
        Bus(bytearray(0x10000), ram_kb=8)
    with pytest.raises(ValueError):
        Bus(bytearray(100))
