"""Fast loading into the machine: BASIC at TXTTAB with Level II's pointers, SYSTEM
tapes and CMD files placed and started, WAV recordings decoded; and ``z80emu run
FILE`` choosing the way for the file and the ROM."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from z80emu.cli import main
from z80emu.formats import Segment
from z80emu.formats.basic import (
    ARYTAB,
    DATPTR,
    OLDTXT,
    STREND,
    TXTTAB,
    VARTAB,
    read_image,
    tokenize,
    write_bas,
)
from z80emu.formats.cas import write_basic_cas, write_system_cas
from z80emu.formats.wav import encode_wav
from z80emu.loader import LoadError, fast_load_basic, has_basic
from z80emu.machines.trs80 import TRS80

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "basic"
# Prints HELLO FROM TAPE through the ROM's 0033h, then waits.
HELLO = bytes.fromhex("21 0D 70 7E B7 28 FE CD 33 00 23 18 F6") + b"HELLO FROM TAPE\x00"


def booted() -> TRS80:
    m = TRS80()
    m.wait_for("READY", timeout=2.0)
    return m


def word(m: TRS80, address: int) -> int:
    return m.peek(address) | (m.peek(address + 1) << 8)


def test_basic_fast_load_sets_the_pointers(tmp_path) -> None:
    program = tokenize((EXAMPLES / "guess.bas").read_text())
    path = tmp_path / "guess.bas"
    path.write_bytes(write_bas(program))
    m = booted()
    assert has_basic(m)  # the project's ROM sets TXTTAB at 42E9h, as Level II does
    loaded = m.load(path)
    start, end = 0x42E9, 0x42E9 + program.size
    assert (loaded.start, loaded.end) == (start, end)
    assert word(m, TXTTAB) == start and m.peek(start - 1) == 0
    assert word(m, VARTAB) == word(m, ARYTAB) == word(m, STREND) == end
    assert word(m, DATPTR) == start - 1 and word(m, OLDTXT) == 0
    in_memory, _ = read_image(m.peek(start, end - start), base=start)
    assert in_memory.lines == program.lines


def test_basic_goes_where_the_rom_put_txttab() -> None:
    """With BASIC in the ROM (simulated here), the program goes to its TXTTAB and
    the links are made for that address."""
    m = booted()
    m.poke(TXTTAB, bytes([0x00, 0x60]))
    m.poke(0x40B1, bytes([0xFF, 0xBF]))
    assert has_basic(m)
    program = tokenize("10 PRINT 1\n20 GOTO 10\n")
    loaded = fast_load_basic(m, program)
    assert loaded.start == 0x6000
    assert word(m, 0x6000) == 0x6000 + 5 + len(program.lines[0].text)
    with pytest.raises(LoadError, match="the program needs"):
        fast_load_basic(m, tokenize("\n".join(f"{i} REM {'X' * 200}"
                                               for i in range(1, 120))))


def test_listing_and_basic_tape_load_the_same(tmp_path) -> None:
    text = (EXAMPLES / "primes.bas").read_text()
    (tmp_path / "p.bas").write_text(text)
    (tmp_path / "p.cas").write_bytes(write_basic_cas(tokenize(text), "P"))
    a, b = booted(), booted()
    a.load(tmp_path / "p.bas")
    b.load(tmp_path / "p.cas")
    assert a.peek(0x42E9, 400) == b.peek(0x42E9, 400)


def test_system_tape_and_wav_are_placed_and_started(tmp_path) -> None:
    cas = write_system_cas([Segment(0x7000, HELLO)], 0x7000, "HELLO")
    for name, data in (("h.cas", cas), ("h.wav", encode_wav(cas, 22050))):
        path = tmp_path / name
        path.write_bytes(data)
        m = booted()
        program = m.load(path)
        assert program.entry == 0x7000 and m.cpu.pc == 0x7000
        m.wait_for("HELLO FROM TAPE", timeout=1.0)


def test_load_into_the_deck(tmp_path) -> None:
    path = tmp_path / "h.cas"
    path.write_bytes(write_system_cas([Segment(0x7000, HELLO)], 0x7000, "HELLO"))
    m = booted()
    tape = m.load(path, tape=True)
    assert tape.files[0].name == "HELLO" and m.tape.loaded and not m.tape.motor


def run(*args: str):
    return CliRunner().invoke(main, ["run", "--frontend", "headless", *args])


def test_run_a_system_tape(tmp_path) -> None:
    path = tmp_path / "hello.cas"
    path.write_bytes(write_system_cas([Segment(0x7000, HELLO)], 0x7000, "HELLO"))
    result = run(str(path), "--until", "HELLO FROM TAPE", "--seconds", "2")
    assert result.exit_code == 0, result.output
    assert "started at 7000h" in result.output
    result = run(str(path), "--no-autorun", "--until", "HELLO FROM TAPE", "--seconds", "0.5")
    assert result.exit_code == 1 and "entry 7000h" in result.output


def no_basic_rom(tmp_path) -> str:
    """A 4 KB ROM that only waits (JR $): no BASIC, no tape routines."""
    rom = tmp_path / "wait.rom"
    rom.write_bytes(bytes([0x18, 0xFE]) + bytes(0x1000 - 2))
    return str(rom)


def test_run_basic_on_a_rom_without_basic_says_so(tmp_path) -> None:
    path = tmp_path / "guess.bas"
    path.write_text((EXAMPLES / "guess.bas").read_text())
    result = run("--rom", no_basic_rom(tmp_path), str(path), "--seconds", "0.2")
    assert result.exit_code == 0, result.output
    assert "19 lines of BASIC at 42E9h" in result.output
    assert "this ROM has no BASIC to RUN it" in result.output
    result = run(str(path).replace(".bas", ".cas"), "--seconds", "0.1")
    assert result.exit_code == 1 and "No such file" in result.output


def test_run_tape_needs_a_rom_that_reads_tapes(tmp_path) -> None:
    path = tmp_path / "p.cas"
    path.write_bytes(write_basic_cas(tokenize("10 END"), "P"))
    result = run("--rom", no_basic_rom(tmp_path), str(path), "--tape", "--seconds", "0.1")
    assert result.exit_code == 1 and "--tape needs a ROM with BASIC" in result.output


@pytest.mark.parametrize("name, data, fault", [
    ("bad.cas", write_system_cas([Segment(0x7000, HELLO)], 0x7000, "X")[:-10] + bytes(10),
     "bad checksum in block 1"),
    ("bad.cmd", bytes([1, 3, 0, 0x70, 0xC9, 9, 1, 0]), "offset 0x0005: record type 09h unknown"),
    ("bad.bas", b"\xFF\xEF\x42\x0A\x00\x80\x00\x00\x99\x14\x00\x80\x00\x00\x00",
     "line link 9900h of line 20 pointing outside the file"),
    ("bad.wav", b"RIFF....WAVEjunk", "no fmt chunk"),
])
def test_run_bad_files_get_one_line_messages(tmp_path, name: str, data: bytes,
                                             fault: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run(str(path), "--seconds", "0.1")
    assert result.exit_code == 1, result.output
    assert f"{name}:" in result.output and fault in result.output
    assert "Traceback" not in result.output


def test_record_option_writes_what_the_machine_saves(tmp_path) -> None:
    from tests.test_load_tape import program

    writer = program("tape_write")
    cas = write_basic_cas(tokenize("10 END"), "R")
    code = writer.segments[0].data
    image = bytearray(code)
    count_at = writer.symbols["COUNT"] - 0x7000
    image[count_at:count_at + 2] = len(cas).to_bytes(2, "little")
    cmd = tmp_path / "writer.cmd"
    from z80emu.formats.cmd import write_cmd

    cmd.write_bytes(write_cmd([Segment(0x7000, bytes(image)), Segment(0x7800, cas)], 0x7000))
    out = tmp_path / "saved.cas"
    result = run(str(cmd), "--record", str(out), "--seconds", "6")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == cas


def test_start_file_types_run_when_the_rom_has_basic(tmp_path) -> None:
    """With BASIC set up (simulated: TXTTAB and MEMSIZ as Level II leaves them),
    a BASIC file is loaded at TXTTAB and RUN is typed; --tape types CLOAD."""
    from z80emu.loader import start_file

    path = tmp_path / "p.bas"
    path.write_text("10 PRINT 1\n")
    for tape, typed in ((False, "RUN"), (True, "CLOAD")):
        m = booted()
        m.poke(TXTTAB, bytes([0xE9, 0x42]))
        m.poke(0x40B1, bytes([0xFF, 0xFF]))
        queued: list[str] = []
        m.type = queued.append
        if tape:
            (tmp_path / "p.cas").write_bytes(write_basic_cas(tokenize("10 PRINT 1"), "P"))
            note = start_file(m, str(tmp_path / "p.cas"), tape=True)
            assert m.tape.loaded and "playing the tape" in note
        else:
            note = start_file(m, str(path))
            assert note.endswith("; RUN") and word(m, VARTAB) == 0x42E9 + 10
        assert queued == [typed + "\r" + ("RUN\r" if tape else "")]
