"""The project's own ROM (built from roms/src) and ROM lookup."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from z80emu.machines.trs80 import TRS80
from z80emu.roms.lookup import ENV_VAR, KNOWN_ROMS, RomError, find_rom, identify, read_rom

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_rom  # noqa: E402


def test_committed_image_equals_a_fresh_build() -> None:
    image, symbols = build_rom.build()
    assert len(image) in (0x3000, 0x37E0)  # 12 KB, or reaching into 3000h-37DFh
    assert build_rom.IMAGE.read_bytes() == image, "run tools/build_rom.py"


def test_build_tool_check_mode() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_rom.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_entry_points_at_level2_addresses() -> None:
    _, symbols = build_rom.build()
    for label, address in build_rom.ENTRY_POINTS.items():
        assert symbols[label] == address


def booted(**kwargs) -> TRS80:
    m = TRS80(**kwargs)
    m.wait_for("READY", timeout=2.0)
    return m


def lines(m: TRS80) -> list[str]:
    return [line.rstrip() for line in m.screen_text().splitlines()]


def test_boot_banner_and_cursor() -> None:
    m = booted()
    m.run(seconds=0.2)
    shown = lines(m)
    assert shown[0] == "Z80EMU ROM 1.0"
    assert shown[1] == "48K RAM - MONITOR: SYSTEM /M OR BREAK+RESET"
    assert shown[2] == "READY"  # BASIC's, straight after the banner
    assert shown[3].endswith("_")  # the cursor, waiting for a line
    # Interrupts stay off, as in Level II; IM 1 is set for programs that enable them.
    assert m.cpu.im == 1 and not m.cpu.iff1
    assert m.memory[0x4012] == 0xC3  # the interrupt goes through the RAM vector


def test_typed_text_is_echoed_with_backspace() -> None:
    m = booted()
    m.type("ABX\bC")
    m.wait_for("ABC_", timeout=2.0)


def test_display_driver_control_codes() -> None:
    m = booted()
    # Call 0033h from a program: home, text, cursor moves, erase to end of line.
    prog = bytearray()
    for ch in b"\x1c\x1fABCDEF\x18\x18\x1eX\x1d*\x1a\x1a+":
        prog += bytes([0x3E, ch, 0xCD, 0x33, 0x00])  # LD A,ch; CALL 0033h
    prog += bytes([0x18, 0xFE])
    m.poke(0x7000, prog)
    m.cpu.pc = 0x7000
    m.run(seconds=0.3)
    shown = lines(m)
    assert shown[0] == "*BCDX"
    assert shown[2] == " +_"


def test_32_column_code() -> None:
    m = booted()
    prog = bytearray()
    for ch in b"\x17WIDE":
        prog += bytes([0x3E, ch, 0xCD, 0x33, 0x00])
    prog += bytes([0x18, 0xFE])
    m.poke(0x7000, prog)
    m.cpu.pc = 0x7000
    m.run(seconds=0.2)
    assert m.video.wide and m.peek(0x403D) & 0x08
    assert "WIDE_" in m.screen_text()


def test_lookup_order(tmp_path, monkeypatch) -> None:
    own = find_rom(None, environ={}, config_dir=None)
    assert own.known and own.source == "built-in"
    mine = tmp_path / "mine.rom"
    mine.write_bytes(bytes(range(256)) * 48)
    env_rom = find_rom(None, environ={ENV_VAR: str(mine)}, config_dir=None)
    assert env_rom.source == str(mine) and not env_rom.known
    assert "unknown ROM" in env_rom.name
    config = tmp_path / "config"
    config.mkdir()
    (config / "level2.rom").write_bytes(bytes(0x3000))
    assert find_rom(None, environ={}, config_dir=config).source.endswith("level2.rom")
    assert find_rom(mine, environ={ENV_VAR: "x"}, config_dir=config).source == str(mine)


def test_level1_rom_is_padded_with_nothing(tmp_path) -> None:
    level1 = tmp_path / "l1.rom"
    level1.write_bytes(bytes([0x18, 0xFE]) + bytes(0x1000 - 2))
    rom = read_rom(level1)
    assert len(rom.image()) == 0x3000 and rom.image()[0x1000:] == b"\xFF" * 0x2000
    m = TRS80(rom=level1)
    m.run(seconds=0.01)
    assert m.cpu.pc == 0


def test_wrong_size_and_missing_rom(tmp_path) -> None:
    bad = tmp_path / "bad.rom"
    bad.write_bytes(b"x" * 1000)
    with pytest.raises(RomError, match=r"bad.rom: 1000 bytes is not a Model I ROM"):
        read_rom(bad)
    with pytest.raises(RomError, match="no such ROM file"):
        read_rom(tmp_path / "nothing.rom")
    with pytest.raises(RomError):
        TRS80(rom=bad)


def test_known_hashes_are_named() -> None:
    assert set(KNOWN_ROMS.values()) == {"Level II BASIC v1.2", "Level II BASIC v1.3",
                                        "Level I BASIC"}
    fake_l2 = bytes(0x100) + b"R/S L2 BASIC" + bytes(0x3000 - 0x100 - 12)
    name, known = identify(fake_l2)
    assert not known and "Level II" in name
    assert hashlib.md5(fake_l2).hexdigest() in name


def test_run_command_reports_the_rom(tmp_path) -> None:
    from click.testing import CliRunner

    from z80emu.run_cmd import run_command

    bad = tmp_path / "short.rom"
    bad.write_bytes(b"\x00" * 10)
    result = CliRunner().invoke(run_command, ["--frontend", "headless", "--rom", str(bad)])
    assert result.exit_code == 1
    assert "short.rom: 10 bytes is not a Model I ROM" in result.output


def _level2_rom():
    """A Level II ROM the tester owns: $Z80EMU_LEVEL2_ROM, else $Z80EMU_ROM if it is
    a recognised Level II image. Never part of the repository."""
    import os

    for var in ("Z80EMU_LEVEL2_ROM", "Z80EMU_ROM"):
        path = os.environ.get(var)
        if path and os.path.isfile(path):
            try:
                rom = read_rom(path)
            except RomError:
                continue
            if rom.known and rom.name.startswith("Level II"):
                return rom
    pytest.skip("no Level II ROM: set Z80EMU_LEVEL2_ROM to a v1.2 or v1.3 image you own")


def test_level2_rom_boots_and_takes_typed_lines() -> None:
    rom = _level2_rom()
    m = TRS80(rom=rom)
    m.wait_for("SIZE", timeout=10.0)  # MEMORY SIZE? (v1.2) / MEM SIZE? (v1.3)
    m.type("\r")
    m.wait_for("READY", timeout=10.0)
    m.type("PRINT 2+2\r")
    m.wait_for(" 4", timeout=10.0)
    # a longer program typed in, then listed back
    lines = [f"{10 * i} PRINT \"LINE {i}\";{i}*{i}" for i in range(1, 41)]
    m.type("\r".join(lines) + "\rPRINT MEM\r")
    m.run(seconds=60.0, until=lambda: not m.typing)
    m.type("LIST 400\r")
    m.wait_for(lines[-1], timeout=10.0)


def test_an_extended_rom_fills_3000h_to_37dfh(tmp_path) -> None:
    """A 14,304-byte ROM (the project's own, once it outgrows 12 KB) is read at
    3000h-37DFh too, and stays read-only there; a 12 KB ROM leaves FFh there."""
    data = bytes((a * 7 + 3) & 0xFF for a in range(0x37E0))
    path = tmp_path / "extended.rom"
    path.write_bytes(data)
    m = TRS80(rom=path)
    assert bytes(m.memory[0x2FF0:0x37E0]) == data[0x2FF0:]
    m.cpu.write(0x3456, data[0x3456] ^ 0xFF)
    assert m.memory[0x3456] == data[0x3456]
    plain = tmp_path / "plain.rom"
    plain.write_bytes(data[:0x3000])
    m = TRS80(rom=plain)
    assert set(m.memory[0x3000:0x37E0]) == {0xFF}
    (tmp_path / "odd.rom").write_bytes(data[:0x3100])
    with pytest.raises(RomError, match="14304"):
        read_rom(tmp_path / "odd.rom")
