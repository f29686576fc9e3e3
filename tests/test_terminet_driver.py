"""The driver from the story (examples/terminet): its hand-assembled hex, its
BASIC loader, and the driver itself printing on the TermiNet through the
RS-232-C board, reached the way Level II reaches a printer driver.

What is verified here, exactly (the Level II ROM is not available to tests):

* the bytes in the comments of terminet.asm are the bytes z80emu's assembler
  makes, line by line, and TERMINET.BAS's DATA lines hold the same bytes,
  with its checksum, its load address and the DCB address it POKEs;
* with the project's own ROM: the driver is called through 003Bh, the ROM's
  CIO dispatcher and the printer DCB at 4025h (the Level II layout and call
  convention, TRS80-REFERENCE.md §6.4), after SETUP ran as X=USR(0) would run
  it, or after the same OUTs and POKEs TERMINET.BAS makes;
* with no ROM at all: a harness written here from the reference's description
  of CIO (IX = DCB, C = character, Z set for output, registers restored after)
  calls the driver on a bare Z80;
* in every case the TermiNet, in strict mode, drops nothing: CR is followed by
  LF and six fill characters, VT/FF and BS get theirs.

Not verified: BASIC's own LPRINT and OUTLPT (0x039C), which need the Level II
ROM; the project's ROM has no BASIC yet.
"""

from __future__ import annotations

import re

import pytest

from tests.printhelp import (
    DRIVER_BASIC,
    DRIVER_SOURCE,
    driver,
    load,
    load_driver,
    lprint_program,
    run_to_done,
)
from z80emu.asm import assemble
from z80emu.cpu import Z80
from z80emu.devices.rs232 import RS232Board
from z80emu.links import open_link
from z80emu.machines.trs80 import TRS80

TEXT = b"HELLO FROM THE TRS-80 MODEL I\rGE TERMINET 300\r"


def test_hand_assembled_bytes_in_the_comments_match_the_assembler() -> None:
    listing = driver().listing().splitlines()[1:]
    made = {}
    for row in listing:
        number, address, data = int(row[:6]), row[7:11].strip(), row[13:25].split()
        if data:
            made[number] = (address, data)
    checked = 0
    for number, line in enumerate(DRIVER_SOURCE.read_text().splitlines(), 1):
        match = re.search(r";\s*([0-9A-F]{4})  ((?:[0-9A-F]{2} ?)+)", line)
        if number in made:
            assert match, f"line {number} has no hand-assembled bytes: {line}"
            assert (match.group(1), match.group(2).split()) == made[number], line
            checked += 1
        else:
            assert not match, f"line {number} makes no bytes but claims some: {line}"
    assert checked == 55
    assert driver().origin == 0x7F00 and len(driver().binary()) == 103


def basic_lines() -> dict[int, str]:
    lines = {}
    for line in DRIVER_BASIC.read_text().splitlines():
        number, _, text = line.partition(" ")
        lines[int(number)] = text
    return lines


def test_basic_loader_pokes_the_same_bytes() -> None:
    lines = basic_lines()
    data = []
    for text in lines.values():
        if text.startswith("DATA "):
            data += [int(x) for x in text[5:].split(",")]
    assert data[-1] == -1
    code = driver().binary()
    assert bytes(data[:-1]) == code
    assert f"S<>{sum(code)}" in lines[100] and f"A<>{0x7F00 + len(code)}" in lines[100]
    assert "A=32512" in lines[60]
    symbols = driver().symbols
    assert symbols["SETUP"] == 32512
    lo, hi = symbols["DRIVER"] & 0xFF, symbols["DRIVER"] >> 8
    assert f"POKE 16422,{lo}:POKE 16423,{hi}" in lines[140]  # 4026h-4027h
    assert "OUT 232,0:OUT 233,85:OUT 234,108" in lines[120]  # same as SETUP
    assert all(len(f"{n} {t}") < 240 for n, t in lines.items())


def machine_with_driver(strict: bool = True) -> TRS80:
    m = TRS80(serial="terminet:strict" if strict else "terminet")
    m.wait_for("READY", timeout=2.0)
    load_driver(m)
    return m


def test_driver_through_the_rom_dcb_prints_with_its_fill() -> None:
    m = machine_with_driver()
    load(m, lprint_program(TEXT))
    run_to_done(m, seconds=20)
    m.run(seconds=1)
    tn = m.terminet
    assert tn.dropped == []
    assert tn.text == "HELLO FROM THE TRS-80 MODEL I\nGE TERMINET 300"
    sent = bytes(b for _, b in tn.arrivals)
    assert sent.startswith(b"HELLO FROM THE TRS-80 MODEL I\r\n" + bytes(6) + b"GE TERMINET")
    assert m.peek(0x4026, 2) == bytes([0x11, 0x7F])  # the DCB now points at DRIVER


def test_driver_after_the_basic_programs_outs_and_pokes() -> None:
    m = machine_with_driver()
    board = m.rs232
    # what lines 120 and 140 of TERMINET.BAS do
    for port, value in ((232, 0), (233, 85), (234, 108)):
        m.bus.io_write(port, value)
    m.poke(16422, [17, 127])
    program = lprint_program(b"LPRINT WITHOUT USR\r").replace("CALL    7F00H", "NOP")
    load(m, program)
    run_to_done(m, seconds=20)
    m.run(seconds=1)
    assert board.tx_code == board.rx_code == 5 and board.control == 0x6C
    assert m.terminet.text == "LPRINT WITHOUT USR" and m.terminet.dropped == []


