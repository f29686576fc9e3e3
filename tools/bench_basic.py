#!/usr/bin/env python3
"""The seven Rugg/Feldman BASIC benchmarks (Kilobaud, June 1977) on the emulated
Model I: emulated seconds at 1.77408 MHz, as a stopwatch on a real machine
would read them, and how long the host took.

Each program (examples/rugg-feldman/bmN.bas) prints S, runs its loop 1,000
times and prints E; the time is measured from the moment S is on the screen
to the moment E is, in T-states (checked once per emulated frame, so to
within 1/60 s). By default on the project's own ROM; `--rom` takes a Level II
ROM you own (its MEMORY SIZE? question is answered with ENTER).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from z80emu.devices.timing import CLOCK_HZ  # noqa: E402
from z80emu.formats.basic import tokenize  # noqa: E402
from z80emu.loader import boot_basic, fast_load_basic  # noqa: E402
from z80emu.machines.trs80 import TRS80  # noqa: E402

PROGRAMS = ROOT / "examples" / "rugg-feldman"


def _shows(machine: TRS80, text: str) -> bool:
    return text in (line.strip() for line in machine.screen_text().splitlines())


def run_benchmark(path: Path, rom: str | None = None, engine: str = "translate",
                  limit: float = 600.0) -> tuple[float, float]:
    """(emulated seconds, host seconds) for one benchmark program."""
    m = TRS80(rom=rom, engine=engine)
    try:
        if not boot_basic(m):
            raise RuntimeError("BASIC did not reach READY")
        fast_load_basic(m, tokenize(path.read_text()))
        m.type("CLS\r")
        m.run(seconds=0.5)
        m.type("RUN\r")
        m.run(seconds=5.0, until=lambda: _shows(m, "S"))
        if not _shows(m, "S"):
            raise RuntimeError(f"{path.name} did not start:\n{m.screen_text()}")
        start, wall = m.cpu.cycles, time.perf_counter()
        m.run(seconds=limit, until=lambda: _shows(m, "E"))
        if not _shows(m, "E"):
            raise RuntimeError(f"{path.name} did not finish:\n{m.screen_text()}")
        return (m.cpu.cycles - start) / CLOCK_HZ, time.perf_counter() - wall
    finally:
        m.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rom", default=None, help="a Level II ROM you own (default: ours)")
    parser.add_argument("--engine", choices=["translate", "interpret"], default="translate")
    parser.add_argument("benchmarks", nargs="*", type=int, help="which (1-7; default all)")
    args = parser.parse_args(argv)
    numbers = args.benchmarks or list(range(1, 8))
    if not set(numbers) <= set(range(1, 8)):
        parser.error("the benchmarks are numbered 1 to 7")
    print(f"Rugg/Feldman benchmarks, {args.rom or 'the z80emu ROM'}, engine {args.engine}")
    print(f"{'':6}{'emulated s':>12}{'host s':>9}")
    total = 0.0
    for n in numbers:
        try:
            emulated, host = run_benchmark(PROGRAMS / f"bm{n}.bas", args.rom, args.engine)
        except RuntimeError as exc:
            print(f"BM{n}: {exc}", file=sys.stderr)
            return 1
        total += emulated
        print(f"BM{n:<4}{emulated:12.1f}{host:9.2f}")
    print(f"{'total':6}{total:12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
