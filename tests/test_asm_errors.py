"""Bad assembly input: each class of mistake gets its own message naming
file:line:column and what was expected; all are reported in one run; the
command exits non-zero and leaves no output file behind."""

from __future__ import annotations

from click.testing import CliRunner

from z80emu.asm import assemble
from z80emu.asm.cli import asm_command


def errors(source: str) -> list[str]:
    result = assemble(source, filename="prog.asm")
    assert not result.ok
    return [str(e) for e in result.errors]


def only_error(source: str) -> str:
    found = errors(source)
    assert len(found) == 1, found
    return found[0]


def test_unknown_mnemonic():
    assert (
        only_error("        LDX A,5")
        == "prog.asm:1:9: error: unknown instruction or directive 'LDX'"
    )


def test_bad_operand_lists_the_forms_expected():
    message = only_error("        LD A,(DE+1)")
    assert message == (
        "prog.asm:1:14: error: invalid operands for LD; expected one of: LD A,(BC), "
        "LD A,(DE), LD A,(nn), LD A,n, LD A,B, LD A,C, LD A,D, LD A,E, LD A,H, LD A,L, "
        "LD A,(HL), LD A,A, ..."
    )


def test_wrong_operand_count():
    assert only_error(
        " RET 1,2"
    ) == "prog.asm:1:6: error: RET takes 0 or 1 operand, not 2" or "RET takes" in only_error(
        " RET 1,2"
    )
    assert "missing operand" in only_error(" LD A,")


def test_undefined_label():
    assert only_error(" JP nowhere") == "prog.asm:1:5: error: undefined symbol 'nowhere'"


def test_duplicate_label():
    assert (
        only_error("here: NOP\nhere: NOP")
        == "prog.asm:2:1: error: duplicate label 'here' (first defined at prog.asm:1)"
    )


def test_value_out_of_range():
    assert (
        only_error(" LD A,256")
        == "prog.asm:1:7: error: 8-bit value out of range: 256 (expected -128..255)"
    )
    assert "16-bit value out of range" in only_error(" LD HL,10000H")
    assert "index displacement out of range: 128" in only_error(" LD A,(IX+128)")
    assert "byte value out of range: 300" in only_error(" DB 1,300")
    assert "IM operand must be one of 0, 1, 2, not 3" in only_error(" IM 3")
    assert "BIT operand must be one of 0, 1, 2, 3, 4, 5, 6, 7, not 8" in only_error(" BIT 8,A")
    assert "RST operand must be one of 00H, 08H" in only_error(" RST 7")


def test_relative_jump_out_of_range():
    message = only_error(" ORG 100H\n JR far\n DS 200\nfar: NOP")
    assert message.startswith(
        "prog.asm:2:5: error: relative jump out of range: target 01CAh is +200 bytes away"
    )


def test_missing_include_file():
    message = only_error(' INCLUDE "nothere.inc"')
    assert message.startswith("prog.asm:1:10: error: cannot find file 'nothere.inc' (looked in:")


def test_unterminated_string():
    assert only_error(' DB "abc') == 'prog.asm:1:5: error: unterminated string (missing closing ")'


def test_unterminated_macro():
    assert (
        only_error("M MACRO\n NOP\n")
        == "prog.asm:1:1: error: MACRO without ENDM (unterminated macro)"
    )


def test_unterminated_conditional_and_strays():
    assert only_error(" IF 1\n NOP") == "prog.asm:1:1: error: IF without ENDIF"
    assert only_error(" ENDIF") == "prog.asm:1:2: error: ENDIF without IF"
    assert only_error(" ENDM") == "prog.asm:1:2: error: ENDM without MACRO or REPT"


def test_malformed_expression_and_number():
    assert "expected a value" in only_error(" LD A,5+")
    assert "malformed hexadecimal number '0FGH'" in only_error(" LD A,0FGH")
    assert "malformed binary number" in only_error(" LD A,%102 + 0102b")
    assert "division by zero" in only_error(" DB 1/0")


def test_bad_equ():
    assert "undefined symbol 'MISSING'" in only_error("X EQU MISSING+1\n LD A,X")
    assert "circular definition" in only_error("X EQU Y\nY EQU X\n DW X")
    assert "needs a symbol name" in only_error(" EQU 5")


def test_pass_one_values_must_be_known():
    assert "ORG needs a value defined before this line; 'LATER' is not (yet) defined" in only_error(
        " ORG LATER\nLATER EQU 100H"
    )


def test_error_inside_a_macro_names_the_expansion():
    message = only_error("M MACRO v\n LD A,v\n ENDM\n NOP\n M 999")
    assert message.startswith("prog.asm:2:")
    assert message.endswith("(in macro M at prog.asm:5)")


def test_overlapping_code():
    assert (
        only_error(" ORG 0\n DB 1,2,3\n ORG 1\n DB 4")
        == "prog.asm:4:1: error: code at 0001h-0001h overwrites code from prog.asm:2"
    )


def test_every_error_in_one_run_sorted_by_line():
    found = errors(" LDX\n LD A,256\n JP nowhere\nx: NOP\nx: NOP\n DB 'oops")
    assert [e.split(":")[1] for e in found] == ["1", "2", "3", "5", "6"]


def test_addresses_stay_right_after_an_error():
    result = assemble(" LD A,999\nhere: NOP")
    assert result.symbols["here"] == 2


def test_command_reports_errors_and_writes_nothing(tmp_path):
    src = tmp_path / "bad.asm"
    src.write_text(" NOP\n LD A,(IX+999)\n FOO\n")
    out = tmp_path / "bad.cmd"
    result = CliRunner().invoke(
        asm_command, [str(src), "-o", str(out), "-l", str(tmp_path / "bad.lst")]
    )
    assert result.exit_code == 1
    assert f"{src}:2:7: error: index displacement out of range" in result.output
    assert f"{src}:3:2: error: unknown instruction or directive 'FOO'" in result.output
    assert "2 errors, no output written" in result.output
    assert not out.exists() and not (tmp_path / "bad.lst").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.asm"]


def test_command_keeps_the_old_output_when_assembly_fails(tmp_path):
    src = tmp_path / "prog.asm"
    out = tmp_path / "prog.bin"
    out.write_bytes(b"old")
    src.write_text(" JP nowhere\n")
    assert CliRunner().invoke(asm_command, [str(src), "-o", str(out)]).exit_code == 1
    assert out.read_bytes() == b"old"


def test_command_missing_source(tmp_path):
    result = CliRunner().invoke(asm_command, [str(tmp_path / "none.asm")])
    assert result.exit_code == 1 and "none.asm: cannot read" in result.output


def test_running_past_the_top_of_memory_is_reported_once():
    found = errors(" ORG 0FFFEH\n LD HL,0\n NOP\n NOP")
    assert found == ["prog.asm:2:1: error: code runs past FFFFh (address FFFEh + 3 bytes)"]
