"""The file tools on the command line: z80emu basic, cas, cmd and wav."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from z80emu.cli import main
from z80emu.formats import Segment
from z80emu.formats.basic import read_bas, tokenize
from z80emu.formats.cas import read_tape, write_system_cas
from z80emu.formats.cmd import read_cmd, write_cmd

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "basic"


def z80emu(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_basic_tokenize_and_list(tmp_path) -> None:
    source = EXAMPLES / "errors.bas"
    for name in ("e.bas", "e.cas"):
        result = z80emu("basic", "tokenize", source, "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
        assert "13 lines" in result.output
        listed = z80emu("basic", "list", tmp_path / name)
        assert listed.exit_code == 0 and listed.output == source.read_text()
    assert read_bas((tmp_path / "e.bas").read_bytes()).lines == tokenize(source.read_text()).lines
    assert read_tape((tmp_path / "e.cas").read_bytes()).files[0].name == "E"


def test_basic_list_faithful_and_to_a_file(tmp_path) -> None:
    (tmp_path / "g.txt").write_text('10 PRINT "\\x80"\n')
    z80emu("basic", "tokenize", tmp_path / "g.txt", "-o", tmp_path / "g.bas")
    assert z80emu("basic", "list", tmp_path / "g.bas").output == '10 PRINT "\\x80"\n'
    assert z80emu("basic", "list", "--faithful", tmp_path / "g.bas").output == '10 PRINT "END"\n'
    z80emu("basic", "list", tmp_path / "g.bas", "-o", tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text() == '10 PRINT "\\x80"\n'


def test_basic_errors_name_the_line(tmp_path) -> None:
    (tmp_path / "bad.txt").write_text("10 PRINT\n70000 END\n")
    result = z80emu("basic", "tokenize", tmp_path / "bad.txt", "-o", tmp_path / "x.bas")
    assert result.exit_code == 1
    assert "bad.txt: line 2: line number 70000 is above 65529" in result.output
    assert not (tmp_path / "x.bas").exists()


def test_cas_create_info_extract(tmp_path) -> None:
    cmd = tmp_path / "game.cmd"
    cmd.write_bytes(write_cmd([Segment(0x7000, bytes(300))], 0x7000, "GAME"))
    result = z80emu("cas", "create", tmp_path / "t.cas", EXAMPLES / "guess.bas", cmd)
    assert result.exit_code == 0, result.output
    info = z80emu("cas", "info", tmp_path / "t.cas")
    assert info.exit_code == 0
    assert 'BASIC program "G": 19 lines, lines 10-190' in info.output
    assert 'SYSTEM file "GAME": 2 blocks, checksums good, entry 7000h' in info.output
    assert "7000h-712Bh (300 bytes)" in info.output
    out = tmp_path / "out"
    result = z80emu("cas", "extract", tmp_path / "t.cas", "-d", out)
    assert result.exit_code == 0, result.output
    assert read_bas((out / "G.bas").read_bytes()).lines == tokenize(
        (EXAMPLES / "guess.bas").read_text()).lines
    assert read_cmd((out / "GAME.cmd").read_bytes()).segments[0].data == bytes(300)
    z80emu("cas", "extract", tmp_path / "t.cas", "-d", out, "--listing")
    assert (out / "G.bas").read_text() == (EXAMPLES / "guess.bas").read_text()


def test_cas_bad_tape_exits_1_with_the_block(tmp_path) -> None:
    data = bytearray(write_system_cas([Segment(0x7000, bytes(600))], 0x7000, "X"))
    data[256 + 8 + 261 + 10] ^= 0xFF  # a byte of block 2
    (tmp_path / "bad.cas").write_bytes(bytes(data))
    result = z80emu("cas", "info", tmp_path / "bad.cas")
    assert result.exit_code == 1
    assert "bad.cas: offset 0x020D: bad checksum in block 2 (256 bytes at 7100h)" in result.output


def test_cmd_info(tmp_path) -> None:
    data = write_cmd([Segment(0x5200, bytes(260))], 0x5200, "DEMO") + b"\x1a\x1a"
    (tmp_path / "d.cmd").write_bytes(data)
    result = z80emu("cmd", "info", tmp_path / "d.cmd")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        '0x0000  05h  module name "DEMO"',
        "0x0006  01h  load 256 bytes at 5200h-52FFh",
        "0x010A  01h  load 4 bytes at 5300h-5303h",
        "0x0112  02h  transfer to 5200h",
        "4 records, 260 bytes loaded, entry 5200h; 2 bytes after the last record ignored",
    ]
    (tmp_path / "bad.cmd").write_bytes(b"\x01\x05\x00\x70\xC9\x09")
    result = z80emu("cmd", "info", tmp_path / "bad.cmd")
    assert result.exit_code == 1 and "bad.cmd: offset 0x0000: load block record" in result.output


def test_wav_encode_decode(tmp_path) -> None:
    z80emu("basic", "tokenize", EXAMPLES / "tape.bas", "-o", tmp_path / "t.cas")
    result = z80emu("wav", "encode", tmp_path / "t.cas", "-o", tmp_path / "t.wav",
                    "--rate", "22050")
    assert result.exit_code == 0, result.output
    result = z80emu("wav", "decode", tmp_path / "t.wav", "-o", tmp_path / "back.cas")
    assert result.exit_code == 0, result.output
    assert "tape speed 1.0" in result.output
    assert (tmp_path / "back.cas").read_bytes() == (tmp_path / "t.cas").read_bytes()
    listed = z80emu("basic", "list", tmp_path / "t.wav")
    assert listed.output == (EXAMPLES / "tape.bas").read_text()
    (tmp_path / "junk.wav").write_bytes(b"RIFF")
    result = z80emu("wav", "decode", tmp_path / "junk.wav", "-o", tmp_path / "j.cas")
    assert result.exit_code == 1 and "junk.wav: offset 0x0000: not a WAV file" in result.output
