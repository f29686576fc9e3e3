"""The RS-232-C board (26-1145): its registers and line timing, seen from Z80
programs assembled with z80emu's assembler and run on the Model I, and the
board's receive side, modem lines and master reset driven directly.

All times are emulated T-states (1.77408 MHz); nothing here looks at the wall
clock. Facts: TRS80-REFERENCE.md §9.
"""

from __future__ import annotations

import logging

import pytest

from tests.printhelp import DONE, SETUP_300, load, ms, run_to_done, table_program
from z80emu.devices.rs232 import (
    BIT_TICKS,
    DR,
    FE,
    OE,
    THRE,
    TICKS_PER_T,
    RS232Board,
    actual_baud,
    rate_code,
    switches_for,
)
from z80emu.devices.timing import CLOCK_HZ
from z80emu.links import Frame, Link, ModemLines
from z80emu.links.base import READY
from z80emu.machines.trs80 import TRS80

CHAR_300 = 59_136  # T-states for 10 bits at 300 baud: 33.333 ms


def booted(**kwargs) -> TRS80:
    m = TRS80(**kwargs)
    m.wait_for("READY", timeout=2.0)
    return m


class Recorder(Link):
    """A far end that notes what arrives and when (emulated seconds)."""

    name = "recorder"

    def __init__(self, lines: ModemLines = READY) -> None:
        self.got: list[tuple[int, float, Frame]] = []
        self.control: list[tuple[bool, bool, bool]] = []
        self._lines = lines

    def send(self, byte, t, frame):
        self.got.append((byte, t, frame))

    def lines(self):
        return self._lines

    def set_control(self, dtr, rts, brk):
        self.control.append((dtr, rts, brk))


# -- registers and timing from a Z80 program ------------------------------------------------

REGISTERS = f"""
        ORG     6000H
START:  DI
{SETUP_300}
        IN      A,(0EAH)        ; idle: THRE only
        LD      (6100H),A
        IN      A,(0E9H)        ; the sense switches
        LD      (6101H),A
        IN      A,(0E8H)        ; modem status: CTS DSR CD, line idle (bit 1)
        LD      (6102H),A
        LD      A,'A'
        OUT     (0EBH),A        ; straight into the shift register
        IN      A,(0EAH)
        LD      (6103H),A       ; THRE is 1 again
        LD      A,'B'
        OUT     (0EBH),A        ; waits in the holding register
        IN      A,(0EAH)
        LD      (6104H),A       ; THRE is 0
        LD      HL,0
WAIT:   INC     HL              ; 6 T
        IN      A,(0EAH)        ; 11 T
        BIT     6,A             ; 8 T
        JR      Z,WAIT          ; 12 T: 37 T a round
        LD      (6106H),HL      ; rounds until 'A' left and 'B' moved up
        LD      A,0AAH
        LD      ({DONE}),A
STOP:   JR      STOP
        END     START
"""


def test_registers_and_transmit_timing_from_a_z80_program() -> None:
    m = booted(serial=Recorder())
    load(m, REGISTERS)
    writes = []
    board = m.rs232
    original = board.write_data

    def stamped(port, value):
        writes.append(m.cpu.cycles)
        original(port, value)

    m.bus.map_port(0xEB, write=stamped)
    run_to_done(m)
    assert m.peek(0x6100) == THRE
    assert m.peek(0x6101) == 0x6A  # 300 baud 8N1 (default switches)
    assert m.peek(0x6102) == 0xE2  # CTS, DSR, CD asserted; receive line at mark
    assert m.peek(0x6103) == THRE
    assert m.peek(0x6104) == 0x00
    rounds = int.from_bytes(m.peek(0x6106, 2), "little")
    # THRE returns when 'A' has finished: one character time after its OUT.
    waited = rounds * 37
    assert CHAR_300 - 200 <= waited + (writes[1] - writes[0]) <= CHAR_300 + 37 + 60
    m.run(seconds=0.1)
    got = board.link.got
    assert [b for b, _, _ in got] == [0x41, 0x42]
    # Each character arrives exactly ten bit times after its start bit began.
    arrive_a = got[0][1] * CLOCK_HZ
    assert arrive_a == pytest.approx(writes[0] + CHAR_300, abs=1e-6)
    assert ms(arrive_a - writes[0]) == pytest.approx(33.333, abs=0.001)
    # 'B' starts the moment 'A' ends: back to back.
    assert (got[1][1] - got[0][1]) * CLOCK_HZ == pytest.approx(CHAR_300, abs=1e-6)
    assert got[0][2] == Frame(300.0, 8, "N", 1)


