"""The virtual GE TermiNet 300: the mechanism's timing against the GE fill chart,
strict mode dropping exactly the characters that come too early (sent by a
Z80 program through the UART), the belt, the line and overprinting, and the
answer-back coming back through the board. Facts: TRS80-REFERENCE.md §10.
"""

from __future__ import annotations

import logging

import pytest

from tests.printhelp import load, run_to_done, table_program
from z80emu.devices.timing import CLOCK_HZ
from z80emu.links import open_link
from z80emu.machines.trs80 import TRS80
from z80emu.printers.terminet import TermiNet300


def feed(tn: TermiNet300, data: bytes, start: int = 0) -> None:
    """Characters back to back at the printer's own line speed."""
    for i, byte in enumerate(data, start):
        tn.receive(byte, t=(i + 1) / tn.cps)


def fewest_fills(cps: int, before: bytes, after: bytes = b"B") -> int:
    """The fewest NULs between ``before`` and ``after`` with nothing dropped."""
    for fills in range(100):
        tn = TermiNet300(strict=True, cps=cps)
        feed(tn, before + bytes(fills) + after)
        if not tn.dropped:
            return fills
    raise AssertionError("never printed")


@pytest.mark.parametrize("cps, lf, lf_no_cr, second_lf, further_lf, bs, start", [
    (30, 6, 7, 8, 2, 6, 12),
    (15, 2, 3, 3, 1, 3, 6),
    (10, 0, 1, 1, 0, 2, 4),
])
def test_strict_timing_reproduces_the_ge_fill_chart(cps, lf, lf_no_cr, second_lf, further_lf,
                                                    bs, start, caplog) -> None:
    caplog.set_level(logging.ERROR)
    assert fewest_fills(cps, b"A\r\n") == lf
    assert fewest_fills(cps, b"A\n") == lf_no_cr  # no CR: one more
    assert fewest_fills(cps, b"A\r\n", b"\n") == second_lf
    assert fewest_fills(cps, b"A\r\n" + bytes(40) + b"\n", b"\n") == further_lf
    assert fewest_fills(cps, b"A\b") == bs
    assert fewest_fills(cps, b"\x1bi\x1bh") == start  # motor off, then on


def test_vt_and_ff_need_300_ms_and_27_ms_a_line(caplog) -> None:
    caplog.set_level(logging.ERROR)
    # From line 0 a VT moves 6 lines: 300 + 162 = 462 ms = 13.86 characters
    assert fewest_fills(30, b"\x0b") == 13
    # An FF from the top of form moves a whole 66-line form: 2082 ms
    assert fewest_fills(30, b"\x0c") == 62
    assert fewest_fills(10, b"\x0c") == 20


@pytest.mark.parametrize("fills, dropped, printed", [
    (6, "", "AB\nCD"),
    (5, "C", "AB\nD"),
    (0, "CD\n", "AB"),
])
def test_strict_mode_drops_exactly_what_comes_too_early(fills, dropped, printed,
                                                        caplog) -> None:
    m = TRS80(serial="terminet:strict")
    m.wait_for("READY", timeout=2.0)
    load(m, table_program(b"AB\r\n" + bytes(fills) + b"CD\r\n"))
    with caplog.at_level(logging.WARNING):
        run_to_done(m)
        m.run(seconds=0.2)
    tn = m.terminet
    assert "".join(chr(b) for _, b, _ in tn.dropped) == dropped
    assert tn.text.rstrip("\n") == printed
    warnings = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert len(warnings) == len(dropped)
    if fills == 5:
        assert "the mechanism needs 300 ms (6 fill characters after the LF" in warnings[0]
    if fills == 0:
        assert "the first line feed; the mechanism needs 350 ms" in warnings[2]
    # every arrival was a whole character time after the one before
    times = [t for t, _ in tn.arrivals]
    assert {round((b - a) * CLOCK_HZ) for a, b in zip(times, times[1:])} == {59136}


def test_without_strict_mode_nothing_is_dropped() -> None:
    tn = TermiNet300()
    feed(tn, b"AB\r\nCD\r\n")
    assert tn.text == "AB\nCD" and tn.dropped == []


def test_cr_alone_overprints_and_backspace_strikes_again() -> None:
    tn = TermiNet300()
    feed(tn, b"HELLO\r_____\r\nA\b/\r\n")
    assert tn.paper.lines == ["HELLO\r_____", "A\r/"]
    tn = TermiNet300(cr_feeds=True)
    feed(tn, b"ONE\rTWO\r")
    assert tn.paper.lines == ["ONE", "TWO"]


