"""TRS-80 .CMD files: every record type of the table, and bad files named by offset."""

from __future__ import annotations

import pytest

from z80emu.formats import FormatError, Segment
from z80emu.formats.cmd import RECORD_NAMES, read_cmd, read_cmd_records, write_cmd


def test_write_read_round_trip() -> None:
    segments = [Segment(0x5200, bytes(range(256)) * 3), Segment(0x6000, b"\x01\x02")]
    program = read_cmd(write_cmd(segments, 0x5200, "DEMO"), "d.cmd")
    assert program.entry == 0x5200 and program.name == "DEMO"
    assert [(s.address, s.data) for s in program.segments] == [(s.address, s.data)
                                                               for s in segments]


def test_every_record_type() -> None:
    data = (bytes([0x05, 0x04]) + b"DEMO"
            + bytes([0x1F, 0x05]) + b"(C)79"
            + bytes([0x00, 0x02, 0xAA, 0xBB])  # skip block
            + bytes([0x06, 0x03]) + b"PDS" + bytes([0x07, 0x02]) + b"P1"
            + bytes([0x08, 0x06]) + bytes(6) + bytes([0x0A, 0x01, 0x00])
            + bytes([0x0C, 0x02, 0, 0]) + bytes([0x0E, 0x01, 0x00]) + bytes([0x04, 0x01, 0x00])
            + bytes([0x10, 0x03, 0x00, 0x71, 0xFF])  # yanked: not loaded
            + bytes([0x01, 0x00, 0x00, 0x70]) + bytes(range(254))  # length 00h: 254 bytes
            + bytes([0x01, 0x02, 0xFE, 0x70]) + bytes(256)  # length 02h: 256 bytes
            + bytes([0x02, 0x02, 0x00, 0x70])
            + b"trailing bytes are ignored")
    records = read_cmd_records(data, "all.cmd")
    assert [r.kind for r in records] == [5, 0x1F, 0, 6, 7, 8, 0x0A, 0x0C, 0x0E, 4, 0x10, 1, 1, 2]
    assert records[0].meaning == 'module name "DEMO"'
    assert records[1].meaning == 'copyright "(C)79"'
    assert records[10].meaning == "yanked (not loaded) 1 byte at 7100h-7100h"
    assert records[11].meaning == "load 254 bytes at 7000h-70FDh"
    assert records[12].meaning == "load 256 bytes at 70FEh-71FDh"
    program = read_cmd(data, "all.cmd")
    assert program.entry == 0x7000 and program.name == "DEMO"
    assert [(s.address, len(s.data)) for s in program.segments] == [(0x7000, 510)]


def test_end_record_without_transfer() -> None:
    program = read_cmd(bytes([1, 3, 0, 0x70, 0xC9, 3, 0]), "e.cmd")
    assert program.entry is None and program.segments[0].data == b"\xC9"


def test_all_table_types_are_known() -> None:
    assert sorted(RECORD_NAMES) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0x0C, 0x0E, 0x10, 0x1F]


@pytest.mark.parametrize("data, fault", [
    (bytes([1, 3, 0, 0x70, 0xC9, 9, 1, 0]), "offset 0x0005: record type 09h unknown"),
    (bytes([1, 10, 0, 0x70, 0xC9]), "offset 0x0000: load block record (type 01h) needs 10 "
                                    "bytes, only 3 left"),
    (bytes([1, 3, 0, 0x70, 0xC9, 2]), "offset 0x0005: record type 02h without a length byte"),
    (bytes([1, 4, 0xFF, 0xFF, 0, 0]), "offset 0x0000: load record at FFFFh runs past FFFFh"),
    (bytes([5, 1, 0x41, 2, 2, 0, 0x70]), "offset 0x0000: no load records"),
    (b"", "empty file"),
])
def test_bad_cmd_files(data: bytes, fault: str) -> None:
    with pytest.raises(FormatError) as info:
        read_cmd(data, "bad.cmd")
    assert str(info.value).startswith("bad.cmd: ") and fault in str(info.value)
