"""The free ROM's firmware: the Level II entry points, DCBs and communications
region, exercised by machine-language programs written for Level II
(assembled here by the project's assembler) running on the project's ROM.

Facts from TRS80-REFERENCE.md: the entry points of §6.6, the DCBs and RAM of
§6.4-6.5, the display codes of §3.7, the keyboard codes of §2.2, the tape
timing and formats of §4.2 and §4.4, the LPRINT path of §8.2.
"""

from __future__ import annotations

import pytest

from tests.printhelp import load_driver
from z80emu.asm import assemble
from z80emu.cpu import Z80
from z80emu.formats import Segment
from z80emu.formats.cas import read_tape, write_system_cas
from z80emu.machines.trs80 import TRS80
from z80emu.roms.lookup import find_rom

DONE = 0x77FF  # the test programs store AAh here when they finish
OUT = 0x7800  # ... and what they saw from here


def booted(**kwargs) -> TRS80:
    m = TRS80(**kwargs)
    m.wait_for("READY", timeout=2.0)
    return m


def start(m: TRS80, source: str) -> None:
    """Assemble ``source`` (ORG 7000h unless it says otherwise), poke it in,
    clear the DONE flag and jump to its first byte."""
    result = assemble(source)
    assert result.ok, "\n".join(str(e) for e in result.errors)
    for segment in result.segments:
        m.poke(segment.address, segment.data)
    m.poke(DONE, 0)
    m.cpu.pc = result.entry if result.entry is not None else result.origin
    m.cpu.halted = 0


def finish(m: TRS80, seconds: float = 5.0) -> None:
    m.run(seconds=seconds, until=lambda: m.memory[DONE] == 0xAA)
    assert m.memory[DONE] == 0xAA, "the test program did not finish"


def lines(m: TRS80) -> list[str]:
    return [line.rstrip() for line in m.screen_text().splitlines()]


def word(m: TRS80, address: int) -> int:
    return m.peek(address) | m.peek(address + 1) << 8


END = f"""
        LD      A,0AAH
        LD      ({DONE}),A
STOP:   JR      STOP
"""


# ---- power-on: the communications region ---------------------------------------

def test_power_on_sets_up_the_communications_region() -> None:
    m = booted(ram_kb=16)
    assert word(m, 0x40B1) == 0x7FFF  # top of memory
    assert m.peek(0x403D) == 0x00  # port FFh copy: 64 columns, motor off
    assert m.peek(0x409C) == 0 and m.peek(0x409D) == 64  # video, 64 a line
    assert word(m, 0x40A7) == 0x41E8  # the input buffer
    assert (word(m, 0x4016), word(m, 0x401E), word(m, 0x4026)) == (0x03E3, 0x0458, 0x058D)
    assert m.peek(0x401B, 2) == b"KI" and m.peek(0x4023, 2) == b"DO"
    assert m.peek(0x402B, 2) == b"PR" and m.peek(0x4028) == 67
    # 28 Disk BASIC vectors, each a JP; 21 DOS exits, each RET 0 0
    vectors = m.peek(0x4152, 84)
    assert all(vectors[i] == 0xC3 for i in range(0, 84, 3))
    assert len({vectors[i + 1:i + 3] for i in range(0, 84, 3)}) == 1
    assert m.peek(0x41A6, 63) == bytes([0xC9, 0, 0]) * 21
    assert m.peek(0x400C) == 0xC9 and m.peek(0x400F) == 0xC9  # RST 28h/30h hooks
    # Level II keeps interrupts off; IM 1 is there for programs that enable them
    assert not m.cpu.iff1 and m.cpu.im == 1
    assert "Z80EMU ROM 1.0" in m.screen_text() and "16K RAM" in m.screen_text()


def test_the_ram_table_is_at_06d2h_as_in_level_ii() -> None:
    m = booted()
    ram, table = m.peek(0x4000, 0x36), bytes(m.memory[0x06D2:0x06D2 + 0x36])
    assert ram[:0x20] == table[:0x20]  # all but the cursor, which has moved
    assert ram[0x23:] == table[0x23:]


def test_random_seeds_from_r() -> None:
    m = booted()
    seeds = set()
    for i in range(4):
        start(m, f"""
        ORG     7000H
        LD      B,{7 * i + 3}
WAIT:   DJNZ    WAIT
        CALL    01D3H
        LD      A,(40ABH)
        LD      ({OUT}),A
{END}""")
        finish(m)
        seeds.add(m.peek(OUT))
    assert len(seeds) > 1


