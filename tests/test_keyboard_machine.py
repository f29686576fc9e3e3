"""The keyboard on the running machine: a Z80 program reads the matrix, and the
typing queue delivers long texts through the ROM's keyboard routine intact."""

from __future__ import annotations

import random

from tests.machine_progs import run_until_marker, start_program
from z80emu.devices.keyboard import CHAR_KEYS
from z80emu.machines.trs80 import TRS80


def booted() -> TRS80:
    m = TRS80()
    m.wait_for("READY", timeout=2.0)
    return m


def test_program_reads_rows_ored_and_mirrored() -> None:
    m = booted()
    for key in ("A", "H", "Q", "Y", "3", "9", "BREAK", "SHIFT"):
        m.keyboard.press(key)
    start_program(m, "keyboard_rows")
    run_until_marker(m, 0x600F)
    rows = [0x02, 0x01, 0x02, 0x02, 0x08, 0x02, 0x04, 0x01]
    assert list(m.peek(0x6000, 8)) == rows
    assert m.peek(0x6008) == rows[0] | rows[1]  # 3803h
    assert m.peek(0x6009) == 0x0F  # 38FFh: every row
    assert m.peek(0x600A) == 0x00  # 3800h: no row
    assert m.peek(0x600B) == rows[0]  # 3901h mirrors 3801h
    assert m.peek(0x600C) == rows[1] | rows[7]  # 3A82h mirrors 3882h
    assert m.peek(0x600D) == 0x0F  # 3BFFh


def expected_code(ch: str) -> int:
    return {"\n": 0x0D, "^": 0x5B}.get(ch, ord(ch))


def typed_text(length: int, seed: int = 1) -> str:
    alphabet = [c for c in CHAR_KEYS if len(c) == 1 and 0x20 <= ord(c) < 0x7B] + ["\r", "\n"]
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


def test_typed_2000_characters_arrive_intact() -> None:
    m = booted()
    start_program(m, "typist")
    text = typed_text(2000)
    m.type(text)
    m.run(seconds=60.0, until=lambda: not m.typing)
    assert not m.typing
    m.run(seconds=0.1)
    count = int.from_bytes(m.peek(0x5FFE, 2), "little")
    got = m.peek(0x6000, count)
    assert count == 2000
    assert got == bytes(expected_code(c) for c in text)


def test_typing_waits_while_the_program_does_not_scan() -> None:
    m = booted()
    m.poke(0x5000, bytes([0x18, 0xFE]))  # JR $: busy, never reads the keyboard
    m.cpu.pc = 0x5000
    m.type("RUN")
    m.run(seconds=2.0)
    assert m.keyboard.pending == 3  # nothing lost: still waiting
    start_program(m, "typist")
    m.run(seconds=1.0, until=lambda: not m.typing)
    m.run(seconds=0.05)
    assert m.peek(0x6000, 3) == b"RUN"


def test_keys_typed_into_the_rom_are_echoed() -> None:
    m = booted()
    m.type("10 PRINT \"HI\";2^3\rdone")
    m.wait_for("DONE", timeout=5.0)
    lines = [line.rstrip() for line in m.screen_text().splitlines()]
    # (after BASIC's ">" prompt)
    assert any(line.endswith('10 PRINT "HI";2\u21913') for line in lines)
    assert any(line.endswith("DONE_") for line in lines)
