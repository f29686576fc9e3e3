"""The monitor on a bare Z80, driven through StringIO: transcripts of memory,
assembly, register, running and file commands, and bad input that changes nothing."""

from __future__ import annotations

import io
import textwrap

import pytest

from z80emu.cpu import Z80
from z80emu.monitor import Monitor
from z80emu.monitor.shell import ALIASES, GROUPS


def session(commands: str, cpu: Z80 | None = None, **kwargs) -> tuple[str, Monitor]:
    """Run commands (one a line) and return what the monitor printed, prompts and
    echoed commands included, as a transcript reads."""
    out = io.StringIO()
    monitor = Monitor(cpu, stdin=io.StringIO(textwrap.dedent(commands).lstrip("\n")),
                      stdout=out, echo=True, **kwargs)
    monitor.cmdloop()
    return out.getvalue(), monitor


def transcript(commands: str, cpu: Z80 | None = None) -> str:
    text, _ = session(commands, cpu)
    return text


def expect(text: str) -> str:
    text = textwrap.dedent(text).lstrip("\n")
    return text + "\n" if text.endswith("> ") else text  # the newline after end of input


# -- memory -------------------------------------------------------------------------------

def test_poke_echoes_what_landed_and_peek_dumps_hex_and_ascii() -> None:
    assert transcript("""
        poke 7F00 3E 41 32 00 3C C9
        peek 7F00
        peek 7F00 6
        > 7F10 "HI" #10 'A' CDC9
        """) == expect("""
        z80> poke 7F00 3E 41 32 00 3C C9
        7F00: 3E 41 32 00 3C C9
        z80> peek 7F00
        7F00: 3E  #62  '>'
        z80> peek 7F00 6
        7F00  3E 41 32 00 3C C9                                 >A2.<.
        z80> > 7F10 "HI" #10 'A' CDC9
        7F10: 48 49 0A 41 CD C9
        z80> """)


def test_mem_continues_and_takes_a_range() -> None:
    cpu = Z80()
    cpu.memory[0x4000:0x4010] = b"HELLO, WORLD!\x00\x01\x02"
    assert transcript("""
        mem 4000:400F
        m 4000 8
        m
        """, cpu) == expect("""
        z80> mem 4000:400F
        4000  48 45 4C 4C 4F 2C 20 57  4F 52 4C 44 21 00 01 02  HELLO, WORLD!...
        z80> m 4000 8
        4000  48 45 4C 4C 4F 2C 20 57                           HELLO, W
        z80> m
        4008  4F 52 4C 44 21 00 01 02  00 00 00 00 00 00 00 00  ORLD!...........
        4018  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  ................
        4028  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  ................
        4038  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  ................
        z80> """)


def test_fill_move_find() -> None:
    text, monitor = session("""
        fill 9000 9007 AA 55 01
        move 9000 9007 9002
        find 9000 90FF AA 55
        find 0 FFFF "NOPE"
        """)
    assert "filled 9000h-9007h (8 bytes) with AA 55 01" in text
    assert "moved 9000h-9007h to 9002h-9009h" in text
    assert bytes(monitor.cpu.memory[0x9000:0x900A]).hex().upper() == "AA55AA5501AA5501AA55"
    assert "found 4: 9000 9002 9005 9008" in text
    assert "not found" in text


