"""Assembler syntax: labels, numbers, expressions, directives, conditionals,
macros, includes, synonyms, outputs, listing and symbol table."""

from __future__ import annotations

import pytest

from z80emu.asm import AssemblyFailed, assemble, assemble_file
from z80emu.formats.cas import read_system_cas
from z80emu.formats.cmd import read_cmd
from z80emu.formats.ihex import read_ihex


def code(source: str, **kwargs) -> bytes:
    result = assemble(source, **kwargs)
    assert result.ok, "\n".join(map(str, result.errors))
    return result.binary()


def hexcode(source: str, **kwargs) -> str:
    return code(source, **kwargs).hex(" ").upper()


# --- numbers and expressions ----------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    [
        "0FFh",
        "0FFH",
        "$FF",
        "0xFF",
        "0XFF",
        "%11111111",
        "11111111b",
        "377o",
        "377q",
        "255",
        "255d",
        "0b11111111",
    ],
)
def test_number_notations(literal):
    assert code(f" LD A,{literal}") == bytes([0x3E, 0xFF])


def test_character_constants():
    assert hexcode(" LD A,'A'\n LD B,\"z\"\n LD C,''''") == "3E 41 06 7A 0E 27"


@pytest.mark.parametrize(
    "expr,value",
    [
        ("2+3*4", 14),
        ("(2+3)*4", 20),
        ("10-2-3", 5),
        ("20/3", 6),
        ("-20/3 AND 0FFH", 0xFA),
        ("17 MOD 5", 2),
        ("17 % 5", 2),
        ("1 SHL 4", 16),
        ("1 << 4", 16),
        ("80H SHR 3", 16),
        ("80H >> 3", 16),
        ("1 SHL 2 + 1", 5),
        ("0F0H AND 3CH", 0x30),
        ("0F0H & 3CH", 0x30),
        ("0F0H OR 0FH", 0xFF),
        ("0F0H | 0FH", 0xFF),
        ("0FFH XOR 0FH", 0xF0),
        ("0FFH ^ 0FH", 0xF0),
        ("NOT 0 AND 0FFH", 0xFF),
        ("~1 & 0FFH", 0xFE),
        ("HIGH 1234H", 0x12),
        ("LOW 1234H", 0x34),
        ("HIGH(1234H+100H)", 0x13),
        ("(3 > 2) AND 1", 1),
        ("(3 < 2) AND 1", 0),
        ("(2 = 2) & 7", 7),
        ("(2 <> 2) + 5", 5),
        ("(5 >= 5) & 1", 1),
        ("(5 EQ 5) & 1", 1),
        ("(4 NE 5) & 1", 1),
        ("+7", 7),
        ("-(-7)", 7),
    ],
)
def test_expressions(expr, value):
    assert code(f" DB {expr}") == bytes([value])


def test_dollar_is_the_address_of_the_statement():
    assert hexcode(" ORG 100H\n JP $\n DW $, $+2") == "C3 00 01 03 01 05 01"
    assert hexcode(" ORG 100H\n JR $+2") == "18 00"


# --- labels and symbols ---------------------------------------------------------


def test_labels_with_and_without_colon_and_forward_references():
    src = """
        ORG 8000H
START   JP FINISH
LOOP:   DJNZ LOOP
  inner: NOP
FINISH: JP START
"""
    assert hexcode(src) == "C3 06 80 10 FE 00 C3 00 80"


def test_equ_forms_and_forward_equ():
    src = """
A1      EQU 5
A2:     EQU A1*2
A3 =    A2+1
A4      EQU LATER+1
        LD A,A4
LATER   EQU 10
"""
    result = assemble(src)
    assert result.ok, result.errors
    assert result.binary() == bytes([0x3E, 11])
    assert result.symbols == {"A1": 5, "A2": 10, "A3": 11, "A4": 11, "LATER": 10}


def test_defl_and_equals_can_be_redefined():
    assert (
        hexcode("X DEFL 1\n LD A,X\nX DEFL X+1\n LD A,X\nY = 3\nY = Y*2\n LD A,Y")
        == "3E 01 3E 02 3E 06"
    )


def test_local_labels_belong_to_the_last_global_label():
    src = """
first:  LD B,3
.loop:  DJNZ .loop
        JR second.loop
second: LD B,4
.loop   DJNZ .loop
        RET
"""
    result = assemble(src)
    assert result.ok, result.errors
    assert result.binary().hex() == "060310fe1802060410fec9"
    assert {"first.loop", "second.loop"} <= set(result.symbols)


def test_symbols_are_case_insensitive_and_mnemonics_any_case():
    assert hexcode("Start: ld a,5\n Jp START\n jR start") == "3E 05 C3 00 00 18 F9"


