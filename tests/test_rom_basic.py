"""The free ROM's BASIC interpreter (roms/src/basic/basic.asm, the "core"), run
on the whole emulated machine: programs typed at the READY prompt, stored
exactly as Level II stores them (checked byte for byte against
z80emu.formats.basic), LISTed as Level II lists them, and run, with the
screen checked line for line; errors, INPUT, STOP/CONT, ON ERROR.

The corpus in tests/basic/: each NAME.bas is typed in and RUN, and the
screen must then show NAME.out, line for line.

The ROM is assembled from roms/src once per session (tests/test_rom.py checks
that the committed image is that same build).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from z80emu import TRS80
from z80emu.formats.basic import listing, tokenize

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "basic"
TXTTAB = 0x42E9


def word(m: TRS80, address: int) -> int:
    return int.from_bytes(m.peek(address, 2), "little")


def lines(m: TRS80) -> list[str]:
    return [line.rstrip() for line in m.screen_text().splitlines()]


def settle(m: TRS80, timeout: float = 20.0) -> None:
    """Run until every typed key is read and BASIC waits at its > prompt."""
    spent = 0.0
    while spent < timeout:
        m.run(seconds=0.05)
        spent += 0.05
        shown = [line for line in lines(m) if line]
        if not m.typing and shown and shown[-1] == ">_":
            return
    raise TimeoutError("BASIC did not come back to its prompt:\n" + m.screen_text())


_ROM: list[Path] = []


def rom_path() -> Path:
    """The ROM built from the sources (once), as a file for TRS80(rom=...)."""
    if not _ROM:
        sys.path.insert(0, str(ROOT / "tools"))
        from build_rom import build

        path = Path(tempfile.mkdtemp()) / "z80emu.rom"
        path.write_bytes(build()[0])
        _ROM.append(path)
    return _ROM[0]


def machine(**kwargs) -> TRS80:
    m = TRS80(rom=rom_path(), **kwargs)
    m.wait_for("READY", timeout=5)
    settle(m)
    return m


def enter(m: TRS80, program: str) -> None:
    """Type a program's lines (storing lines reads no keys in between)."""
    m.type("".join(line + "\r" for line in program.splitlines() if line.strip()))
    settle(m)


def command(m: TRS80, text: str, timeout: float = 20.0) -> list[str]:
    """Type a direct command; return the lines it printed before READY."""
    m.type(text + "\r")
    settle(m, timeout)
    shown = lines(m)
    start = max(i for i, line in enumerate(shown) if line == ">" + text) + 1
    end = max(i for i, line in enumerate(shown) if line == "READY")
    return shown[start:end]


def program_bytes(m: TRS80) -> bytes:
    start, end = word(m, 0x40A4), word(m, 0x40F9)
    return m.peek(start, end - start)


# -- the program as Level II stores and lists it ----------------------------------

TOKENS_PROGRAM = """\
10 FORT=1TO9:PRINT"hi";T
20 IF T THEN 10 ELSE END
30 a=1 ELSE b$="ok" 'note
40 ?"Q":GO TO 50
50 REM lower case stays: Print
60 DATA 1, two ,"3:4": x=scoRe
70 PRINT TAB(5);A(1,2)^2;-3<=4;X>=Y;Z<>1
80 POKE 16000,PEEK(16001):ON X GOSUB 10,20
""" + "90   END   \n"  # spaces kept, one after the number dropped


def test_typed_lines_are_stored_as_level2_stores_them() -> None:
    m = machine()
    enter(m, TOKENS_PROGRAM)
    assert word(m, 0x40A4) == TXTTAB and m.peek(TXTTAB - 1) == 0
    assert program_bytes(m) == tokenize(TOKENS_PROGRAM).image(TXTTAB)


def test_replacing_and_deleting_lines_relinks() -> None:
    m = machine()
    enter(m, "30 PRINT 3\n10 PRINT 1\n20 PRINT 2\n20 PRINT 22\n30\n5 REM\n40 GOTO 5")
    expected = tokenize("10 PRINT 1\n20 PRINT 22\n5 REM\n40 GOTO 5")
    assert program_bytes(m) == expected.image(TXTTAB)