# ---- 0033h and the display codes -------------------------------------------------

def show(codes: bytes) -> str:
    body = "".join(f"        LD      A,{c}\n        CALL    0033H\n" for c in codes)
    return f"        ORG     7000H\n{body}{END}"


def test_0033h_prints_text_and_every_control_code() -> None:
    m = booted()
    # home+clear, "HELLO", BS, cursor off, CR, "AB", left, right, right, "C",
    # up, "U", start of line, "S", down x 3, erase to the end of the line, "X",
    # then the codes that do nothing
    codes = (b"\x1c\x1fHELLO\x08\x0f\rAB\x18\x19\x19C\x1bU\x1dS\x1a\x1a\x1a\x1eX"
             b"\x00\x01\x02\x03\x04\x05\x06\x07\x09\x10\x11\x12\x13\x14\x15\x16")
    start(m, show(codes))
    finish(m)
    shown = lines(m)
    assert shown[:4] == ["SELLU", "AB C", "", " X"]
    assert word(m, 0x4020) == 0x3C00 + 3 * 64 + 2
    # up from the top row wraps to the bottom, down from the bottom to the top;
    # left from column 0 wraps to the end of the same row, right back to column 0
    start(m, show(b"\x1c\x1f\x1bW\x1aT\x1d\x18E\x1b\x18\x19R"))
    finish(m)
    shown = lines(m)
    assert shown[15] == "W" and shown[0] == "RT" + " " * 61 + "E"
    assert m.peek(0x4022) == 0  # the cursor is off: nothing kept under it
    assert "_" not in m.screen_text()
    start(m, show(b"\x0e"))  # cursor on: shown at once
    finish(m)
    assert m.peek(word(m, 0x4020)) == 0x5F


def test_backspace_at_column_0_erases_the_row_above() -> None:
    m = booted()
    start(m, show(b"\x1c\x1f" + b"A" * 63 + b"Z" + b"\x08"))
    finish(m)
    assert lines(m)[0] == "A" * 63 + "_"  # Z erased, the cursor in its place
    assert word(m, 0x4020) == 0x3C3F


def test_erase_to_end_of_screen_and_line_and_32_columns() -> None:
    m = booted()
    start(m, show(b"\x1c\x1f\x0fLINE ONE\rLINE TWO\rLINE THREE\x1b\x1d\x19\x19\x19\x19\x1f"))
    finish(m)
    assert lines(m)[:3] == ["LINE ONE", "LINE", ""]
    start(m, show(b"\x17WIDE\x1cNARROW"))
    finish(m)
    assert not m.video.wide and m.peek(0x403D) & 0x08 == 0
    assert lines(m)[0].startswith("NARROW")
    start(m, show(b"\x17AB\x08"))
    finish(m)
    assert m.video.wide and m.peek(0x403D) & 0x08
    assert word(m, 0x4020) % 2 == 0


def test_scrolling_through_0033h() -> None:
    m = booted()
    text = b"".join(b"ROW%02d\r" % i for i in range(20))
    start(m, show(b"\x1c\x1f" + text))
    finish(m)
    shown = lines(m)
    assert shown[0] == "ROW05" and shown[14] == "ROW19" and shown[15] in ("", "_")


def test_a_driver_hooked_at_401eh_sees_every_character() -> None:
    m = booted()
    start(m, f"""
        ORG     7000H
        LD      HL,DRIVER
        LD      (401EH),HL
        LD      HL,{OUT}
        LD      (PTR),HL
        LD      A,'H'
        CALL    0033H
        LD      A,'I'
        CALL    0033H
        LD      A,0DH
        CALL    0033H
        LD      HL,0458H        ; the ROM's own driver back
        LD      (401EH),HL
{END}
DRIVER: PUSH    HL              ; C = the character, IX = 401Dh, Z set (output)
        LD      HL,(PTR)
        LD      (HL),C
        INC     HL
        LD      (PTR),HL
        POP     HL
        LD      A,C
        RET
PTR:    DW      0
""")
    finish(m)
    assert m.peek(OUT, 3) == b"HI\r"


# ---- the keyboard: 002Bh, 0049h, 0040h -----------------------------------------------