def test_a_byte_at_300_baud_reaches_the_terminet_33_ms_later() -> None:
    m = booted(serial="terminet")
    load(m, table_program(b"X"))
    outs = []
    original = m.rs232.write_data
    m.bus.map_port(0xEB, write=lambda p, v: (outs.append(m.cpu.cycles), original(p, v)))
    run_to_done(m)
    m.run(seconds=0.05)
    (t, byte), = m.terminet.arrivals
    assert byte == ord("X")
    assert (t * CLOCK_HZ - outs[0]) == pytest.approx(CHAR_300, abs=1e-6)
    assert (t * CLOCK_HZ - outs[0]) * 1000 / CLOCK_HZ == pytest.approx(100 / 3, abs=1e-6)
    assert m.terminet.text == "X"


@pytest.mark.parametrize("rates, word, bits", [
    (0x55, 0x6C, 10),  # 300 8N1
    (0x55, 0xA4, 10),  # 300 7E1
    (0x55, 0xE4, 11),  # 300 8E1
    (0x22, 0x7C, 11),  # 110 8N2
    (0xEE, 0x6C, 10),  # 9600 8N1
])
def test_character_time_follows_rate_and_format(rates: int, word: int, bits: int) -> None:
    rec = Recorder()
    m = booted(serial=rec)
    setup = f"""
        OUT     (0E8H),A
        LD      A,{rates}
        OUT     (0E9H),A
        LD      A,{word}
        OUT     (0EAH),A
"""
    load(m, table_program(b"UU", setup))
    run_to_done(m)
    m.run(seconds=0.3)
    (_, t1, frame), (_, t2, _) = rec.got
    code = rates >> 4
    expected = BIT_TICKS[code] * bits / TICKS_PER_T
    assert (t2 - t1) * CLOCK_HZ == pytest.approx(expected, abs=1e-6)
    assert frame.baud == actual_baud(code)
    assert frame.bits == bits


def test_thirty_characters_a_second_sustained() -> None:
    m = booted(serial="terminet:width=132")
    text = bytes(ord("A") + i % 26 for i in range(120))
    load(m, table_program(text))
    run_to_done(m)
    m.run(seconds=0.1)
    times = [t for t, _ in m.terminet.arrivals]
    assert len(times) == 120
    gaps = {round((b - a) * CLOCK_HZ, 6) for a, b in zip(times, times[1:])}
    assert gaps == {CHAR_300}
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate == pytest.approx(30.0, abs=1e-9)


# -- the receiver -----------------------------------------------------------------------------

RECEIVE_LATE = f"""
        ORG     6000H
START:  DI
{SETUP_300}
        LD      BC,9000         ; wait about 130 ms (26 T a count) without reading
        CALL    0060H
        IN      A,(0EAH)
        LD      (6100H),A       ; DR and OE
        IN      A,(0EBH)
        LD      (6101H),A       ; the last character; DR clears
        IN      A,(0EAH)
        LD      (6102H),A
        LD      A,0AAH
        LD      ({DONE}),A
STOP:   JR      STOP
        END     START
"""


def test_overrun_when_the_program_reads_too_late() -> None:
    m = booted()
    load(m, RECEIVE_LATE)
    m.run(tstates=200)  # past the set-up
    m.rs232.feed(b"XYZ")
    run_to_done(m)
    assert m.peek(0x6100) == DR | THRE | OE
    assert m.peek(0x6101) == ord("Z")
    assert m.peek(0x6102) & DR == 0
    assert m.rs232.received == 3