def test_line_feed_keeps_the_column() -> None:
    tn = TermiNet300()
    feed(tn, b"AB\nCD\r\n")
    assert tn.paper.lines == ["AB", "  CD"]


@pytest.mark.parametrize("overflow, lines", [
    ("drop", ["ABCD"]),
    ("wrap", ["ABCD", "EF"]),
    ("pile", ["ABCD\r   E\r   F"]),
])
def test_past_the_last_column(overflow, lines) -> None:
    tn = TermiNet300(width=4, overflow=overflow)
    feed(tn, b"ABCDEF\r\n")
    assert tn.paper.lines == lines
    assert tn.lost_past_edge == (2 if overflow == "drop" else 0)


def test_upper_case_belt_folds_lower_case() -> None:
    tn = TermiNet300(upper_only=True)
    feed(tn, b"Hello, {world}~\r\n")
    assert tn.paper.lines == ["HELLO, [WORLD]^"]
    tn = TermiNet300()
    feed(tn, b"Hello\r\n")
    assert tn.paper.lines == ["Hello"]


def test_118_positions_by_default_and_parity_bit_ignored() -> None:
    tn = TermiNet300()
    feed(tn, bytes([0xC1]) + b"X" * 200 + b"\r\n")
    assert tn.paper.lines == ["A" + "X" * 117]


def test_form_feed_and_vertical_tab_move_the_paper() -> None:
    tn = TermiNet300(form_length=12, vt_every=4)
    feed(tn, b"ONE\r\n\x0bFIVE\r\x0cTOP\r\n\x0c")
    assert tn.paper.lines == ["ONE", "", "", "", "FIVE", "\fTOP"]
    assert tn.text.endswith("\f")
    assert tn.line_in_form == 0


def test_escape_codes_motor_and_others() -> None:
    tn = TermiNet300(strict=True)
    feed(tn, b"\x1bI" + bytes(10) + b"LOST\x1bh" + bytes(12) + b"OK\x1bRX")
    assert "".join(chr(b) for _, b, _ in tn.dropped) == "LOST"
    assert tn.text == "OKX"  # ESC R (ribbon colour) is consumed without printing


def test_a_wrong_line_speed_prints_nothing_and_warns_once(caplog) -> None:
    m = TRS80(serial="terminet")
    m.wait_for("READY", timeout=2.0)
    load(m, table_program(b"HELLO\r\n", setup="""
        OUT     (0E8H),A
        LD      A,77H           ; 1200 baud: four times too fast for the printer
        OUT     (0E9H),A
        LD      A,6CH
        OUT     (0EAH),A
"""))
    with caplog.at_level(logging.WARNING):
        run_to_done(m)
        m.run(seconds=0.1)
    assert m.terminet.text == "" and m.terminet.garbled == 7
    speed = [r for r in caplog.records if "bit/s but the printer is set" in r.getMessage()]
    assert len(speed) == 1


ASK = """
        ORG     6000H
START:  DI
        OUT     (0E8H),A
        LD      A,55H
        OUT     (0E9H),A
        LD      A,6CH
        OUT     (0EAH),A
        LD      A,05H           ; ENQ: who are you?
        OUT     (0EBH),A
        LD      HL,6100H
        LD      B,4
RECV:   IN      A,(0EAH)
        BIT     7,A
        JR      Z,RECV
        IN      A,(0EBH)
        LD      (HL),A
        INC     HL
        DJNZ    RECV
        LD      A,0AAH
        LD      (6FFFH),A
STOP:   JR      STOP
        END     START
"""


def test_answer_back_comes_back_through_the_board() -> None:
    m = TRS80(serial="terminet:answerback=TN30")
    m.wait_for("READY", timeout=2.0)
    load(m, ASK)
    run_to_done(m)
    assert m.peek(0x6100, 4) == b"TN30"


def test_terminet_options_from_the_target() -> None:
    link = open_link("terminet:cps=10,width=80,form=88,strict,upper,overflow=wrap,vt=8,crfeeds")
    tn = link.printer
    assert (tn.cps, tn.baud, tn.stop_bits) == (10, 110, 2)
    assert (tn.width, tn.form_length, tn.vt_every) == (80, 88, 8)
    assert tn.strict and tn.upper_only and tn.cr_feeds and tn.overflow == "wrap"
    with pytest.raises(ValueError):
        TermiNet300(cps=20)
