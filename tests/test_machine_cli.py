"""`z80emu run` in headless batch mode, and the doctests of the machine modules."""

from __future__ import annotations

import doctest
import importlib

import pytest
from click.testing import CliRunner

from z80emu.run_cmd import run_command


def run(*args: str):
    return CliRunner().invoke(run_command, ["--frontend", "headless", *args])


def test_type_until_screen_and_screenshot(tmp_path) -> None:
    png = tmp_path / "s.png"
    result = run("--type", r"print 2+2\r", "--until", "PRINT 2+2", "--screen",
                 "--screenshot", str(png))
    assert result.exit_code == 0, result.output
    assert "PRINT 2+2" in result.output and "READY" in result.output
    assert "z80emu free ROM" in result.output  # the ROM is named on start (stderr)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_until_never_appears_exits_1() -> None:
    result = run("--until", "SYNTAX ERROR", "--seconds", "0.3")
    assert result.exit_code == 1
    assert "did not appear within 0.3 emulated seconds" in result.output


def test_load_a_cmd_file(tmp_path) -> None:
    from z80emu.formats import Segment
    from z80emu.formats.cmd import write_cmd

    code = bytes.fromhex("3E4F 32003C 3E4B 32013C 18FE")
    cmd = tmp_path / "ok.cmd"
    cmd.write_bytes(write_cmd([Segment(0x7000, code)], 0x7000, "OK"))
    result = run(str(cmd), "--seconds", "0.1", "--screen")
    assert result.exit_code == 0, result.output
    assert "\nOK" in "\n" + result.output.split("\n", 1)[1]


def test_bad_files_get_one_line_messages(tmp_path) -> None:
    bad = tmp_path / "bad.cmd"
    bad.write_bytes(b"\x01\x09\x00")
    result = run(str(bad))
    assert result.exit_code == 1 and "bad.cmd" in result.output
    assert "Traceback" not in result.output
    text = tmp_path / "notes.txt"
    text.write_text("x")
    result = run(str(text))
    assert result.exit_code == 2 and "give a .cmd" in result.output
    result = run("--load-state", str(text))
    assert result.exit_code == 1 and "not a z80emu state file" in result.output


def test_save_and_load_state_from_the_command_line(tmp_path) -> None:
    state = tmp_path / "m.z80state"
    result = run("--type", r"first\r", "--until", "FIRST", "--save-state", str(state))
    assert result.exit_code == 0, result.output
    result = run("--load-state", str(state), "--type", "second", "--until", "SECOND",
                 "--screen")
    assert result.exit_code == 0, result.output
    assert "FIRST" in result.output


def test_missing_frontend_says_so() -> None:
    result = CliRunner().invoke(run_command, ["--frontend", "terminal"])
    try:
        importlib.import_module("z80emu.frontends.terminal")
    except ImportError:
        assert result.exit_code == 2
        assert "not built yet" in result.output


def test_bad_speed() -> None:
    result = run("--speed", "fast")
    assert result.exit_code == 2 and "max" in result.output


@pytest.mark.parametrize("module", [
    "z80emu.devices.font", "z80emu.devices.video", "z80emu.devices.keyboard",
    "z80emu.devices.cassette", "z80emu.devices.interrupts", "z80emu.devices.timing",
    "z80emu.roms.lookup", "z80emu.run_cmd", "z80emu.machines.trs80",
])
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
