"""Cassette images: BASIC and SYSTEM tapes written and read back, several files on
one tape, unaligned images, the pulse timing, and bad tapes named by offset."""

from __future__ import annotations

import pytest

from z80emu.formats import FormatError, Segment
from z80emu.formats.basic import tokenize
from z80emu.formats.cas import (
    CLOCK_LIMIT_T,
    DATA_PULSE_T,
    PulseDecoder,
    pulse_times,
    read_basic_cas,
    read_system_cas,
    read_tape,
    write_basic_cas,
    write_system_cas,
)

PROGRAM = tokenize('10 PRINT "HELLO"\n20 GOTO 10\n')
CODE = [Segment(0x7000, bytes(range(256)) * 2 + b"\x01\x02\x03"), Segment(0x7400, b"\xC9")]


def system_tape() -> bytes:
    return write_system_cas(CODE, 0x7000, "GAME")


def test_system_tape_round_trip_keeps_blocks() -> None:
    tape = read_tape(system_tape(), "g.cas")
    (f,) = tape.files
    assert f.kind == "system" and f.name == "GAME" and f.leader == 256
    assert [(b.address, len(b.data)) for b in f.blocks] == [(0x7000, 256), (0x7100, 256),
                                                           (0x7200, 3), (0x7400, 1)]
    assert f.program.entry == 0x7000
    assert [(s.address, s.data) for s in f.program.segments] == [(s.address, s.data)
                                                                 for s in CODE]
    assert read_system_cas(system_tape()).segments == f.program.segments


def test_basic_tape_round_trip() -> None:
    data = write_basic_cas(PROGRAM, "hello")
    assert data[256:261] == bytes([0xA5, 0xD3, 0xD3, 0xD3, ord("H")])
    program = read_basic_cas(data, "h.cas")
    assert program.lines == PROGRAM.lines and program.name == "H"


def test_several_files_on_one_tape() -> None:
    data = write_basic_cas(PROGRAM, "A") + system_tape() + bytes(255) + b"\xA5" + b"1,4,9\r"
    tape = read_tape(data, "mix.cas")
    assert [(f.kind, f.name) for f in tape.files] == [("basic", "A"), ("system", "GAME"),
                                                      ("data", "")]
    assert tape.files[2].payload == b"1,4,9\r"
    assert tape.files[1].offset == tape.files[0].end
    assert not tape.warnings


def test_unaligned_tape_is_realigned() -> None:
    data = system_tape()
    value = int.from_bytes(data, "big") << 3  # three stray bits before the leader
    shifted = value.to_bytes(len(data) + 1, "big")
    tape = read_tape(shifted, "odd.cas")
    assert tape.shift == 5 and tape.warnings
    assert tape.files[0].program.entry == 0x7000


def test_trailing_junk_is_a_warning() -> None:
    tape = read_tape(system_tape() + b"\x12\x34", "j.cas")
    assert tape.files[0].kind == "system"
    assert "2 bytes after the last file" in tape.warnings[0]


def corrupt(data: bytes, offset: int, value: int) -> bytes:
    return data[:offset] + bytes([value]) + data[offset + 1:]


def test_bad_checksum_names_the_block() -> None:
    data = system_tape()
    block3 = 256 + 8 + 2 * 261  # leader, sync, header, name, two full blocks
    bad = corrupt(data, block3 + 5, 0xEE)
    with pytest.raises(FormatError) as info:
        read_tape(bad, "g.cas")
    stored = bad[block3 + 7]
    assert str(info.value) == (f"g.cas: offset 0x{block3:04X}: bad checksum in block 3 "
                               f"(3 bytes at 7200h): stored {stored:02X}h, computed "
                               f"{sum(bad[block3 + 2:block3 + 7]) & 0xFF:02X}h")


@pytest.mark.parametrize("damage, fault", [
    (lambda d: d[:300], "file ends inside block 1 (256 bytes at 7000h)"),
    (lambda d: d[:-2], "file ends inside the entry address"),
    (lambda d: corrupt(d, 256 + 8, 0x3D), "expected data block 1 (3Ch) or the entry record"),
    (lambda d: bytes(256) + b"\x55", "expected the sync byte A5h"),
    (lambda d: bytes(300), "no sync byte A5h"),
    (lambda d: d[:257], "file ends after the sync byte"),
])
def test_bad_system_tapes(damage, fault: str) -> None:
    with pytest.raises(FormatError) as info:
        read_tape(damage(system_tape()), "t.cas")
    assert str(info.value).startswith("t.cas: ") and fault in str(info.value)


def test_bad_basic_tapes() -> None:
    data = write_basic_cas(PROGRAM)
    with pytest.raises(FormatError, match="file ends before the 00h 00h end-of-program link"):
        read_tape(data[:-1], "b.cas")
    with pytest.raises(FormatError, match=r"offset 0x0105: line link .* outside the file"):
        read_tape(corrupt(data, 262, 0x99), "b.cas")
    with pytest.raises(FormatError, match="this is a BASIC program tape"):
        read_system_cas(data, "b.cas")
    with pytest.raises(FormatError, match="no BASIC program on this tape"):
        read_basic_cas(system_tape(), "s.cas")


def test_pulse_train_and_decoder_round_trip() -> None:
    data = write_basic_cas(PROGRAM)
    times, length = pulse_times(data)
    ones = sum(bin(b).count("1") for b in data)
    assert len(times) == len(data) * 8 + ones
    assert DATA_PULSE_T < CLOCK_LIMIT_T
    decoder = PulseDecoder()
    for t in times:
        decoder.pulse(int(t))
    decoder.finish()
    assert decoder.take() == data
    # bit cells average 2 ms: about 500 baud
    assert 1.9e-3 < length / 1_774_080 / (len(data) * 8) < 2.1e-3