def test_0049h_returns_the_level_ii_codes_of_typed_keys() -> None:
    m = booted()
    text = "AZ@az09!?<>,./;:+*=-\r\x1f\x08\x09\u2193\x18\x19\x1a\x1b \x01^"
    start(m, f"""
        ORG     7000H
        LD      HL,{OUT}
        LD      B,{len(text)}
LOOP:   PUSH    BC
        CALL    0049H
        POP     BC
        LD      (HL),A
        INC     HL
        DJNZ    LOOP
{END}""")
    m.type(text)
    finish(m, seconds=10)
    expected = bytes(ord(c) for c in text.replace("\u2193", "\x0a")).replace(b"^", b"\x5b")
    assert m.peek(OUT, len(text)) == expected


def test_002bh_scans_once_and_returns_0_with_no_key() -> None:
    m = booted()
    start(m, f"""
        ORG     7000H
        LD      HL,{OUT}
        LD      B,200
LOOP:   PUSH    BC
        PUSH    HL
        CALL    002BH
        POP     HL
        POP     BC
        OR      A
        JR      Z,NEXT
        LD      (HL),A
        INC     HL
NEXT:   DJNZ    LOOP
        LD      (HL),0FFH
{END}""")
    m.type("Q")
    finish(m)
    assert m.peek(OUT, 2) == b"Q\xff"


def test_a_held_key_repeats_after_a_delay() -> None:
    m = booted()
    start(m, f"""
        ORG     7000H
        LD      HL,{OUT}+2
        LD      BC,0
LOOP:   PUSH    HL
        CALL    0049H
        POP     HL
        LD      (HL),A
        INC     HL
        LD      BC,({OUT})
        INC     BC
        LD      ({OUT}),BC
        JR      LOOP
""")
    m.poke(OUT, [0, 0])
    m.keyboard.press("K")
    m.run(seconds=0.3)
    assert word(m, OUT) == 1  # the press itself, no repeat yet
    m.run(seconds=1.7)
    m.keyboard.release("K")
    count = word(m, OUT)
    assert 10 <= count <= 40, count  # about 0.5 s, then about 12 a second
    assert set(m.peek(OUT + 2, count)) == {ord("K")}
    m.run(seconds=0.5)
    assert word(m, OUT) == count  # let go: no more
    m.keyboard.press("BREAK")  # BREAK never repeats
    m.run(seconds=1.5)
    m.keyboard.release("BREAK")
    assert word(m, OUT) == count + 1 and m.peek(OUT + 2 + count) == 0x01


LINE_INPUT = f"""
        ORG     7000H
        CALL    01C9H           ; a clear screen: the line starts at column 0
        LD      HL,{OUT}+2
        LD      B,MAX
        CALL    0040H
        LD      A,B
        LD      ({OUT}),A
        LD      A,0
        RLA                     ; carry: BREAK
        LD      ({OUT}+1),A
        LD      ({OUT}+40),HL   ; HL kept
{END}"""


def line_input(text: str, maximum: int = 20) -> tuple[bytes, bool, TRS80]:
    m = booted()
    start(m, LINE_INPUT.replace("MAX", str(maximum)))
    m.type(text)
    finish(m, seconds=10)
    count = m.peek(OUT)
    assert word(m, OUT + 40) == OUT + 2
    data = m.peek(OUT + 2, count + 1)
    assert data[-1] == 0x0D
    return data[:-1], bool(m.peek(OUT + 1)), m


def test_0040h_line_input_with_editing() -> None:
    data, broke, m = line_input("HELLX\x08O WORLD\r")
    assert data == b"HELLO WORLD" and not broke
    assert "HELLO WORLD" in m.screen_text()
    data, broke, _ = line_input("GARBAGE\x18GOOD\r")  # SHIFT + left erases the line
    assert data == b"GOOD" and not broke
    data, broke, _ = line_input("\x08\x08AB\r")  # backspace at the start: nothing
    assert data == b"AB"


def test_0040h_stops_at_the_length_and_ends_with_break() -> None:
    data, broke, _ = line_input("ABCDEFGHIJ\r", maximum=4)
    assert data == b"ABCD" and not broke
    data, broke, _ = line_input("STOP\x01")
    assert data == b"STOP" and broke


def test_0040h_tab_puts_spaces_to_the_next_stop() -> None:
    data, broke, m = line_input("AB\x09C\r")
    column = (m.peek(0x4020) & 0x3F)  # after ENTER, at the start of a line
    assert column == 0
    prompt_column = data.index(b"C")  # the input started at column 0 of a line
    assert data.startswith(b"AB ") and set(data[2:prompt_column]) == {0x20}
    assert prompt_column % 8 == 0