RECEIVE_EACH = f"""
        ORG     6000H
START:  DI
{SETUP_300}
        LD      HL,6100H
        LD      B,3
NEXT:   LD      DE,0
POLL:   INC     DE              ; 6 T
        IN      A,(0EAH)        ; 11 T
        BIT     7,A             ; 8 T: DR?
        JR      Z,POLL          ; 12 T
        IN      A,(0EBH)
        LD      (HL),A
        INC     HL
        LD      (HL),E          ; rounds waited (37 T each)
        INC     HL
        LD      (HL),D
        INC     HL
        DJNZ    NEXT
        LD      A,0AAH
        LD      ({DONE}),A
STOP:   JR      STOP
        END     START
"""


def test_received_characters_arrive_at_the_line_rate() -> None:
    m = booted()
    load(m, RECEIVE_EACH)
    m.run(tstates=200)
    m.rs232.feed(b"abc")
    run_to_done(m)
    data = m.peek(0x6100, 9)
    assert bytes(data[0::3]) == b"abc"
    waits = [int.from_bytes(data[i + 1:i + 3], "little") * 37 for i in (0, 3, 6)]
    for waited in waits[1:]:  # one character time apart
        assert CHAR_300 - 120 <= waited <= CHAR_300 + 40
    assert m.rs232.status & (OE | FE) == 0


def test_framing_error_when_the_far_end_runs_at_another_speed() -> None:
    t = [0]
    board = RS232Board(clock=lambda: t[0])
    board.feed(b"Q", frame=Frame(1200))
    t[0] = CHAR_300
    assert board.read_status(0xEA) & (DR | FE) == DR | FE


def test_word_length_masks_received_and_sent_bits() -> None:
    t = [0]
    rec = Recorder()
    board = RS232Board(clock=lambda: t[0], link=rec)
    board.write_control(0xEA, 0x0C)  # 5 bits, 1 stop, no parity
    board.write_data(0xEB, 0xFF)
    board.feed(b"\xff")
    t[0] = 10**6
    assert board.read_data(0xEB) == 0x1F
    assert rec.got[0][0] == 0x1F
    assert rec.got[0][2].bits == 7


def test_master_reset_empties_the_transmitter_and_clears_the_flags() -> None:
    t = [0]
    rec = Recorder()
    board = RS232Board(clock=lambda: t[0], link=rec)
    board.write_data(0xEB, 0x31)
    board.write_data(0xEB, 0x32)
    board.feed(b"\x01\x02\x03")
    t[0] = CHAR_300 + 1
    board.write_data(0xEB, 0x33)  # '2' is shifting now; '3' waits
    t[0] = CHAR_300 * 5 // 2  # '3' is being shifted out; two characters received
    assert board.read_status(0xEA) == DR | OE | THRE
    board.write_reset(0xE8, 0)
    assert board.read_status(0xEA) == THRE
    t[0] = CHAR_300 * 6
    board.advance(t[0] * TICKS_PER_T)
    assert [b for b, _, _ in rec.got] == [0x31, 0x32]  # '3' was cut off
    assert board.control == 0x6C  # the control register is kept
    assert board.received == 2  # the third was on its way in when the reset came


def test_break_holds_the_line_and_loses_the_characters() -> None:
    t = [0]
    rec = Recorder()
    board = RS232Board(clock=lambda: t[0], link=rec)
    board.write_control(0xEA, 0x68)  # bit 2 = 0: break
    assert rec.control[-1][2] is True
    board.write_data(0xEB, 0x41)
    t[0] = CHAR_300 + 1
    board.read_status(0xEA)
    assert rec.got == [] and board.sent == 0
    board.write_control(0xEA, 0x6C)
    board.write_data(0xEB, 0x42)
    t[0] = 2 * CHAR_300 + 2
    board.read_status(0xEA)
    assert [b for b, _, _ in rec.got] == [0x42]