def test_driver_gives_fill_after_ff_vt_bs_and_blank_lines() -> None:
    m = machine_with_driver()
    load(m, lprint_program(b"PAGE ONE\r\x0cPAGE TWO\r\r\rTRIPLE\rTAB\x0bA\x08_\r"))
    run_to_done(m, seconds=30)
    m.run(seconds=3)
    tn = m.terminet
    assert tn.dropped == []
    assert tn.paper.lines[:5] == ["PAGE ONE", "\fPAGE TWO", "", "", "TRIPLE"]
    assert tn.text.endswith("TAB\n" + "\n" * 1 + "   A\r   _")  # VT: to line 6


def test_driver_answers_a_status_request_ready() -> None:
    m = machine_with_driver()
    load(m, """
        ORG     6000H
START:  CALL    7F00H
        LD      DE,4025H
        XOR     A               ; character 00h: status request
        CALL    001BH           ; PUT through CIO
        LD      (6100H),A
        PUSH    AF
        POP     BC
        LD      A,C
        LD      (6101H),A       ; the flags
        LD      A,0AAH
        LD      (6FFFH),A
STOP:   JR      STOP
        END     START
""")
    run_to_done(m)
    assert m.peek(0x6100) == 0 and m.peek(0x6101) & 0x40  # A = 0, Z set
    assert m.terminet.arrivals == type(m.terminet.arrivals)()  # nothing sent


# A printer DCB and a CIO written from the reference's description (§6.4), to
# call the driver the way Level II does without any ROM.
HARNESS = """
        ORG     0000H
START:  LD      SP,8000H
        CALL    7F00H           ; SETUP
        LD      HL,TEXT
NEXT:   LD      A,(HL)
        OR      A
        JR      Z,DONE
        PUSH    HL
        LD      DE,4025H
        CALL    PUT
        POP     HL
        INC     HL
        JR      NEXT
DONE:   LD      A,0AAH
        LD      (6FFFH),A
STOP:   JR      STOP
; PUT: B = 2 (output), like 001Bh
PUT:    PUSH    BC
        LD      B,2
; CIO: keep HL, IX, DE, BC; IX = DCB; C = character; check the type;
; Z set for output; jump to the driver address at DCB+1; restore on return
CIO:    PUSH    HL
        PUSH    IX
        PUSH    DE
        PUSH    DE
        POP     IX
        LD      C,A
        LD      HL,BACK
        PUSH    HL
        LD      A,(IX+0)
        AND     B
        CP      B
        RET     NZ              ; not an output device
        LD      L,(IX+1)
        LD      H,(IX+2)
        LD      A,B
        CP      2               ; Z: output
        LD      A,C
        JP      (HL)
BACK:   POP     DE
        POP     IX
        POP     HL
        POP     BC
        RET
TEXT:   DB      "BARE Z80, NO ROM",0DH,0
        ORG     4025H
        DB      06H             ; printer DCB: output and control
        DW      0               ; driver address, set by SETUP
        DB      66,0,0,"PR"
        END     START
"""


def test_driver_with_a_level_ii_style_cio_on_a_bare_z80() -> None:
    link = open_link("terminet:strict")
    cpu = Z80()
    board = RS232Board(clock=lambda: cpu.cycles, link=link)
    ports = {0xE8: (board.read_modem, board.write_reset),
             0xE9: (board.read_switches, board.write_rates),
             0xEA: (board.read_status, board.write_control),
             0xEB: (board.read_data, board.write_data)}
    cpu.io_read = lambda port: ports[port & 0xFF][0](port) if port & 0xFF in ports else 0xFF
    cpu.io_write = lambda port, v: ports[port & 0xFF][1](port, v) if port & 0xFF in ports else None
    harness = assemble(HARNESS)
    assert harness.ok, harness.errors
    for part in list(driver().segments) + list(harness.segments):
        cpu.memory[part.address:part.address + len(part.data)] = part.data
    cpu.code_changed()
    cpu.pc = 0
    limit = 10 * 1_774_080
    while cpu.memory[0x6FFF] != 0xAA or board.deadline < cpu.cycles + 10**6:
        assert cpu.cycles < limit
        cpu.run(max(1, min(board.deadline, cpu.cycles + 20_000) - cpu.cycles))
        board.fire(cpu.cycles)
        if cpu.memory[0x6FFF] == 0xAA and board.deadline > cpu.cycles + 10**6:
            break
    printer = link.printer
    assert printer.text == "BARE Z80, NO ROM" and printer.dropped == []
    assert cpu.sp == 0x8000  # CIO's pushes and pops balanced


@pytest.mark.parametrize("fill", [True, False])
def test_a_driver_that_forgets_its_fill_loses_characters(fill: bool) -> None:
    m = machine_with_driver()
    if not fill:
        m.poke(driver().symbols["NEWLN"] + 6, 1)  # LD B,1: one fill after LF, not six
    load(m, lprint_program(b"ONE\rTWO\r"))
    run_to_done(m, seconds=20)
    m.run(seconds=1)
    dropped = "".join(chr(b) for _, b, _ in m.terminet.dropped)
    assert dropped == ("" if fill else "TWO\n")  # and the LF that came too soon after