# ---- 0060h -----------------------------------------------------------------------------

@pytest.mark.parametrize("count", [1, 2, 100, 1000])
def test_0060h_delays_26_t_states_a_count(count: int) -> None:
    rom = find_rom(None, environ={}, config_dir=None).image()
    cpu = Z80()
    cpu.memory[0:0x3000] = rom
    program = bytes([0x01, count & 0xFF, count >> 8, 0xCD, 0x60, 0x00, 0x76])  # LD BC; CALL; HALT
    cpu.memory[0x8000:0x8000 + len(program)] = program
    cpu.pc, cpu.sp = 0x8000, 0xF000
    cpu.step()  # LD BC,count
    begin = cpu.cycles
    while cpu.pc != 0x8006:
        cpu.step()
    # CALL 17, then per count DEC BC 6 + LD A,B 4 + OR C 4 + JR 12 (7 the last time), RET 10
    assert cpu.cycles - begin == 17 + 26 * count - 5 + 10


# ---- the printer: 003Bh, 032Ah with 409Ch = 1, 039Ch, a driver at 4026h ---------------------

CAPTURE = f"""
DRIVER: PUSH    HL              ; a printer driver: keeps each character
        LD      HL,(PTR)
        LD      (HL),C
        INC     HL
        LD      (PTR),HL
        POP     HL
        LD      A,C
        RET
PTR:    DW      {OUT}
"""


def test_a_driver_hooked_at_4026h_gets_003bh_and_the_lprint_path() -> None:
    m = booted()
    start(m, f"""
        ORG     7000H
        LD      HL,DRIVER
        LD      (4026H),HL
        LD      HL,TEXT1        ; 003Bh: straight to the printer DCB
        CALL    SEND3B
        LD      A,1             ; LPRINT sets the output device to the printer
        LD      (409CH),A
        LD      HL,TEXT2
        CALL    SEND2A
        LD      A,(409BH)       ; the printer column after "XYZ"
        LD      ({OUT}+100),A
        LD      A,0DH
        CALL    032AH
        LD      A,(409BH)
        LD      ({OUT}+101),A
        XOR     A
        LD      (409CH),A
        LD      A,'V'           ; back to the screen
        CALL    032AH
        LD      A,(40A6H)       ; POS(): the cursor column
        LD      ({OUT}+102),A
{END}
SEND3B: LD      A,(HL)
        OR      A
        RET     Z
        CALL    003BH
        INC     HL
        JR      SEND3B
SEND2A: LD      A,(HL)
        OR      A
        RET     Z
        CALL    032AH
        INC     HL
        JR      SEND2A
TEXT1:  DB      "DIRECT",0DH,0
TEXT2:  DB      "LPRINT",0AH,"XYZ",0
{CAPTURE}""")
    finish(m)
    assert m.peek(OUT, 18) == b"DIRECT\rLPRINT\rXYZ\r"  # LF goes out as CR
    assert m.peek(OUT + 100) == 3 and m.peek(OUT + 101) == 0
    column = m.peek(0x4020) & 0x3F
    assert m.peek(OUT + 102) == column and column > 0
    assert "V" in m.screen_text()


def test_the_builtin_printer_driver_pages_with_vt_and_ff() -> None:
    m = booted()
    sent: list[int] = []
    port_write = m.printer_port.write
    m.printer_port.write = lambda value: (sent.append(value), port_write(value))
    start(m, f"""
        ORG     7000H
        LD      HL,TEXT
SEND:   LD      A,(HL)
        OR      A
        JR      Z,SENT
        CALL    003BH
        INC     HL
        JR      SEND
SENT:   LD      A,(4029H)
        LD      ({OUT}),A
        XOR     A               ; a status request: Z when ready
        CALL    003BH
        LD      ({OUT}+1),A
        CALL    05D1H
        LD      A,0
        JR      NZ,NR
        INC     A
NR:     LD      ({OUT}+2),A
{END}
TEXT:   DB      "ONE",0DH,"TWO",0DH,0BH,"NEXT",0DH,0
""")
    finish(m)
    # VT: line feeds to the top of the next page (67 lines, 2 printed), then a line
    assert bytes(sent) == b"ONE\rTWO\r" + b"\n" * 65 + b"NEXT\r"
    assert m.peek(OUT) == 1
    assert m.peek(OUT + 1) == 0x30 and m.peek(OUT + 2) == 1  # the status: ready


