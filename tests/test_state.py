"""Save states: an exact round trip, and clear errors that change nothing."""

from __future__ import annotations

import json
import zipfile

import pytest

from z80emu.machines.state import FORMAT, StateError, read_state
from z80emu.machines.trs80 import TRS80


def busy_machine() -> TRS80:
    m = TRS80()
    m.wait_for("READY", timeout=2.0)
    m.type("SAVE ME")
    m.run(seconds=0.05)  # in the middle of typing
    m.keyboard.press("SHIFT")
    m.port_ff.write(0x08)
    return m


def snapshot(m: TRS80) -> tuple:
    return (bytes(m.memory), m.cpu.get_state(), m.keyboard.get_state(),
            m.video.get_state(), m.port_ff.get_state(), m.latch.get_state())


def test_round_trip_restores_everything_and_runs_the_same(tmp_path) -> None:
    m = busy_machine()
    path = tmp_path / "m.z80state"
    m.save_state(path)
    before = snapshot(m)
    m.run(seconds=0.5)
    after_run = (m.screen_text(), m.cpu.get_state(), bytes(m.memory))

    other = TRS80(ram_kb=16, expansion=False)  # reconfigured by the state
    other.load_state(path)
    assert other.ram_kb == 48 and other.expansion
    assert snapshot(other) == before
    other.run(seconds=0.5)
    assert (other.screen_text(), other.cpu.get_state(), bytes(other.memory)) == after_run


def test_state_file_is_documented_zip_json(tmp_path) -> None:
    m = busy_machine()
    path = tmp_path / "m.z80state"
    m.save_state(path)
    with zipfile.ZipFile(path) as archive:
        state = json.loads(archive.read("state.json"))
        assert len(archive.read("memory.bin")) == 65536
    assert state["format"] == FORMAT and state["version"] == 2
    assert state["machine"] == "trs80-model1"
    assert state["config"]["ram_kb"] == 48
    assert set(state["devices"]) == {"keyboard", "video", "port_ff", "latch", "ei", "rs232",
                                     "printer_port", "tape", "printers"}
    checked, memory, members = read_state(path)
    assert checked == state and memory == bytes(m.memory) and members == {}


def check_unchanged(m: TRS80, path, message: str) -> None:
    before = snapshot(m)
    with pytest.raises(StateError, match=message):
        m.load_state(path)
    assert snapshot(m) == before


def test_truncated_file(tmp_path) -> None:
    m = busy_machine()
    good = tmp_path / "good.z80state"
    m.save_state(good)
    data = good.read_bytes()
    cut = tmp_path / "cut.z80state"
    cut.write_bytes(data[: len(data) // 2])
    m.run(seconds=0.1)
    check_unchanged(m, cut, "truncated or damaged")


def test_foreign_files(tmp_path) -> None:
    m = busy_machine()
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    check_unchanged(m, text, "not a z80emu state file")
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "x")
    check_unchanged(m, other_zip, "not a z80emu state file")
    missing = tmp_path / "missing.z80state"
    check_unchanged(m, missing, "cannot read")


def rewrite(path, out, change) -> None:
    with zipfile.ZipFile(path) as archive:
        state = json.loads(archive.read("state.json"))
        memory = archive.read("memory.bin")
    result = change(state, memory)
    if isinstance(result, bytes):
        memory = result
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("state.json", json.dumps(state))
        archive.writestr("memory.bin", memory)


def test_wrong_version_and_bad_fields(tmp_path) -> None:
    m = busy_machine()
    good = tmp_path / "good.z80state"
    m.save_state(good)

    newer = tmp_path / "newer.z80state"
    rewrite(good, newer, lambda s, mem: s.update(version=99))
    check_unchanged(m, newer, "version 99 is not supported")

    broken = tmp_path / "broken.z80state"
    rewrite(good, broken, lambda s, mem: s["cpu"].pop("pc"))
    check_unchanged(m, broken, "does not fit")

    short = tmp_path / "short.z80state"
    rewrite(good, short, lambda s, mem: mem[:100])
    check_unchanged(m, short, "expected 65536")

    bad_keys = tmp_path / "keys.z80state"
    rewrite(good, bad_keys, lambda s, mem: s["devices"]["keyboard"].update(held="x"))
    check_unchanged(m, bad_keys, "does not fit")


def test_state_keeps_the_rom_it_was_made_with(tmp_path) -> None:
    rom = tmp_path / "loop.rom"
    rom.write_bytes(bytes([0x18, 0xFE]) + bytes(0x3000 - 2))  # JR $
    m = TRS80(rom=rom)
    m.run(seconds=0.01)
    path = tmp_path / "loop.z80state"
    m.save_state(path)
    other = TRS80()
    other.load_state(path)
    assert other.rom.md5 == m.rom.md5 and other.peek(0, 2) == bytes([0x18, 0xFE])
