"""The bare CP/M box: BDOS console services, warm boot, limits and bad input.

The test programs are hand-assembled below, the source beside the bytes; each
loads at 0100h.
"""

from __future__ import annotations

import doctest
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from z80emu import cpm
from z80emu.cli import main

REPO_ROOT = Path(__file__).resolve().parents[1]


def program(*parts: str) -> bytes:
    """Join hex byte groups (spaces allowed) into a program image."""
    return b"".join(bytes.fromhex(p) for p in parts)


# 0100  0E 09      LD   C,9          ; print string
# 0102  11 12 01   LD   DE,MSG
# 0105  CD 05 00   CALL 0005h
# 0108  0E 02      LD   C,2          ; print character
# 010A  1E 21      LD   E,'!'
# 010C  CD 05 00   CALL 0005h
# 010F  C3 00 00   JP   0000h        ; warm boot
# 0112  "HELLO$"   MSG: DB 'HELLO$'
HELLO = program("0E09", "111201", "CD0500", "0E02", "1E21", "CD0500", "C30000") + b"HELLO$"

# 0100  2A 06 00   LD   HL,(0006h)   ; top of the TPA
# 0103  F9         LD   SP,HL
# 0104  7C         LD   A,H
# 0105  FE FE      CP   0FEh
# 0107  1E 59      LD   E,'Y'
# 0109  28 02      JR   Z,SAY
# 010B  1E 4E      LD   E,'N'
# 010D  0E 02      SAY: LD C,2
# 010F  CD 05 00   CALL 0005h        ; the BDOS works with the stack at the top
# 0112  0E 00      LD   C,0          ; system reset ends the run
# 0114  CD 05 00   CALL 0005h
TOP_OF_TPA = program("2A0600", "F9", "7C", "FEFE", "1E59", "2802", "1E4E", "0E02", "CD0500")
TOP_OF_TPA += program("0E00", "CD0500")

# 0100  0E 02      LD   C,2
# 0102  1E 4F      LD   E,'O'
# 0104  CD 05 00   CALL 0005h
# 0107  C9         RET               ; the stack holds 0000h: a warm boot
RET_TO_CCP = program("0E02", "1E4F", "CD0500", "C9")

# 0100  DB 10      IN   A,(10h)      ; an unconnected port
# 0102  5F         LD   E,A
# 0103  0E 02      LD   C,2
# 0105  CD 05 00   CALL 0005h
# 0108  C7         RST  0
READ_PORT = program("DB10", "5F", "0E02", "CD0500", "C7")

# 0100  3E 07      LD   A,7
# 0102  76         HALT
HALTS = program("3E07", "76")

# 0100  18 FE      JR   $            ; forever
FOREVER = program("18FE")

# 0100  0E 01      LD   C,1          ; read a character (echoed)
# 0102  CD 05 00   CALL 0005h
# 0105  5F         LD   E,A
# 0106  0E 02      LD   C,2          ; print it again
# 0108  CD 05 00   CALL 0005h
# 010B  0E 0A      LD   C,10         ; read a line into BUF
# 010D  11 00 02   LD   DE,0200h
# 0110  CD 05 00   CALL 0005h
# 0113  C3 00 00   JP   0000h
# 0200  10         BUF: DB 16        ; capacity (placed by the test)
READ_INPUT = program("0E01", "CD0500", "5F", "0E02", "CD0500", "0E0A", "110002", "CD0500")
READ_INPUT += program("C30000")

# 0100  0E 0C      LD   C,12         ; version number
# 0102  CD 05 00   CALL 0005h
# 0105  32 00 03   LD   (0300h),A
# 0108  0E 11      LD   C,17         ; search for first: ignored, returns 0
# 010A  3E 55      LD   A,55h
# 010C  CD 05 00   CALL 0005h
# 010F  32 01 03   LD   (0301h),A
# 0112  C3 00 00   JP   0000h
VERSION_AND_IGNORED = program("0E0C", "CD0500", "320003", "0E11", "3E55", "CD0500", "320103")
VERSION_AND_IGNORED += program("C30000")

# 0100  2A 01 00   LD   HL,(0001h)   ; the BIOS warm-boot entry
# 0103  11 09 00   LD   DE,9         ; CONOUT is three entries further
# 0106  19         ADD  HL,DE
# 0107  0E 42      LD   C,'B'
# 0109  CD 0D 01   CALL CALLHL
# 010C  C7         RST  0
# 010D  E9         CALLHL: JP (HL)
BIOS_CONOUT = program("2A0100", "110900", "19", "0E42", "CD0D01", "C7", "E9")


def run(image: bytes, **kwargs) -> cpm.CpmResult:
    return cpm.run_cpm(image, out=None, **kwargs)


def test_hello_prints_with_functions_9_and_2_and_warm_boots() -> None:
    result = run(HELLO)
    assert result.output == "HELLO!"
    assert result.exit_status == 0
    assert result.reason == "warm boot"


def test_hello_tstates_end_at_the_warm_boot() -> None:
    # LD C 7, LD DE 10, CALL 17, JP BDOS 10, stub OUT 11 + HALT 4, RET 10; LD C 7,
    # LD E 7, CALL 17, JP BDOS 10, OUT 11 + HALT 4, RET 10; JP 0000h 10, JP FF03h 10,
    # JP stub 10, OUT 11 + HALT 4: 180 T-states. The idle HALT cycles while the box
    # performs a service are not counted.
    result = run(HELLO)
    assert result.tstates == 180


def test_output_streams_to_the_given_file() -> None:
    out = io.StringIO()
    result = cpm.run_cpm(HELLO, out=out)
    assert out.getvalue() == "HELLO!" == result.output