def test_terminet_driver_prints_through_032ah() -> None:
    m = TRS80(serial="terminet:strict")
    m.wait_for("READY", timeout=2.0)
    load_driver(m)
    start(m, f"""
        ORG     6000H
        LD      SP,6F00H
        CALL    7F00H           ; the driver's SETUP hooks 4026h
        LD      A,1
        LD      (409CH),A
        LD      HL,TEXT
SEND:   LD      A,(HL)
        OR      A
        JR      Z,SENT
        CALL    032AH
        INC     HL
        JR      SEND
SENT:   XOR     A
        LD      (409CH),A
{END}
TEXT:   DB      "PRINTED BY LPRINT",0DH,"SECOND LINE",0AH,0
""")
    finish(m, seconds=15)
    m.run(seconds=1)
    assert m.terminet.dropped == []
    assert m.terminet.text == "PRINTED BY LPRINT\nSECOND LINE"


# ---- the cassette ----------------------------------------------------------------------------

def out_times(address: int, value: int, setup=()) -> list[tuple[int, int]]:
    """Run the ROM's 0264h (write A) on a bare Z80; the OUTs it makes, with times."""
    rom = find_rom(None, environ={}, config_dir=None).image()
    outs: list[tuple[int, int]] = []
    cpu = Z80(io_write=lambda port, v: outs.append((cpu.cycles, v)))
    cpu.memory[0:0x3000] = rom
    cpu.memory[0x403D] = 0x04  # motor on
    program = bytes([0x3E, value, 0xCD, address & 0xFF, address >> 8, 0x76])
    cpu.memory[0x8000:0x8000 + len(program)] = program
    cpu.pc, cpu.sp = 0x8000, 0xF000
    while cpu.pc != 0x8005:
        cpu.step()
    return outs


def test_0264h_writes_level_ii_pulse_timing() -> None:
    outs = out_times(0x0264, 0b10110010)
    highs = [t for t, v in outs if v & 3 == 1]
    lows = [t for t, v in outs if v & 3 == 2]
    rests = [t for t, v in outs if v & 3 == 0]
    assert all(v & 0x04 for _, v in outs)  # the motor stays on
    assert len(highs) == len(lows) == len(rests) == 8 + 4  # a clock pulse a bit, a data pulse a 1
    widths = {lo - hi for hi, lo in zip(highs, lows, strict=True)}
    assert widths == {232}  # about 128 us high, then low as long
    assert {r - lo for lo, r in zip(lows, rests, strict=True)} == {225}
    # clock pulses: a 1 is followed by its data pulse 1779 T later
    clocks, i = [], 0
    bits = [1, 0, 1, 1, 0, 0, 1, 0]
    for bit in bits:
        clocks.append(highs[i])
        if bit:
            assert highs[i + 1] - highs[i] == 1779
        i += 2 if bit else 1
    cells = [b - a for a, b in zip(clocks, clocks[1:], strict=False)]
    assert cells == [3557 if bit else 3570 for bit in bits[:-1]]


def tape_program(body: str) -> str:
    return f"""
        ORG     7000H
        LD      SP,6F00H
        XOR     A
        CALL    0212H           ; cassette #1, motor on (and interrupts off)
{body}
        CALL    01F8H           ; motor off
{END}"""


SYSTEM_TAPE = """
        CALL    0287H           ; leader and sync
        LD      HL,IMAGE
        LD      B,IMGLEN
WR:     LD      A,(HL)
        CALL    0264H
        INC     HL
        DJNZ    WR
"""


def system_image() -> bytes:
    """A SYSTEM file body (after the sync): name TEST, one block, entry."""
    code = bytes([0x3E, 0x2A, 0x32, 0x00, 0x3C, 0x18, 0xFE])  # LD A,'*'; LD (3C00h),A; JR $
    return write_system_cas([Segment(0x7A00, code)], 0x7A00, "TEST")[256:]


