"""The free ROM's built-in hex monitor (roms/src/monitor.asm, docs/rom-monitor.md),
driven as a person would: keys typed into the emulated keyboard, the emulated
screen and memory read back."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from z80emu.asm import assemble_file
from z80emu.formats import Segment
from z80emu.formats.cas import write_system_cas
from z80emu.machines.trs80 import TRS80

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "roms" / "src" / "monitor.asm"
CALLER = 0x7000  # CALL MONITOR, then JR $ (the return lands at 7003h)
WORK = 0x7F00  # where the tests hand-assemble


@cache
def monitor():
    """The monitor assembled on its own: its bytes and its symbols."""
    result = assemble_file(str(SOURCE))
    result.check()
    return result


def symbol(name: str) -> int:
    return monitor().symbols[name]


def run_keys(m: TRS80, text: str, settle: float = 0.05) -> None:
    """Type ``text`` and run until every key has been read, then a little more.
    (A key counts as read once the program has seen it released, so this is
    not for the keys that leave the monitor: see ``leave``.)"""
    m.type(text)
    m.run(seconds=30.0, until=lambda: not m.typing)
    assert not m.typing, "the monitor stopped reading keys:\n" + m.screen_text()
    m.run(seconds=settle)


def lines(m: TRS80) -> list[str]:
    """The screen's lines, without trailing spaces or the empty lines below the
    last one written (the cursor, an underscore, counts as written)."""
    shown = [line.rstrip() for line in m.screen_text().splitlines()]
    while shown and not shown[-1]:
        shown.pop()
    return shown


def in_monitor() -> TRS80:
    """A machine that has booted to READY, then called MONITOR from RAM."""
    m = TRS80()
    m.wait_for("READY", timeout=5.0)
    entry = symbol("MONITOR")
    m.poke(CALLER, [0xCD, entry & 0xFF, entry >> 8, 0x18, 0xFE])
    m.cpu.pc = CALLER
    m.wait_for("Z80EMU MONITOR", timeout=2.0)
    m.run(seconds=0.05)
    assert lines(m)[-2:] == ["Z80EMU MONITOR  M D F G B R T Q", "#_"]
    return m


def leave(m: TRS80, text: str, back: tuple[int, ...] = (CALLER + 3, CALLER + 4)) -> None:
    """Type keys that leave the monitor; run until the CPU spins at ``back``."""
    m.type(text)
    m.run(seconds=5.0, until=lambda: m.cpu.pc in back)
    assert m.cpu.pc in back, "the monitor did not return:\n" + m.screen_text()


# -- the ROM itself ---------------------------------------------------------------

def test_fits_its_space_and_is_in_the_rom_image() -> None:
    result = monitor()
    (segment,) = result.segments
    assert segment.address == 0x0B00 == symbol("MONITOR")
    assert segment.address + len(segment.data) <= 0x1000
    # The machine's ROM (the installed image) holds this monitor.
    m = TRS80()
    assert m.peek(0x0B00, len(segment.data)) == bytes(segment.data)
    # Its RAM lies between the firmware's start-up stack (4288h) and BASIC's
    # words at 42DCh-42E8h (then the program, at 42E9h).
    ram = [v for k, v in result.symbols.items() if k.startswith("M_") and 0x4200 <= v < 0x4300]
    assert min(ram) >= 0x4288 and max(ram) == symbol("M_RAMEND") <= 0x42DB


# -- M: hand assembly ---------------------------------------------------------------

def test_hand_assemble_a_routine_and_run_it_with_g() -> None:
    m = in_monitor()
    m.poke(WORK, bytes(8))
    run_keys(m, "M 7F00\r3E 41 CD 33 00 C9.")
    assert m.peek(WORK, 7) == bytes.fromhex("3E41CD3300C900")
    shown = lines(m)
    i = shown.index("#M 7F00")
    # Each line: the address, the old byte, the new one as typed.
    assert shown[i + 1:i + 8] == ["7F00  00 3E", "7F01  00 41", "7F02  00 CD", "7F03  00 33",
                                  "7F04  00 00", "7F05  00 C9", "7F06  00"]
    run_keys(m, "G 7F00\r")
    shown = lines(m)
    assert shown[shown.index("#G 7F00") + 1] == "A"  # printed by the routine
    assert shown[-1] == "#_"  # its RET came back to the prompt


def test_pairs_typed_without_spaces_and_in_lowercase() -> None:
    m = in_monitor()
    run_keys(m, "m 7f10\r3e4acd3300c9.")
    assert m.peek(0x7F10, 6) == bytes.fromhex("3E4ACD3300C9")
    run_keys(m, "g 7f10\r")
    assert "J" in lines(m)


def test_enter_keeps_minus_and_up_arrow_go_back() -> None:
    m = in_monitor()
    m.poke(WORK, bytes.fromhex("11 22 33 44"))
    run_keys(m, "M 7F00\r\r\rAA-^BB.")
    # ENTER kept 11 and 22; AA replaced 33; - went back to 7F02 (now AA), the
    # up arrow to 7F01, where BB was stored.
    assert m.peek(WORK, 4) == bytes.fromhex("11 BB AA 44")
    shown = lines(m)
    i = shown.index("#M 7F00")
    assert shown[i + 1:i + 7] == ["7F00  11", "7F01  22", "7F02  33 AA", "7F03  44",
                                  "7F02  AA", "7F01  22 BB"]
    # M alone carries on where the last M stopped.
    run_keys(m, "M\r.")
    assert "7F02  AA" in lines(m)[-3:]


def test_keys_that_are_not_hex_are_refused() -> None:
    m = in_monitor()
    m.poke(WORK, bytes.fromhex("5A 6B"))
    # G, Z, space and + are not hex: nothing stored, nothing shown.
    run_keys(m, "M 7F00\rGZ +")
    assert m.peek(WORK, 2) == bytes.fromhex("5A 6B")
    assert lines(m)[-1] == "7F00  5A _"  # the cursor waits after the old byte
    # One digit, then a wrong key, then backspace takes the digit back.
    run_keys(m, "7X\b")
    assert m.peek(WORK) == 0x5A and lines(m)[-1] == "7F00  5A _"
    # A digit then BREAK: the end, nothing stored.
    run_keys(m, "9\x01")
    assert m.peek(WORK, 2) == bytes.fromhex("5A 6B")
    assert lines(m)[-1] == "#_"


def test_bad_hex_on_the_command_line_is_an_error_that_changes_nothing() -> None:
    m = in_monitor()
    m.poke(WORK, bytes.fromhex("5A"))
    for command in ("M 7G00", "D 12345", "F 7F00 7F00 100", "F 7F01 7F00 00",
                    "X", "B 7F00 1", "G 7F00Z", "R 1", "T TOOLONG"):
        run_keys(m, command + "\r")
        shown = lines(m)
        assert shown[-3:] == ["#" + command, "WHAT?", "#_"], command
    assert m.peek(WORK) == 0x5A and m.peek(0x7F01) == 0x00
    run_keys(m, "D 7F00\r")
    assert lines(m)[-9] == "7F00  5A 00 00 00 00 00 00 00  Z......."


def test_rom_is_not_changed_and_says_so() -> None:
    m = in_monitor()
    before = m.peek(0x0100)
    run_keys(m, "M 0100\r12.")
    assert m.peek(0x0100) == before
    assert f"0100  {before:02X} 12 NOT RAM" in lines(m)
    run_keys(m, "B 0100\r")
    assert lines(m)[-2:] == ["NOT RAM", "#_"]


# -- D and F ------------------------------------------------------------------------

def test_dump_shows_hex_and_characters_and_enter_goes_on() -> None:
    m = in_monitor()
    data = b"HELLO, WORLD\x00\x01\x7f\x80" + bytes(range(0x30, 0x70))
    m.poke(WORK, data)
    run_keys(m, "D 7F00\r")
    shown = lines(m)
    i = shown.index("#D 7F00")
    assert shown[i + 1] == "7F00  48 45 4C 4C 4F 2C 20 57  HELLO, W"
    assert shown[i + 2] == "7F08  4F 52 4C 44 00 01 7F 80  ORLD...."
    dump = shown[i + 1:i + 9]
    assert [row[:4] for row in dump] == [f"{WORK + 8 * k:04X}" for k in range(8)]
    for k, row in enumerate(dump):  # every line agrees with memory
        assert row[6:29].split() == [f"{b:02X}" for b in m.peek(WORK + 8 * k, 8)]
    assert shown[i + 9] == "#_"
    run_keys(m, "\r")  # ENTER alone: the next 64 bytes
    shown = lines(m)
    assert shown[-10] == "#"
    assert shown[-9].startswith("7F40  ") and shown[-2].startswith("7F78  ")


def test_fill() -> None:
    m = in_monitor()
    m.poke(WORK - 1, bytes(0x12))
    run_keys(m, "F 7F00 7F0F E5\r")
    assert m.peek(WORK - 1, 0x12) == b"\x00" + b"\xE5" * 16 + b"\x00"
    assert lines(m)[-1] == "#_"


# -- B, G, R: the breakpoint ----------------------------------------------------------

# LD A,12h / LD BC,3456h / LD DE,789Ah / LD HL,0BCDEh / LD IX,0A000h /
# LD IY,0B000h / (7F13h) INC A / LD (7F80h),A / RET
TRACED = bytes.fromhex("3E12 015634 119A78 21DEBC DD2100A0 FD2100B0 3C 32807F C9")
STOP = WORK + 0x13


def test_breakpoint_shows_registers_restores_the_byte_and_continues() -> None:
    m = in_monitor()
    m.poke(WORK, TRACED)
    m.poke(0x7F80, 0)
    run_keys(m, "B 7F13\r")
    assert m.peek(STOP) == 0xF7  # RST 30h planted
    assert m.peek(0x400F) == 0xC3  # its RAM vector jumps to the monitor
    assert m.peek(0x4010) | m.peek(0x4011) << 8 == symbol("M_BREAK")
    run_keys(m, "G 7F00\r", settle=0.2)
    shown = lines(m)
    i = shown.index("BREAK")
    regs = " ".join(shown[i + 1:i + 3]).split()
    values = dict(r.split("=") for r in regs)
    assert [r.split("=")[0] for r in regs] == ["AF", "BC", "DE", "HL", "IX", "IY", "SP", "PC"]
    assert values["AF"][:2] == "12" and values["BC"] == "3456" and values["DE"] == "789A"
    assert values["HL"] == "BCDE" and values["IX"] == "A000" and values["IY"] == "B000"
    assert values["PC"] == "7F13"
    assert m.peek(STOP) == 0x3C  # INC A is back
    assert m.peek(0x7F80) == 0  # the program has not got there yet
    # SP: the program's stack holds the monitor's return address for G.
    sp = int(values["SP"], 16)
    assert 0x4000 < sp <= 0xFFFF  # BASIC's stack is below string space, as Level II's
    run_keys(m, "R\r")
    assert lines(m)[-3:-1] == shown[i + 1:i + 3]
    run_keys(m, "G\r", settle=0.1)  # carry on: INC A, store, RET to the monitor
    assert m.peek(0x7F80) == 0x13
    assert lines(m)[-2:] == ["#G", "#_"]
    run_keys(m, "G\r")  # once only
    assert lines(m)[-2:] == ["NO BREAK", "#_"]
    leave(m, "Q\r")


def test_b_alone_removes_the_breakpoint() -> None:
    m = in_monitor()
    m.poke(WORK, TRACED)
    run_keys(m, "B 7F13\r")
    assert m.peek(STOP) == 0xF7
    run_keys(m, "B\r")
    assert m.peek(STOP) == 0x3C
    run_keys(m, "B 7F13\rB 7F05\r")  # a new one removes the old one
    assert m.peek(STOP) == 0x3C and m.peek(WORK + 5) == 0xF7
    run_keys(m, "G 7F00\r")
    assert "PC=7F05" in m.screen_text()
    assert m.peek(WORK, len(TRACED)) == TRACED


def test_break_in_a_program_not_started_by_the_monitor() -> None:
    m = in_monitor()
    m.poke(WORK, TRACED)
    m.poke(0x7F80, 0)
    run_keys(m, "B 7F13\r")
    leave(m, "Q\r")
    # Some other program calls the routine: the break opens the monitor, and
    # leaving it lets that program carry on.
    m.poke(0x7010, bytes.fromhex("CD 00 7F 18 FE"))
    m.cpu.pc = 0x7010
    m.wait_for("BREAK", timeout=1.0)
    run_keys(m, "D 7F80\r")
    assert lines(m)[-9].startswith("7F80  00")
    leave(m, "Q\r", back=(0x7013, 0x7014))
    assert m.peek(0x7F80) == 0x13


def test_r_without_a_break() -> None:
    m = in_monitor()
    run_keys(m, "R\r")
    assert lines(m)[-2:] == ["NO BREAK", "#_"]


# -- leaving ----------------------------------------------------------------------------

@pytest.mark.parametrize("keys", ["\x01", "Q\r", "D 7F0\x01"])
def test_break_and_q_return_to_the_caller(keys: str) -> None:
    m = in_monitor()
    leave(m, keys)
    assert lines(m)[-1] == "_"  # a new line for the caller


def test_the_monitor_called_from_the_monitor() -> None:
    m = in_monitor()
    run_keys(m, "G 0B00\r")  # a second monitor, inside the first
    assert lines(m)[-3:] == ["#G 0B00", "Z80EMU MONITOR  M D F G B R T Q", "#_"]
    run_keys(m, "Q\r")  # back to the first
    assert lines(m)[-2:] == ["#Q", "#_"]
    leave(m, "Q\r")  # and out of it


def test_reached_through_system_slash_m() -> None:
    # The firmware's way in (roms/README.md): SYSTEM, then /M at its *? prompt.
    m = TRS80()
    m.wait_for("READY", timeout=5.0)
    m.cpu.pc = 0x02B2  # SYSTEM
    m.wait_for("*?", timeout=1.0)
    m.type("/M\r")
    m.wait_for("Z80EMU MONITOR", timeout=1.0)
    m.type("Q\r")
    m.run(seconds=0.5)
    shown = lines(m)
    assert shown[shown.index("#Q") + 1] == "READY"  # back in BASIC


def test_line_editing() -> None:
    m = in_monitor()
    m.poke(WORK, bytes.fromhex("77"))
    run_keys(m, "X 1234\x18D 7F0X\b0\r")  # SHIFT+left erases the line
    shown = lines(m)
    assert shown[-10] == "#D 7F00"
    assert shown[-9].startswith("7F00  77")
    # The line holds 23 characters; keys beyond are not taken.
    run_keys(m, "F" + " 1" * 20 + "\r")
    assert lines(m)[-3:] == ["#F" + " 1" * 11, "WHAT?", "#_"]


# -- T: a SYSTEM tape --------------------------------------------------------------------

def test_load_a_system_tape_by_name() -> None:
    m = in_monitor()
    # LD A,'T' / CALL 0033h / RET, loaded at 7E00h; another program comes first.
    show = write_system_cas([Segment(0x7E00, bytes.fromhex("3E54CD3300C9"))], 0x7E00, "SHOW")
    other = write_system_cas([Segment(0x6000, b"WRONG")], 0x6000, "OTHER")
    m.tape.insert(other + show)
    # With interrupts on (the firmware's handler counts the heartbeat at
    # 4040h), T turns them off while the tape runs, then on again.
    m.cpu.iff1 = m.cpu.iff2 = 1
    m.run(seconds=0.1)
    assert m.peek(0x4040) != 0
    run_keys(m, "T SHOW\r")
    ticks = m.peek(0x4040)
    m.run(seconds=1.0)
    assert m.tape.motor and m.peek(0x4040) == ticks and not m.cpu.iff1
    m.wait_for("ENTRY", timeout=30.0)
    m.run(seconds=0.1)
    assert lines(m)[-2:] == ["ENTRY 7E00", "#_"]
    assert m.cpu.iff1 and m.peek(0x4040) != ticks
    assert m.peek(0x7E00, 6) == bytes.fromhex("3E54CD3300C9")
    assert m.peek(0x6000, 5) == bytes(5)  # the other program was skipped
    assert not m.tape.motor
    run_keys(m, "G 7E00\r")
    assert lines(m)[-2:] == ["T", "#_"]


def test_t_asks_for_the_name_and_reports_a_bad_checksum() -> None:
    m = in_monitor()
    tape = bytearray(write_system_cas([Segment(0x7E00, b"ABC")], 0x7E00, "DATA"))
    tape[-4] ^= 0xFF  # the checksum of the one block
    m.tape.insert(bytes(tape))
    m.cpu.iff1 = m.cpu.iff2 = 0
    run_keys(m, "T\r")
    assert lines(m)[-1] == "*? _"
    run_keys(m, "\r")  # no name: the first SYSTEM program
    m.wait_for("ENTRY", timeout=30.0)
    m.run(seconds=0.05)
    assert lines(m)[-3:] == ["ENTRY 7E00", "BAD CHECKSUM", "#_"]
    assert m.peek(0x7E00, 3) == b"ABC"
    assert m.peek(0x3C3E) == ord("C")
    assert not m.cpu.iff1  # interrupts were off before T, and stay off