def test_list_matches_the_lister() -> None:
    m = machine(lowercase=True)
    enter(m, TOKENS_PROGRAM)
    # the screen shows 5Bh, the exponent operator, as an up arrow
    want = listing(tokenize(TOKENS_PROGRAM)).replace("^", "\u2191").splitlines()
    want = [line.rstrip() for line in want]
    assert command(m, "LIST") == want


@pytest.mark.parametrize("args, numbers", [
    ("", [10, 20, 30, 40, 50]),
    (" 30", [30]),
    (" 20-40", [20, 30, 40]),
    (" -20", [10, 20]),
    (" 40-", [40, 50]),
    (" 25", []),
])
def test_list_ranges(args: str, numbers: list[int]) -> None:
    m = machine()
    enter(m, "\n".join(f"{n} REM {n}" for n in (10, 20, 30, 40, 50)))
    assert command(m, "LIST" + args) == [f"{n} REM {n}" for n in numbers]


def test_new_and_tokenized_bas_file(tmp_path: Path) -> None:
    m = machine()
    enter(m, "10 PRINT 1")
    assert command(m, "NEW") == []
    assert program_bytes(m) == b"\x00\x00"
    path = tmp_path / "prog.bas"
    path.write_bytes(b"\xFF" + tokenize('10 FOR I=1 TO 3\n20 PRINT "N";I\n30 NEXT').image(TXTTAB))
    m.load(path)
    assert command(m, "RUN") == ["N 1", "N 2", "N 3"]


# -- the corpus ----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.stem for p in CORPUS.glob("*.bas")))
def test_corpus(name: str) -> None:
    m = machine()
    enter(m, (CORPUS / f"{name}.bas").read_text())
    want = [line.rstrip() for line in (CORPUS / f"{name}.out").read_text().splitlines()]
    assert command(m, "RUN") == want


# -- direct mode, errors, STOP/CONT, INPUT ---------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("PRINT 1+", "?SN ERROR"),
    ("GOTO 100", "?UL ERROR"),
    ("NEXT", "?NF ERROR"),
    ("RETURN", "?RG ERROR"),
    ('A=1+"X"', "?TM ERROR"),
    ("DIM B(3):B(4)=1", "?BS ERROR"),
    ("DIM C(3):DIM C(2)", "?DD ERROR"),
    ("INPUT A", "?ID ERROR"),
    ("CONT", "?CN ERROR"),
    ("RESUME", "?RW ERROR"),
    ("A%=32767+1", "?OV ERROR"),
    ("OPEN", "?L3 ERROR"),
    ("ERROR 2", "?SN ERROR"),
    ("ON 300 GOTO 10", "?FC ERROR"),
])
def test_direct_mode_errors(text: str, message: str) -> None:
    m = machine()
    assert command(m, text) == [message]


def test_error_in_a_program_names_the_line() -> None:
    m = machine()
    enter(m, '10 PRINT "A"\n20 PRINT 1+\n30 PRINT "B"')
    assert command(m, "RUN") == ["A", "?SN ERROR IN 20"]


def test_stop_and_cont() -> None:
    m = machine()
    enter(m, '10 GOSUB 100\n20 PRINT "DONE"\n30 END\n100 PRINT "IN";\n110 STOP\n120 RETURN')
    assert command(m, "RUN") == ["IN", "BREAK IN 110"]
    assert command(m, "CONT") == ["DONE"]


def test_break_key_stops_a_program() -> None:
    m = machine()
    enter(m, "10 GOTO 10")
    m.type("RUN\r")
    m.run(seconds=0.5)
    m.type("\x01")  # BREAK
    settle(m)
    assert "BREAK IN 10" in lines(m)


def test_input_prompts_redo_and_extra() -> None:
    m = machine()
    enter(m, '10 INPUT "NAME";N$\n20 INPUT A,B\n30 PRINT N$;A+B')
    m.type("RUN\r")
    m.wait_for("NAME? ", timeout=5)
    m.type("ZED\r")
    m.wait_for("? ", timeout=5)
    m.type("X\r")  # not a number: ?REDO
    m.wait_for("?REDO", timeout=5)
    m.type("3\r")
    m.wait_for("?? ", timeout=5)
    m.type("4,9\r")
    settle(m)
    shown = [line for line in lines(m) if line]
    assert shown[-7:-2] == ["?REDO", "? 3", "?? 4,9", "?EXTRA IGNORED", "ZED 7"]