def test_word_at_0006h_is_the_top_of_the_tpa() -> None:
    mem = cpm.build_memory(b"\xc9")
    assert mem[6] | mem[7] << 8 == cpm.BDOS_ENTRY == 0xFE00
    assert mem[5] == 0xC3  # JP BDOS
    result = run(TOP_OF_TPA)
    assert result.output == "Y"
    assert result.exit_status == 0
    assert result.reason == "BDOS function 0"


def test_return_from_the_program_is_a_warm_boot() -> None:
    result = run(RET_TO_CCP)
    assert (result.output, result.exit_status, result.reason) == ("O", 0, "warm boot")


def test_unconnected_ports_read_ff_or_the_chosen_value() -> None:
    assert run(READ_PORT).output == "\xff"
    assert run(READ_PORT, port_value=0x41).output == "A"


def test_halt_ends_the_run_with_status_1() -> None:
    result = run(HALTS)
    assert result.exit_status == cpm.EXIT_HALTED
    assert "HALT" in result.reason


def test_tstate_limit_stops_a_program_that_never_ends() -> None:
    result = run(FOREVER, max_tstates=12_000)
    assert result.exit_status == cpm.EXIT_LIMIT
    assert 12_000 <= result.tstates < 12_000 + 100


def test_time_limit_stops_a_program_that_never_ends() -> None:
    result = run(FOREVER, max_seconds=0.05)
    assert result.exit_status == cpm.EXIT_LIMIT
    assert "--max-seconds" in result.reason


def test_console_input_functions_read_the_given_text() -> None:
    box = cpm.CpmBox(READ_INPUT, input="xhello world\n")
    box.memory[0x0200] = 16
    result = box.run()
    assert result.exit_status == 0
    assert result.output == "xxhello world\r\n"
    assert box.memory[0x0201] == len("hello world")
    assert bytes(box.memory[0x0202:0x020D]) == b"hello world"


def test_version_and_an_ignored_function() -> None:
    box = cpm.CpmBox(VERSION_AND_IGNORED)
    assert box.run().exit_status == 0
    assert box.memory[0x0300] == 0x22  # CP/M 2.2
    assert box.memory[0x0301] == 0x00  # an unsupported function returns A=0


def test_bios_conout_prints_c() -> None:
    result = run(BIOS_CONOUT)
    assert (result.output, result.exit_status) == ("B", 0)


def test_command_tail_and_default_fcbs() -> None:
    mem = cpm.build_memory(b"\xc9", ["b:data.txt", "*.com"])
    tail = b" B:DATA.TXT *.COM"
    assert mem[0x80] == len(tail)
    assert bytes(mem[0x81 : 0x81 + len(tail)]) == tail
    assert bytes(mem[0x5C:0x68]) == b"\x02DATA    TXT"
    assert bytes(mem[0x6C:0x78]) == b"\x00????????COM"


# --- the command line -------------------------------------------------------------------


def invoke(*args: str):
    return CliRunner().invoke(main, ["cpm", *args])


def test_cli_runs_hello(tmp_path) -> None:
    path = tmp_path / "HELLO.COM"
    path.write_bytes(HELLO)
    result = invoke(str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "HELLO!"


def test_cli_port_value_and_stats(tmp_path) -> None:
    path = tmp_path / "PORT.COM"
    path.write_bytes(READ_PORT)
    result = invoke(str(path), "--port-value", "4Ah", "--stats")
    assert result.exit_code == 0
    assert result.stdout == "J"
    assert "T-states" in result.stderr


def test_cli_halt_and_limit_exit_non_zero(tmp_path) -> None:
    halts = tmp_path / "HALTS.COM"
    halts.write_bytes(HALTS)
    result = invoke(str(halts))
    assert result.exit_code == cpm.EXIT_HALTED
    assert "HALTS.COM" in result.stderr
    forever = tmp_path / "LOOP.COM"
    forever.write_bytes(FOREVER)
    result = invoke(str(forever), "--max-tstates", "5000")
    assert result.exit_code == cpm.EXIT_LIMIT
    assert "--max-tstates" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("MISSING.COM", None, "cannot read"),
        ("EMPTY.COM", b"", "empty"),
        ("HUGE.COM", bytes(cpm.TPA_SIZE + 1), "does not fit"),
        ("ADIR.COM", "dir", "cannot read"),
    ],
)
def test_cli_bad_input_is_one_line_naming_the_file(tmp_path, name, content, problem) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    result = invoke(str(path))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert name in message and problem in message


def test_largest_program_that_fits_is_accepted(tmp_path) -> None:
    image = bytearray(cpm.TPA_SIZE)
    image[0] = 0xC7  # RST 0
    path = tmp_path / "FULL.COM"
    path.write_bytes(image)
    result = invoke(str(path))
    assert result.exit_code == 0


def test_bad_port_value_is_a_usage_error(tmp_path) -> None:
    path = tmp_path / "HELLO.COM"
    path.write_bytes(HELLO)
    result = invoke(str(path), "--port-value", "zz")
    assert result.exit_code == 2
    assert "hex byte" in result.output


def test_module_doctests() -> None:
    failures, tried = doctest.testmod(cpm)
    assert tried > 0 and failures == 0


def test_example_program_assembled_by_our_assembler() -> None:
    from z80emu.asm import assemble

    source = (REPO_ROOT / "examples" / "cpm" / "count.asm").read_text()
    assembled = assemble(source)
    assert assembled.ok, assembled.errors
    result = run(assembled.binary())
    lines = [str(n) for n in range(1, 11)]
    assert result.output == "Counting to 10:\r\n" + "".join(n + "\r\n" for n in lines)
    assert result.exit_status == 0
