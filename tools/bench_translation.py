#!/usr/bin/env python3
"""What translating Z80 code costs: time to full speed, and memory.

1. For each `z80emu bench` workload: the first pass on a fresh CPU with an
   empty translation cache against the same pass once everything is
   translated (`z80emu.bench.warm_up`).
2. Memory: a program that keeps writing new code (every pass copies a short
   routine to a new address and calls it, so every pass needs a new
   translation) runs until it has made N translations; the size of the
   shared translation cache is measured with tracemalloc, and from it the
   memory per translation and at the cache's limit (`z80.MAX_CACHE`).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from z80emu import bench  # noqa: E402
from z80emu.asm import assemble  # noqa: E402
from z80emu.cpu import Z80  # noqa: E402
from z80emu.cpu import z80 as cpu_module  # noqa: E402

ROVER = """
; Copy ROUTINE to DEST, call it there, move DEST on by 16 bytes; forever.
        ORG     0100H
START:  LD      SP,0FF00H
        LD      DE,2000H
LOOP:   PUSH    DE
        LD      HL,ROUTINE
        LD      BC,ROUTEND-ROUTINE
        LDIR
        POP     HL
        PUSH    HL
        LD      DE,BACK
        PUSH    DE
        JP      (HL)
BACK:   POP     DE
        LD      HL,16
        ADD     HL,DE
        EX      DE,HL
        LD      A,D
        CP      0F0H
        JR      C,LOOP
        LD      DE,2000H
        JR      LOOP
ROUTINE: LD     A,(3000H)
        ADD     A,E
        LD      (3000H),A
        LD      B,5
SPIN:   DEC     B
        JR      NZ,SPIN
        RET
ROUTEND:
        END     START
"""


def memory_per_translation(count: int) -> tuple[int, float, float]:
    """(translations made, bytes per translation, seconds per translation)."""
    result = assemble(ROVER)
    cpu = Z80()
    for seg in result.segments:
        cpu.memory[seg.address:seg.address + len(seg.data)] = seg.data
    cpu.pc = result.entry
    cache = cpu_module._CACHE
    cache.clear()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    while len(cache) < count:
        cpu.run(10_000)
    seconds = time.perf_counter() - t0
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    made = len(cache)
    cache.clear()
    return made, used / made, seconds / made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--translations", type=int, default=2000,
                        help="translations the memory test makes")
    args = parser.parse_args(argv)
    for workload in bench.WORKLOADS.values():
        print("time to full speed,", bench.warm_up(workload).line())
    made, per, secs = memory_per_translation(args.translations)
    limit = cpu_module.MAX_CACHE
    print(f"memory: {made} translations of code that keeps moving: {per / 1024:.1f} KB each, "
          f"{secs * 1e3:.2f} ms each (run included); at the cache's limit of {limit:,} "
          f"translations about {per * limit / 2**20:.0f} MB, after which the oldest go first")
    return 0


if __name__ == "__main__":
    sys.exit(main())