def test_variables_are_laid_out_as_level2_lays_them_out() -> None:
    m = machine()
    command(m, 'AB%=258:Q$="HI":DIM Z%(2,1):Z%(1,1)=-1')
    vartab, arytab, strend = word(m, 0x40F9), word(m, 0x40FB), word(m, 0x40FD)
    simple = m.peek(vartab, arytab - vartab)
    assert simple[:5] == bytes([2, ord("B"), ord("A"), 2, 1])
    assert simple[5:8] == bytes([3, 0, ord("Q")]) and simple[8] == 2
    array = m.peek(arytab, strend - arytab)
    # type, name, size of the rest, 2 dimensions (last first), 3 x 2 elements
    assert array[:6] == bytes([2, 0, ord("Z"), 5 + 12, 0, 2])
    assert array[6:10] == bytes([2, 0, 3, 0])
    elements = array[10:]
    assert len(elements) == 12 and elements[8:10] == b"\xFF\xFF"  # Z%(1,1): 1 + 3 x 1


def test_tokens_asm_is_generated_from_the_token_table() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_basic_tokens.py"),
                             "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ready_at_level2_address() -> None:
    """Level II programs jump to 1A19h to get back to READY with the program kept."""
    m = machine()
    enter(m, "10 PRINT 1")
    m.poke(0x7000, bytes([0xC3, 0x19, 0x1A]))  # JP 1A19h
    m.poke(0x408E, bytes([0x00, 0x70]))  # USR calls 7000h
    assert command(m, "X=USR(0):PRINT 2") == []  # READY at once: no 2, no error
    assert command(m, "LIST") == ["10 PRINT 1"]


def test_tron_prints_line_numbers() -> None:
    m = machine()
    enter(m, '10 PRINT "A";\n20 GOTO 40\n30 PRINT "NO"\n40 PRINT "B"')
    command(m, "TRON")
    assert command(m, "RUN") == ["<10>A<20><40>B"]
    command(m, "TROFF")
    assert command(m, "RUN") == ["AB"]


def test_reading_an_unset_variable_makes_nothing() -> None:
    """An expression that reads a variable nobody set gets zero (or "") without
    making it, so the arrays do not move under a string descriptor in use."""
    m = machine()
    enter(m, '10 DIM A$(2):A$(1)="HELLO"\n20 PRINT A$(1)+B$;Q\n30 PRINT A$(1)+C$+A$(1)')
    assert command(m, "RUN") == ["HELLO 0", "HELLOHELLO"]
    assert word(m, 0x40FB) == word(m, 0x40F9)  # still no simple variables


def test_auto_numbers_typed_lines_until_break() -> None:
    m = machine()
    m.type("AUTO 100,5\r")
    m.wait_for("100 ", timeout=5)
    m.type("PRINT 1\r")
    m.wait_for("105 ", timeout=5)
    m.type("PRINT 2\r")
    m.wait_for("110 ", timeout=5)
    m.type("\x01")  # BREAK ends AUTO
    settle(m)
    assert command(m, "LIST") == ["100 PRINT 1", "105 PRINT 2"]


def test_on_error_goto_0_in_a_handler_reports_the_error() -> None:
    m = machine()
    enter(m, '10 ON ERROR GOTO 100\n20 X=1+"A"\n30 END\n100 PRINT "HANDLER"\n110 ON ERROR GOTO 0')
    assert command(m, "RUN") == ["HANDLER", "?TM ERROR IN 110"]



def test_exponent_signs_in_program_text() -> None:
    # In a stored line the + and - after E (or D) are the tokens CDh and CEh:
    # the + must not be taken for a -.
    m = machine()
    enter(m, "10 PRINT 1E+5;12E+2;1E-5;-2D+3;+7")
    assert command(m, "RUN") == [" 100000  1200  1E-05 -2000  7"]