def test_defines():
    assert hexcode(" LD A,SIZE", defines={"SIZE": 42}) == "3E 2A"


# --- directives -----------------------------------------------------------------


def test_data_directives():
    src = """
        DB 1,2,'AB',"C""D",'It''s'
        DEFB -1
        DEFM "Hi"
        DM 'x'
        TEXT "y"
        DW 1234H,-2
        DEFW 'A'
        DS 3
        DEFS 2,0E5H
"""
    assert code(src) == (
        bytes([1, 2])
        + b"ABC\"DIt's"
        + b"\xff"
        + b"Hix"
        + b"y"
        + bytes.fromhex("3412FEFF4100")
        + bytes(3)
        + b"\xe5\xe5"
    )


def test_org_and_gaps():
    result = assemble(" ORG 100H\n DB 1\n ORG 104H\n DB 2\n END")
    assert [(s.address, s.data) for s in result.segments] == [(0x100, b"\x01"), (0x104, b"\x02")]
    assert result.binary() == bytes([1, 0, 0, 0, 2]) and result.origin == 0x100


def test_end_stops_and_sets_the_entry():
    result = assemble(" ORG 7000H\nGO: NOP\n END GO\n this is not assembled")
    assert result.ok and result.entry == 0x7000


def test_conditionals():
    src = """
DEBUG   EQU 1
        IF DEBUG
          DB 1
          IF DEBUG-1
            DB 2
          ELSE
            DB 3
          ENDIF
        ELSE
          DB 4
          bad stuff here is never read
        ENDIF
        IFDEF DEBUG
          DB 5
        ENDIF
        IFNDEF DEBUG
          DB 6
        ENDIF
        IFNDEF NOPE
          DB 7
        ENDIF
"""
    assert code(src) == bytes([1, 3, 5, 7])


def test_macros_with_parameters_locals_and_both_header_forms():
    src = """
STORE   MACRO reg,addr
        LD (addr),reg
        ENDM
        MACRO DELAY count
        LOCAL again
        LD B,count
again:  DJNZ again
        ENDM
        ORG 0
        STORE A,1234H
        DELAY 10
        DELAY 20
        store a,4000h
"""
    assert hexcode(src) == "32 34 12 06 0A 10 FE 06 14 10 FE 32 00 40"


def test_macro_arguments_keep_commas_inside_strings_and_parentheses():
    src = """
PR      MACRO text,where
        DB text
        LD A,where
        ENDM
        PR "a,b",(IX+1)
"""
    assert hexcode(src) == "61 2C 62 DD 7E 01"


def test_rept():
    assert code(" REPT 3\n NOP\n ENDM\n REPT 0\n HALT\n ENDM") == bytes(3)


def test_include_and_incbin(tmp_path):
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "defs.asm").write_text("VALUE EQU 42\n")
    (tmp_path / "table.bin").write_bytes(bytes(range(10)))
    main = tmp_path / "main.asm"
    main.write_text(
        ' INCLUDE "defs.asm"\n LD A,VALUE\n INCBIN "table.bin",2,3\n INCLUDE defs2.asm\n'
    )
    (tmp_path / "defs2.asm").write_text(" DB VALUE+1\n")
    result = assemble_file(str(main), include_paths=[str(tmp_path / "inc")])
    assert result.ok, result.errors
    assert result.binary() == bytes([0x3E, 42, 2, 3, 4, 43])


# --- instruction syntax -----------------------------------------------------------


@pytest.mark.parametrize(
    "source,expected",
    [
        (" LD A,(IX+5)", "DD 7E 05"),
        (" LD A,(IX-3)", "DD 7E FD"),
        (" LD A,(IX)", "DD 7E 00"),
        (" LD A,( IX + 2*3 )", "DD 7E 06"),
        (" LD (IY+1),7", "FD 36 01 07"),
        (" JP (IX)", "DD E9"),
        (" LD A,(5)", "3A 05 00"),
        (" LD A,(2)+3", "3E 05"),
        (" LD A,(2)*(3)", "3E 06"),
        (" IN A,(0FEH)", "DB FE"),
        (" OUT (0FFH),A", "D3 FF"),
        (" IN A,(C)", "ED 78"),
        (" SUB A,B", "90"),
        (" SUB B", "90"),
        (" CP A,(HL)", "BE"),
        (" AND A,5", "E6 05"),
        (" SLI B", "CB 30"),
        (" SL1 C", "CB 31"),
        (" SLL (HL)", "CB 36"),
        (" IN (C)", "ED 70"),
        (" IN F,(C)", "ED 70"),
        (" OUT (C),0", "ED 71"),
        (" EX AF,AF", "08"),
        (" EX AF,AF'", "08"),
        (" LD IXH,5", "DD 26 05"),
        (" LD XL,A", "DD 6F"),
        (" LD HY,B", "FD 60"),
        (" INC IYL", "FD 2C"),
        (" RLC (IX+2),B", "DD CB 02 00"),
        (" BIT 7,(IY-1)", "FD CB FF 7E"),
        (" RES 0,(IX+0),A", "DD CB 00 87"),
        (" RST 38H", "FF"),
        (" RST 8", "CF"),
        (" IM 2", "ED 5E"),
        (" BIT 3,A", "CB 5F"),
        (" LD A,-1", "3E FF"),
        (" LD BC,-1", "01 FF FF"),
        (" JR $", "18 FE"),
    ],
)
def test_operand_forms(source, expected):
    assert hexcode(source) == expected