def test_write_a_system_tape_with_0287h_and_0264h() -> None:
    m = booted()
    image = system_image()[1:]  # what follows A5h
    data = ",".join(str(b) for b in image)
    start(m, tape_program(SYSTEM_TAPE.replace("IMGLEN", str(len(image)))) +
          f"IMAGE:  DB      {data}\n")
    finish(m, seconds=20)
    recorded = bytes(m.tape.recording)
    tape = read_tape(recorded)
    assert tape.files[0].kind == "system" and tape.files[0].name == "TEST"
    program = tape.files[0].program
    assert program.entry == 0x7A00
    assert program.segments[0].data == bytes([0x3E, 0x2A, 0x32, 0x00, 0x3C, 0x18, 0xFE])
    assert recorded.count(0) >= 255 and recorded[recorded.index(0xA5) - 1] == 0


def test_read_a_tape_back_with_0296h_and_0235h() -> None:
    m = booted()
    payload = bytes(range(256)) + b"THE END"
    m.tape.insert(bytes(256) + b"\xA5" + payload)
    start(m, tape_program(f"""
        CALL    0296H           ; leader and sync: "**" at the top right
        LD      HL,{OUT}
        LD      BC,{len(payload)}
RD:     CALL    0235H
        LD      (HL),A
        INC     HL
        DEC     BC
        LD      A,B
        OR      C
        JR      NZ,RD
"""))
    finish(m, seconds=30)
    assert m.peek(OUT, len(payload)) == payload
    assert m.peek(0x3C3E, 2) == b"**"
    assert not m.tape.motor


def test_what_0264h_writes_0235h_reads() -> None:
    m = booted()
    data = bytes([0x00, 0xFF, 0xA5, 0x5A, 0x01, 0x80, 0x3C, 0x78])
    db = ",".join(str(b) for b in data)
    start(m, tape_program(f"""
        CALL    0287H
        LD      HL,DATA
        LD      B,{len(data)}
WR:     LD      A,(HL)
        CALL    0264H
        INC     HL
        DJNZ    WR
""") + f"DATA:   DB      {db}\n")
    finish(m, seconds=20)
    recording = bytes(m.tape.recording)
    m.tape.insert(recording)
    start(m, tape_program(f"""
        CALL    0296H
        LD      HL,{OUT}
        LD      B,{len(data)}
RD:     CALL    0235H
        LD      (HL),A
        INC     HL
        DJNZ    RD
"""))
    finish(m, seconds=20)
    assert m.peek(OUT, len(data)) == data


# ---- SYSTEM (02B2h) ---------------------------------------------------------------------------

def system_prompt(m: TRS80) -> None:
    start(m, "        ORG     7000H\n        JP      02B2H\n")
    m.run(seconds=0.2)
    assert lines(m)[-1].startswith("*?") or any(line.startswith("*?") for line in lines(m))


def test_system_loads_a_tape_by_name_and_starts_it() -> None:
    m = booted()
    other = write_system_cas([Segment(0x7B00, b"\xFF" * 300)], 0x7B00, "OTHER")
    code = bytes([0x3E, 0x2B, 0x32, 0x40, 0x3C, 0x18, 0xFE])  # LD A,'+'; LD (3C40h),A
    wanted = write_system_cas([Segment(0x7A00, code), Segment(0x7B80, bytes(range(200)))],
                              0x7A00, "GAME")
    m.tape.insert(other + wanted)
    system_prompt(m)
    m.type("GAME\r")
    m.run(seconds=20, until=lambda: m.memory[0x40DF] == 0x00 and m.memory[0x40E0] == 0x7A)
    m.run(seconds=0.5)
    assert not m.tape.motor
    assert m.peek(0x7A00, len(code)) == code and m.peek(0x7B80, 200) == bytes(range(200))
    assert m.peek(0x7B00) != 0xFF  # the other program was passed over
    assert m.peek(0x3C3E) == ord("*")
    assert sum(line.startswith("*?") for line in lines(m)) == 2  # asks again
    m.type("/\r")
    m.run(seconds=0.5)
    assert m.peek(0x3C40) == ord("+")
    assert 0x7A05 <= m.cpu.pc <= 0x7A06


def test_system_jumps_to_a_decimal_address_and_break_returns() -> None:
    m = booted()
    m.poke(0x7C00, bytes([0x3E, 0x21, 0x32, 0x80, 0x3C, 0x18, 0xFE]))  # LD A,'!'; LD (3C80h),A
    system_prompt(m)
    m.type("/31744\r")  # 7C00h
    m.run(seconds=0.5)
    assert m.peek(0x3C80) == ord("!")
    system_prompt(m)
    m.type("\x01")
    m.wait_for("READY", timeout=2.0)