@pytest.mark.parametrize("command, message", [
    ("poke 7F00 3E 4G", "bad hex pair '4G'"),
    ("poke 7F00 3E 412", "bad hex pair '412': an odd number of digits"),
    ("poke 7F00 #300", "'#300' does not fit in a byte"),
    ("poke FFFF 01 02", "2 bytes from FFFFh run past FFFFh: nothing written"),
    ("poke 10000 01", "address 10000h ('10000') is past FFFFh"),
    ("peek 1234G", "'1234G' is not a number"),
    ("fill 7F10 7F00 00", "the range ends (7F00h) before it starts (7F10h)"),
    ("poke NOWHERE 00", "unknown symbol 'NOWHERE'"),
    ("asm 7F00 LD Q,5", "LD Q,5:"),
    ("asm 7F00 FROB A", "unknown instruction or directive 'FROB'"),
    ("regs HL=10000", "value for HL 10000h ('10000') is past FFFFh"),
    ("regs A=100", "value for A 100h ('100') is past FFh"),
    ("regs A=1 Q=5", "unknown register 'Q'"),
    ("regs HL", "'HL': write REG=VALUE"),
    ("ref LD A,(Q)", "error: "),
    ("break", "no breakpoints or watchpoints"),
    ("delete 7", "no breakpoint or watchpoint #7"),
    ("watch x 4000", "usage: watch"),
    ("watch in 100", "port 100h ('100') is past FFh"),
    ("frobnicate", "unknown command 'frobnicate'"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(command: str, message: str) -> None:
    cpu = Z80()
    cpu.memory[0x7F00:0x7F04] = bytes([0x11, 0x22, 0x33, 0x44])
    cpu.hl, cpu.a = 0x1234, 0x56
    before_mem, before_regs = bytes(cpu.memory), cpu.get_state()
    text, monitor = session(command, cpu)
    assert message in text
    assert bytes(cpu.memory) == before_mem
    assert cpu.get_state() == before_regs
    assert monitor.failures == (0 if command == "break" else 1)


# -- code ---------------------------------------------------------------------------------

def test_asm_answers_each_line_with_address_bytes_and_tstates() -> None:
    text, monitor = session("""
        asm 7F00
        start: LD A,41
         LD (3C00),A
         LD B,#10
        loop: DJNZ loop
         JP Z,start
         LD A,(IX+5)
         BOGUS
         RET
        .
        dis 7F00 8
        """)
    assert text == expect("""
        z80> asm 7F00
        7F00: start: LD A,41
        7F00  3E 41          LD A,41H                  7
        7F02:  LD (3C00),A
        7F02  32 00 3C       LD (3C00H),A             13
        7F05:  LD B,#10
        7F05  06 0A          LD B,0AH                  7
        7F07: loop: DJNZ loop
        7F07  10 FE          DJNZ loop               13/8
        7F09:  JP Z,start
        7F09  CA 00 7F       JP Z,start               10
        7F0C:  LD A,(IX+5)
        7F0C  DD 7E 05       LD A,(IX+05H)            19
        7F0F:  BOGUS
        error: BOGUS: unknown instruction or directive 'BOGUS'
        7F0F:  RET
        7F0F  C9             RET                      10
        7F10: .
        z80> dis 7F00 8
        start:
        7F00  3E 41          LD A,41H                  7
        7F02  32 00 3C       LD (3C00H),A             13
        7F05  06 0A          LD B,0AH                  7
        loop:
        7F07  10 FE          DJNZ loop               13/8
        7F09  CA 00 7F       JP Z,start               10
        7F0C  DD 7E 05       LD A,(IX+05H)            19
        7F0F  C9             RET                      10
        7F10  00             NOP                       4
        z80> """)
    assert monitor.failures == 1
    assert monitor.symbols.get("LOOP") == 0x7F07


def test_asm_defines_data_and_labels_usable_as_addresses() -> None:
    text, monitor = session("""
        asm 8000
        msg: DEFM "HELLO"
         DB 0
        .
        peek msg 6
        dis msg+5 1
        """)
    assert "8000  48 45 4C 4C    msg: DEFM \"HELLO\"" in text
    assert "8004  4F" in text
    assert "8000  48 45 4C 4C 4F 00" in text
    assert "8005  00             NOP" in text


def test_ref_looks_up_text_and_bytes_with_hex_numbers() -> None:
    text = transcript("""
        ref LD A,41
        ref DD 7E 05
        ref DJNZ e
        """)
    assert "LD A,41H\n  bytes     3E 41   (pattern 3E n)" in text
    assert "LD A,(IX+05H)\n  bytes     DD 7E 05" in text
    assert "T-states  19" in text
    assert "T-states  13/8" in text


def test_symbols_from_listing_table_and_source(tmp_path) -> None:
    from z80emu.asm import assemble

    source = "VIDEO EQU 3C00H\n ORG 7F00H\nSTART: LD A,'*'\n LD (VIDEO),A\nDONE: RET\n"
    result = assemble(source)
    (tmp_path / "p.lst").write_text(result.listing())
    (tmp_path / "p.sym").write_text(result.symbol_table())
    (tmp_path / "p.asm").write_text(source)
    cpu = Z80()
    cpu.memory[0x7F00:0x7F06] = result.binary()
    for name in ("p.lst", "p.sym", "p.asm"):
        text, monitor = session(f"""
            symbols {tmp_path / name}
            dis START 3
            break DONE
            symbols
            """, cpu)
        assert "3 symbols from" in text
        assert "START:\n7F00  3E 2A" in text
        assert "#1  break at 7F05h (DONE)" in text
        assert "3C00  VIDEO\n7F00  START\n7F05  DONE" in text
    text, monitor = session(f"symbols {tmp_path / 'missing.sym'}")
    assert "missing.sym: cannot read" in text and monitor.failures == 1


# -- registers ----------------------------------------------------------------------------

def test_regs_shows_and_sets_registers_and_flags() -> None:
    text, monitor = session("""
        regs HL=4000 A=3E F=Z,C PC=7F00 SP=#32768 IX=1234 AF'=5678 IM=1 IFF=1
        regs F=44
        regs F=-
        """)
    assert text.split("z80> ")[1] == expect("""
        regs HL=4000 A=3E F=Z,C PC=7F00 SP=#32768 IX=1234 AF'=5678 IM=1 IFF=1
         PC   SP   AF   BC   DE   HL   IX   IY   AF'  BC'  DE'  HL'  I  R  IM IFF SZ5H3PNC
        7F00 8000 3E41 FFFF FFFF 4000 1234 FFFF 5678 FFFF FFFF FFFF 00 00  1  1  -Z-----C
        7F00  00             NOP                       4
        """)
    assert "-Z---P--" in text.split("z80> ")[2]
    cpu = monitor.cpu
    assert (cpu.f, cpu.iff1, cpu.iff2, cpu.im, cpu.sp) == (0, 1, 1, 1, 0x8000)


# -- running ------------------------------------------------------------------------------

ROUTINE = "poke 7F00 3E 41 32 00 3C C9\nregs SP=8000\n"  # LD A,41h; LD (3C00h),A; RET


def test_step_next_trace_until() -> None:
    text, monitor = session(ROUTINE + """
        poke 8100 CD 00 7F 76
        regs PC=8100
        next
        step
        regs PC=7F00
        trace 2
        regs PC=7F00
        until 7F05
        """)
    assert "8100  CD 00 7F       CALL 7F00H               47" in text  # 17 + 30 for the routine
    assert "8103  76             HALT                      4" in text
    assert ("7F00  3E 41          LD A,41H                  7 A=41 F=SZ5H3PNC BC=FFFF "
            "DE=FFFF HL=FFFF IX=FFFF IY=FFFF SP=8000") in text
    assert "stopped: reached 7F05h after 2 instructions, 20 T-states" in text
    assert monitor.cpu.pc == 0x7F05


def test_go_calls_the_routine_and_returns() -> None:
    text, monitor = session(ROUTINE + "go 7F00\n")
    assert "returned from 7F00h after 3 instructions, 30 T-states" in text
    assert monitor.cpu.memory[0x3C00] == 0x41
    assert (monitor.cpu.pc, monitor.cpu.sp) == (0, 0x8000)


def test_go_stops_on_halt_and_continues_after_it() -> None:
    text, monitor = session("""
        poke 0 3C 76 3C 76
        go
        go
        regs
        """)
    assert "stopped: HALT at 0001h" in text
    assert "stopped: HALT at 0003h" in text
    assert monitor.cpu.a == 0x01  # FFh + 2, wrapped


def test_breakpoint_with_hit_count_and_finishing_the_call() -> None:
    text, monitor = session("""
        poke 7F00 06 05 3C 10 FD C9
        regs SP=8000 A=0
        break 7F02 2
        go 7F00
        break
        go
        delete 1
        go
        """)
    # LD B,5; loop: INC A; DJNZ loop; RET -- the second and fourth visits of 7F02 stop
    assert "stopped: breakpoint #1 at 7F02h (hit 2) after 3 instructions" in text
    assert "#1  break at 7F02h, stops every 2 hits, 2 hits so far" in text
    assert "stopped: breakpoint #1 at 7F02h (hit 4)" in text
    assert "returned from 7F00h" in text
    assert monitor.cpu.a == 5


def test_go_after_a_breakpoint_still_catches_the_return() -> None:
    text, monitor = session(ROUTINE + "break 7F02\ngo 7F00\ndelete all\ngo\n")
    assert "stopped: breakpoint #1 at 7F02h after 1 instruction, 7 T-states" in text
    assert "returned from 7F00h after 2 instructions, 23 T-states" in text


def test_watchpoints_on_memory_and_ports() -> None:
    text, monitor = session(ROUTINE + """
        poke 7F10 3A 00 3C D3 FE DB FE C9
        watch w 3C00:3FFF
        go 7F00
        delete all
        watch r 3C00
        watch out FE
        watch in FE
        go 7F10
        go
        go
        """)
    assert ("stopped: watchpoint #1: wrote 41h to 3C00h (by the instruction at 7F02h) "
            "after 2 instructions") in text
    assert "watchpoint #2: read 41h from 3C00h (by the instruction at 7F10h)" in text
    assert "watchpoint #3: OUT 41h to port FEh (by the instruction at 7F13h)" in text
    assert "watchpoint #4: IN FFh from port FEh (by the instruction at 7F15h)" in text
    cpu = monitor.cpu
    # the hooks are gone again: the CPU's fast paths are as they were
    assert cpu.whook is None and cpu.rhook is None


def test_time_reports_tstates_and_microseconds() -> None:
    text = transcript(ROUTINE + "time 7F00\ntime 7F00 7F05\n")
    assert ("7F00h to its RET: 30 T-states = 16.91 \u00b5s at 1.77408 MHz "
            "(3 instructions; a CALL to it adds 17)") in text
    assert "7F00h to 7F05h: 20 T-states = 11.27 \u00b5s at 1.77408 MHz (2 instructions)" in text


def test_a_runaway_run_stops_at_the_limit() -> None:
    text, monitor = session("poke 7F00 18 FE\njump 7F00\ngo 7F00\n", run_limit=0.01)
    assert "stopped: time limit reached at 7F00h" in text
    assert monitor.cpu.cycles >= 17_740


def test_go_without_stops_runs_at_full_speed(monkeypatch) -> None:
    """No breakpoint, watchpoint or return to catch: whole slices through Z80.run."""
    from z80emu.monitor import runner

    calls = []
    monkeypatch.setattr(runner.Engine, "_stepped",
                        lambda self, *a: calls.append("stepped"))
    text, monitor = session("poke 7F00 3C C3 00 7F\njump 7F00\n", run_limit=0.05)
    assert calls == []
    assert "stopped: time limit reached" in text


def test_empty_line_repeats_step() -> None:
    text, monitor = session("poke 0 00 00 00\nstep\n\n\n")
    assert monitor.cpu.pc == 3


# -- files --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["r.hex", "r.cmd", "r.cas", "r.bin"])
def test_save_and_load_round_trip(tmp_path, name: str) -> None:
    path = tmp_path / name
    text, monitor = session(ROUTINE + f"save {path} 7F00 7F05\n")
    assert f"saved 7F00h-7F05h (6 bytes) to {path}" in text
    load = f"load {path}" + (" 7F00" if name.endswith(".bin") else "")
    text, monitor = session(load + "\npeek 7F00 6\n")
    assert "loaded 7F00h-7F05h (6 bytes)" in text
    assert "7F00  3E 41 32 00 3C C9" in text
    if not name.endswith(".bin"):
        assert "entry 7F00h: PC set" in text and monitor.cpu.pc == 0x7F00


def test_load_refuses_bad_files(tmp_path) -> None:
    bad = tmp_path / "bad.cmd"
    bad.write_bytes(b"\x01\x05\x00")
    raw = tmp_path / "raw.bin"
    raw.write_bytes(b"\x00")
    text, monitor = session(f"load {bad}\nload {raw}\nload {tmp_path / 'none.hex'}\n")
    assert "bad.cmd: offset" in text
    assert "raw.bin: a raw binary needs a load address" in text
    assert "none.hex: cannot read" in text
    assert monitor.failures == 3


def test_basic_writes_a_loader(tmp_path) -> None:
    path = tmp_path / "loader.bas"
    text, monitor = session(ROUTINE + f"basic 7F00 7F05 --usr\nbasic 7F00 7F05 {path}\n"
                            "basic 1000 1005\n")
    assert "110 POKE 16526,0:POKE 16527,127" in text
    assert "1000 DATA 62,65,50,0,60,201\n1010 DATA 438" in text
    assert path.read_bytes().startswith(b"10 REM LOAD 7F00H-7F05H (6 BYTES)\r\n")
    assert "error: 1000h is in the ROM" in text


# -- help and the shell -------------------------------------------------------------------

def test_every_command_has_help_with_an_example() -> None:
    names = [n for _, group in GROUPS for n in group] + ["help"]
    for name in names:
        text, monitor = session(f"help {name}")
        assert monitor.failures == 0, name
        body = text.split("\n", 1)[1]
        assert body.startswith(name), name
        examples = [line for line in body.splitlines() if line.startswith("  " + name)]
        assert examples, f"help {name} shows no example"
    documented = {n[3:] for n in dir(Monitor) if n.startswith("do_")}
    assert documented == set(names)
    assert set(ALIASES.values()) <= documented


def test_aliases_and_comments() -> None:
    text, monitor = session("""
        ; a comment
        # another
        > 7F00 C9
        m 7F00 1
        d 7F00 1
        r PC=7F00
        z
        q
        regs
        """)
    assert monitor.failures == 0
    assert "7F00  C9             RET" in text
    assert "regs" not in text.split("q\n", 1)[1]  # nothing after quit ran


def test_cli_script_exit_status(tmp_path) -> None:
    from click.testing import CliRunner

    from z80emu.cli import main

    good = tmp_path / "good.mon"
    good.write_text("poke 7F00 C9\npeek 7F00\n")
    bad = tmp_path / "bad.mon"
    bad.write_text("poke 7F00 ZZ\npeek 7F00\n")
    result = CliRunner().invoke(main, ["monitor", "-c", str(good)])
    assert result.exit_code == 0, result.output
    assert "7F00: C9  #201" in result.output
    result = CliRunner().invoke(main, ["monitor", "-c", str(bad)])
    assert result.exit_code == 1
    assert "bad hex pair 'ZZ'" in result.output
    assert "1 command failed" in result.output


@pytest.mark.parametrize("module", ["z80emu.monitor", "z80emu.monitor.values",
                                    "z80emu.monitor.display", "z80emu.basic_loader"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and not result.failed