def test_bit_number_from_a_symbol_defined_later():
    assert hexcode(" BIT FLAG,(HL)\n RST VEC\nFLAG EQU 6\nVEC EQU 10H") == "CB 76 D7"


def test_symbol_named_like_an_index_half_is_still_a_symbol():
    assert hexcode("XL EQU 7\n LD A,XL\n LD B,XL+1") == "DD 7D 06 08"


# --- outputs ----------------------------------------------------------------------

SOURCE = """
        ORG 7000H
start:  LD HL,msg
        CALL 28A7H
        JP 1A19H
msg:    DEFM "READY?",0
        END start
"""


def test_render_formats_round_trip_through_the_readers():
    result = assemble(SOURCE)
    image = result.binary()
    prog = read_ihex(result.render("hex").decode(), "x.hex")
    assert prog.segments[0].data == image and prog.entry == 0x7000
    prog = read_cmd(result.render("cmd", "DEMO"), "x.cmd")
    assert prog.segments[0].data == image and prog.entry == 0x7000 and prog.name == "DEMO"
    prog = read_system_cas(result.render("cas", "demo"), "x.cas")
    assert prog.segments[0].data == image and prog.entry == 0x7000 and prog.name == "DEMO"


def test_entry_defaults_to_the_first_byte():
    result = assemble(" ORG 6000H\n RET")
    assert result.entry is None and result.start == 0x6000
    assert read_cmd(result.render("cmd"), "x").entry == 0x6000


def test_output_refused_when_there_are_errors():
    result = assemble(" LD A,")
    with pytest.raises(AssemblyFailed):
        result.binary()


def test_listing_shows_address_bytes_tstates_and_source():
    listing = assemble(SOURCE).listing()
    lines = listing.splitlines()
    assert lines[0].split() == ["LINE", "ADDR", "BYTES", "T-STATES", "SOURCE"]
    call = next(ln for ln in lines if "CALL" in ln)
    assert "7003" in call and "CD A7 28" in call and " 17 " in call
    msg = [ln for ln in lines if ln.strip().startswith(("6", "7")) or "7009" in ln]
    assert any("52 45 41 44" in ln for ln in msg)
    assert any(ln.strip().startswith("700D") and "3F 00" in ln for ln in lines)  # continuation


def test_listing_marks_conditional_timing_and_macro_lines():
    listing = assemble("M MACRO\n NOP\n ENDM\n JR NZ,$\n M\n").listing()
    assert "12/7" in listing
    assert any(ln[6] == "+" for ln in listing.splitlines()[1:] if "NOP" in ln)


def test_symbol_table():
    table = assemble(SOURCE).symbol_table().splitlines()
    assert table == ["msg    7009H  28681", "start  7000H  28672"]


def test_command_writes_each_format_listing_and_symbols(tmp_path):
    from click.testing import CliRunner

    from z80emu.asm.cli import asm_command

    src = tmp_path / "demo.asm"
    src.write_text(SOURCE)
    runner = CliRunner()
    for ext in ("bin", "hex", "cmd", "cas"):
        out = tmp_path / f"demo.{ext}"
        result = runner.invoke(asm_command, [str(src), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert read_system_cas((tmp_path / "demo.cas").read_bytes()).name == "DEMO"
    assert (tmp_path / "demo.bin").read_bytes() == assemble(SOURCE).binary()
    result = runner.invoke(
        asm_command,
        [
            str(src),
            "-f",
            "cmd",
            "-l",
            str(tmp_path / "demo.lst"),
            "-s",
            "-",
            "-D",
            "EXTRA=5",
            "--name",
            "prog",
        ],
    )
    assert result.exit_code == 0
    assert "EXTRA" in result.output and "start  7000H" in result.output
    assert read_cmd((tmp_path / "demo.cmd").read_bytes()).name == "prog"
    assert "CALL 28A7H" in (tmp_path / "demo.lst").read_text()