def test_system_shows_c_on_a_bad_checksum() -> None:
    m = booted()
    cas = bytearray(write_system_cas([Segment(0x7A00, b"\x01\x02\x03")], 0x7A00, "BAD"))
    block = cas.index(bytes([0x3C, 3, 0x00, 0x7A]))
    cas[block + 4 + 3] ^= 0xFF  # the checksum
    m.tape.insert(bytes(cas))
    system_prompt(m)
    m.type("BAD\r")
    m.run(seconds=10, until=lambda: m.memory[0x3C3F] == ord("C"))
    assert m.peek(0x3C3F) == ord("C")


def test_system_slash_m_enters_the_monitor_and_leaves_to_basic() -> None:
    m = booted()
    system_prompt(m)
    before = m.screen_text()
    m.type("/M\r")
    m.run(seconds=0.5)
    assert m.screen_text() != before
    m.type("\x01")  # BREAK leaves the monitor
    m.run(seconds=0.5)
    m.wait_for("READY", timeout=2.0)


# ---- reset ------------------------------------------------------------------------------------

def test_reset_returns_to_basic_and_rebuilds_a_broken_ram_table() -> None:
    m = booted()
    m.poke(0x401B, b"XX")  # the keyboard DCB overwritten
    m.video.clear()
    m.reset()
    m.wait_for("Z80EMU ROM", timeout=2.0)  # started from scratch
    assert m.peek(0x401B, 2) == b"KI"


def test_reset_with_break_held_enters_the_monitor() -> None:
    m = booted()
    m.keyboard.press("BREAK")
    m.reset()
    m.run(seconds=0.3)
    m.keyboard.release("BREAK")
    m.run(seconds=0.3)
    entered = m.screen_text()
    assert "READY" not in entered  # the screen was cleared for the monitor
    m.type("\x01")  # BREAK, pressed again, leaves it
    m.wait_for("READY", timeout=2.0)


def test_run_tape_starts_a_system_tape_through_the_roms_system_command(tmp_path) -> None:
    from z80emu.loader import start_file

    code = bytes.fromhex("21 0D 7A 7E B7 28 FE CD 33 00 23 18 F6") + b"SYSTEM OK\x00"
    path = tmp_path / "show.cas"
    path.write_bytes(write_system_cas([Segment(0x7A00, code)], 0x7A00, "SHOW"))
    m = TRS80()
    note = start_file(m, str(path), tape=True)
    assert "SYSTEM SHOW" in note
    m.wait_for("SYSTEM OK", timeout=30.0)
    assert m.peek(0x7A00, len(code)) == code


def test_lowercase_shows_only_with_the_modification() -> None:
    for fitted, expected in ((False, "ABC"), (True, "abc")):
        m = booted(lowercase=fitted)
        start(m, show(b"\x1c\x1f\x0fabc"))
        finish(m)
        assert lines(m)[0] == expected
        assert m.peek(0x4042) == (0xFF if fitted else 0)


def test_motor_on_disables_interrupts_and_motor_off_keeps_registers() -> None:
    m = booted()
    start(m, f"""
        ORG     7000H
        LD      SP,6F00H
        IM      1
        EI
        LD      BC,1234H
        LD      DE,5678H
        LD      HL,9ABCH
        LD      A,0
        CALL    0212H           ; motor on: DI
        LD      A,(403DH)
        LD      ({OUT}),A
        LD      A,55H
        CALL    01F8H           ; motor off
        LD      ({OUT}+1),A
        LD      A,(403DH)
        LD      ({OUT}+2),A
        LD      ({OUT}+3),BC
        LD      ({OUT}+5),DE
        LD      ({OUT}+7),HL
{END}""")
    finish(m)
    assert not m.cpu.iff1
    assert m.peek(OUT) & 0x04 and m.peek(OUT + 2) & 0x04 == 0
    assert m.peek(OUT + 1) == 0x55
    assert m.peek(OUT + 3, 6) == bytes.fromhex("3412 7856 BC9A")


def test_0ah_to_0dh_all_start_a_new_erased_line() -> None:
    m = booted()
    start(m, show(b"\x1c\x1f\x0fA\x0aB\x0bC\x0cD\x0dE\x1cFGH\x1a\x1d\x0c"))
    finish(m)
    # the last FF, from row 1, erases row 2 (where "C" was)
    assert lines(m)[:5] == ["FGH", "B", "", "D", "E"]
    assert word(m, 0x4020) == 0x3C80