def test_raw_receive_line_follows_the_bits() -> None:
    t = [0]
    board = RS232Board(clock=lambda: t[0], link=Recorder())
    bit = BIT_TICKS[5] / TICKS_PER_T  # 5913.6 T
    assert board.read_modem(0xE8) & 0x02  # idle: mark
    board.feed(b"\x01")  # start 0, then 1,0,0,0,0,0,0,0, stop 1
    levels = []
    for n in range(10):
        t[0] = int(n * bit + bit / 2)
        levels.append((board.read_modem(0xE8) >> 1) & 1)
    assert levels == [0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    other = RS232Board(clock=lambda: 0, link=Recorder(), rx_line_bit=0)
    assert other.read_modem(0xE8) & 0x03 == 0x01


def test_modem_lines_follow_loop_and_polarity_settings() -> None:
    board = RS232Board(link=None)
    assert board.read_modem(0xE8) == 0x02  # nothing plugged in: no line asserted
    m = booted(serial="loop://")
    assert m.rs232.dtr and m.rs232.rts  # 6Ch at power-on: bits 1-0 = 0 assert them
    # loop:// wires RTS to CTS and DTR to DSR, and holds CD
    assert m.rs232.read_modem(0xE8) & 0xF0 == 0xE0
    m.rs232.write_control(0xEA, 0x6F)  # bits 1-0 = 1: both off
    m.rs232._lines_at = -(1 << 62)
    assert m.rs232.read_modem(0xE8) & 0xF0 == 0x20
    inverted = RS232Board(link=Recorder(), modem_active_high=False)
    assert inverted.read_modem(0xE8) & 0xF0 == 0x10


def test_rate_and_switch_helpers() -> None:
    assert [rate_code(b) for b in (50, 300, 9600, 19200)] == [0, 5, 14, 15]
    assert switches_for(110, 7, "E", 2) == 0x00 | 0x20 | 0x10 | 0x80
    assert BIT_TICKS[5] == 28 * 1056  # 5.6 T per divisor unit, in fifths of a T
    with pytest.raises(ValueError):
        rate_code(1000)


def test_no_board_without_the_expansion_interface() -> None:
    m = booted(expansion=False)
    assert m.bus.io_read(0xEA) == 0xFF
    with pytest.raises(ValueError):
        TRS80(expansion=False, serial="terminet")


def test_a_lost_link_is_reported_once_and_the_machine_runs_on(caplog) -> None:
    class Flaky(Recorder):
        def send(self, byte, t, frame):
            super().send(byte, t, frame)
            if len(self.got) == 2:
                raise OSError("device unplugged")

    flaky = Flaky()
    m = booted(serial=flaky)
    load(m, table_program(b"ABCDE"))
    with caplog.at_level(logging.WARNING):
        run_to_done(m)
    m.run(seconds=0.2)
    assert [b for b, _, _ in flaky.got] == [0x41, 0x42]
    lost = [r for r in caplog.records if "serial link lost" in r.getMessage()]
    assert len(lost) == 1 and "device unplugged" in lost[0].getMessage()
    assert m.rs232.link.name == "recorder (dropped)"
    assert m.rs232.read_modem(0xE8) & 0xF0 == 0  # the far end's lines are gone
    assert m.rs232.sent == 5  # the UART still sends, into nothing


def test_board_state_round_trip() -> None:
    t = [0]
    board = RS232Board(clock=lambda: t[0], link=Recorder())
    board.write_rates(0xE9, 0x77)
    board.write_data(0xEB, 0x41)
    board.write_data(0xEB, 0x42)
    board.feed(b"xy")
    state = board.get_state()
    copy = RS232Board(clock=lambda: t[0], link=Recorder())
    copy.set_state(state)
    assert copy.get_state() == state
    t[0] = 10**6
    assert copy.read_status(0xEA) == board.read_status(0xEA)
    assert copy.read_data(0xEB) == board.read_data(0xEB) == ord("y")
