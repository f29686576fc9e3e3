"""The authentic tape path: a .CAS played into port FFh at the 500-baud timing and
read by a Z80 program that reads the port as Level II does; a Z80 program that
writes pulses as CSAVE does, recorded back into a .CAS; the motor, the deck's
place on the tape, full speed while the motor runs; and, when a Level II ROM
you own is found, CLOAD, CSAVE and SYSTEM themselves."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from z80emu.asm import assemble_file
from z80emu.devices.tape import NEVER
from z80emu.formats import Segment
from z80emu.formats.basic import tokenize
from z80emu.formats.cas import read_basic_cas, write_basic_cas, write_system_cas
from z80emu.machines.trs80 import TRS80

PROGS = Path(__file__).resolve().parent / "tape_progs"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "basic"
BUFFER, DONE = 0x7800, 0x77FF  # as in the programs


@cache
def program(name: str):
    result = assemble_file(str(PROGS / f"{name}.asm"))
    result.check()
    return result


def start(machine: TRS80, name: str, count: int) -> None:
    result = program(name)
    for segment in result.segments:
        machine.poke(segment.address, segment.data)
    machine.poke(result.symbols["COUNT"], count.to_bytes(2, "little"))
    machine.poke(DONE, 0)
    machine.cpu.pc = result.start


def booted() -> TRS80:
    m = TRS80()
    m.wait_for("READY", timeout=2.0)
    return m


def read_tape_with_program(m: TRS80, payload_length: int, seconds: float) -> bytes:
    start(m, "tape_read", payload_length)
    m.run(seconds=seconds, until=lambda: m.peek(DONE) == 0xAA)
    assert m.peek(DONE) == 0xAA, "the tape reader did not finish"
    return m.peek(BUFFER, payload_length)


def seconds_for(data: bytes) -> float:
    return 0.5 + len(data) * 8 * 0.0021


def test_a_z80_program_reads_a_basic_tape_through_port_ff() -> None:
    cas = write_basic_cas(tokenize((EXAMPLES / "guess.bas").read_text()), "G")
    m = booted()
    m.tape.insert(cas)
    assert m.tape.deadline == NEVER  # nothing plays until the motor runs
    payload = cas[257:]
    assert read_tape_with_program(m, len(payload), seconds_for(cas)) == payload
    assert not m.tape.motor and m.tape.deadline == NEVER


def test_a_z80_program_reads_a_system_tape() -> None:
    cas = write_system_cas([Segment(0x5000, bytes(range(256)) * 2)], 0x5000, "DATA")
    m = booted()
    m.tape.insert(cas)
    payload = cas[257:]
    assert read_tape_with_program(m, len(payload), seconds_for(cas)) == payload


def test_the_tape_keeps_its_place_when_the_motor_stops() -> None:
    first = write_basic_cas(tokenize("10 END"), "A")
    second = write_system_cas([Segment(0x5000, b"SECOND FILE")], 0x5000, "B")
    m = booted()
    m.tape.insert(first + second)
    assert read_tape_with_program(m, len(first) - 257, seconds_for(first)) == first[257:]
    m.run(seconds=1.0)  # the motor is off: the tape waits
    assert read_tape_with_program(m, len(second) - 257, seconds_for(second)) == second[257:]
    assert m.tape.at_end


def test_pulses_written_like_csave_are_recorded_as_a_cas(tmp_path) -> None:
    cas = write_basic_cas(tokenize((EXAMPLES / "strings.bas").read_text()), "S")
    m = booted()
    m.poke(BUFFER, cas)
    out = tmp_path / "out.cas"
    m.tape.record_path = str(out)
    start(m, "tape_write", len(cas))
    m.run(seconds=seconds_for(cas) + 0.5, until=lambda: m.peek(DONE) == 0xAA)
    assert m.peek(DONE) == 0xAA
    assert bytes(m.tape.recording) == cas
    assert out.read_bytes() == cas
    assert read_basic_cas(out.read_bytes()).lines == tokenize(
        (EXAMPLES / "strings.bas").read_text()).lines


def test_recorded_tape_plays_back() -> None:
    cas = write_system_cas([Segment(0x5000, bytes(range(200)))], 0x5000, "LOOP")
    m = booted()
    m.poke(BUFFER, cas)
    start(m, "tape_write", len(cas))
    m.run(seconds=seconds_for(cas) + 0.5, until=lambda: m.peek(DONE) == 0xAA)
    recorded = bytes(m.tape.recording)
    m2 = booted()
    m2.tape.insert(recorded)
    assert read_tape_with_program(m2, len(cas) - 257, seconds_for(cas)) == cas[257:]


def test_full_speed_while_the_motor_runs(monkeypatch) -> None:
    """With a real-time speed the throttle is not consulted while the tape moves,
    and takes over again (from the new time) when the motor stops."""
    from z80emu.devices import timing

    calls = {"sync": 0, "reset": 0}

    class Counting(timing.Throttle):
        def sync(self, cycles: int) -> None:
            calls["sync"] += 1

        def reset(self, cycles: int) -> None:
            calls["reset"] += 1

    monkeypatch.setattr("z80emu.machines.trs80.Throttle", Counting)
    cas = write_basic_cas(tokenize("10 END"), "A")
    m = booted()
    m.speed = 1.0
    m.tape.insert(cas)
    start(m, "tape_read", len(cas) - 257)
    m.run(seconds=0.2)
    assert m.tape.motor and m.tape_running_fast and calls["sync"] == 0
    m.run(seconds=seconds_for(cas), until=lambda: m.peek(DONE) == 0xAA)
    m.run(seconds=0.1)
    assert not m.tape.motor and calls["reset"] == 1 and calls["sync"] > 0
    m.fast_tape = False
    assert not m.tape_running_fast


# -- the real Level II ROM, when you have one ---------------------------------------------

def level2_rom():
    from z80emu.roms.lookup import find_rom

    path = os.environ.get("Z80EMU_ROM")
    try:
        rom = find_rom(None)
    except Exception:  # pragma: no cover - a broken config is not this test's business
        rom = None
    if rom is None or not rom.name.startswith("Level II"):
        pytest.skip(f"no Level II ROM found (set Z80EMU_ROM; looked at {path!r} and the "
                    "config folder): the real CLOAD/CSAVE/SYSTEM tests need one you own")
    return rom


def level2() -> TRS80:
    from z80emu.loader import boot_basic

    m = TRS80(rom=level2_rom())
    assert boot_basic(m)
    return m


def test_level2_cload_and_run_from_tape() -> None:
    m = level2()
    m.tape.insert(write_basic_cas(tokenize('10 PRINT "FROM TAPE";6*7'), "T"))
    m.type("CLOAD\rRUN\r")
    m.wait_for("FROM TAPE 42", timeout=30.0)


def test_level2_csave_writes_a_cas() -> None:
    m = level2()
    program = tokenize((EXAMPLES / "numbers.bas").read_text())
    from z80emu.loader import fast_load_basic

    fast_load_basic(m, program)
    m.type('CSAVE"N"\r')
    m.run(seconds=40.0, until=lambda: bool(m.tape.recording) and not m.tape.motor)
    assert read_basic_cas(bytes(m.tape.recording)).lines == program.lines


def test_level2_system_tape() -> None:
    m = level2()
    code = bytes.fromhex("21 0D 70 7E B7 28 FE CD 33 00 23 18 F6") + b"SYSTEM OK\x00"
    m.tape.insert(write_system_cas([Segment(0x7000, code)], 0x7000, "SHOW"))
    m.type("SYSTEM\rSHOW\r/\r")
    m.wait_for("SYSTEM OK", timeout=30.0)
