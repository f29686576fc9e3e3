"""The example programs people are meant to enjoy (examples/basic: a game, a
graphics demo, a number cruncher) and the Rugg/Feldman benchmarks
(examples/rugg-feldman) run on the project's own ROM, headless, with their
answers checked."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from z80emu.formats.basic import tokenize
from z80emu.loader import fast_load_basic
from z80emu.machines.trs80 import TRS80

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def started(name: str, folder: str = "basic") -> TRS80:
    m = TRS80()
    m.wait_for("READY", timeout=5)
    fast_load_basic(m, tokenize((EXAMPLES / folder / f"{name}.bas").read_text()))
    m.type("RUN\r")
    return m


def lines(m: TRS80) -> list[str]:
    return [line.rstrip() for line in m.screen_text().splitlines()]


def finished(m: TRS80) -> bool:
    shown = lines(m)
    runs = [i for i, line in enumerate(shown) if line.startswith(">RUN")]
    return bool(runs) and any(line == "READY" for line in shown[runs[-1] + 1:])


def answer(m: TRS80, prompt: str, text: str, seconds: float = 60.0) -> None:
    """Wait until the cursor sits after `prompt`, then type `text` and ENTER."""
    def asking() -> bool:
        filled = [line for line in lines(m) if line.strip()]
        return bool(filled) and filled[-1].startswith(prompt) and filled[-1].endswith("_")
    m.run(seconds=seconds, until=asking)
    assert asking(), m.screen_text()
    m.type(text + "\r")
    m.run(seconds=0.2)


def test_pi_prints_its_digits() -> None:
    m = started("pi")
    answer(m, "HOW MANY DIGITS", "12")
    m.run(seconds=200, until=lambda: finished(m))
    assert "PI = 3.14159265358" in lines(m), m.screen_text()


def landing(burns: list[int]) -> tuple[int, float]:
    """The lander's arithmetic, in Python: (seconds, speed) at touchdown."""
    h, v, f, t = 500.0, 50.0, 150, 0
    turns = iter(burns)
    while True:
        b = min(next(turns), f) if f else 0
        f -= b
        w = v + 5 - b
        h -= (v + w) / 2
        v, t = w, t + 1
        if h <= 0:
            return t, v


def test_the_lander_game_lands() -> None:
    plan = [5, 5, 5, 5, 5, 5, 5, 5, 21, 19, 14, 10, 8, 7, 5]   # coasting, then braking
    seconds, speed = landing(plan)
    m = started("lander")
    assert speed <= 5
    for burn in plan[:seconds]:
        answer(m, "BURN?", str(burn))
    answer(m, "PLAY AGAIN", "N", seconds=120)
    m.run(seconds=5, until=lambda: finished(m))
    text = " ".join(lines(m))
    assert f"TOUCHDOWN AFTER {seconds} SECONDS AT {speed:g} FEET A SECOND." in text, text
    verdict = ("PERFECT LANDING" if speed <= 5 else "HARD LANDING" if speed <= 15
               else "CRASH!")
    assert verdict in text


def test_the_wave_demo_draws_and_reports() -> None:
    m = started("wave")
    m.run(seconds=200, until=lambda: "(PRESS BREAK)" in m.screen_text())
    text = m.screen_text()
    assert "THE BALL CROSSED THE WAVE" in text, text
    # the border: the top-left cell has pixels (0,0), (1,0), (0,1) and (0,2) set
    assert m.memory[0x3C00] == 0x80 | 0x01 | 0x02 | 0x04 | 0x10
    assert m.memory[0x3C00 + 64 * 15 + 32] == 0x80 | 0x10 | 0x20   # the bottom edge
    # the wave passes through its peak near x = 16 (24 - 16 * sin 1.6 = 8)
    y = 24 - math.floor(16 * math.sin(16 / 10))
    cell = m.memory[0x3C00 + 64 * (y // 3) + 16 // 2]
    assert cell & 0x80 and cell & (1 << ((y % 3) * 2)), hex(cell)


@pytest.mark.parametrize("number", [1, 4, 7])
def test_rugg_feldman_benchmarks_run(number: int) -> None:
    """The benchmark programs print S, loop 1,000 times and print E (their
    timing is measured by tools/bench_basic.py, not here)."""
    m = started(f"bm{number}", "rugg-feldman")
    m.run(seconds=300, until=lambda: finished(m))
    shown = lines(m)
    assert "S" in shown and "E" in shown, m.screen_text()
    assert shown.index("S") < shown.index("E")
    if number == 7:   # the last value stored into the array: A = 1000 / 2 * 3 + 4 - 5
        m.type("PRINT M(5);A;K\r")
        m.run(seconds=2)
        assert " 1499  1499  1000" in lines(m)
