"""Benchmark the assembler: build a 5,000-line source of realistic code (labels,
forward references, expressions, data, macros, index registers) and time how
long ``z80emu.asm.assemble`` takes, best of several runs.

    python tools/bench_asm.py [--lines 5000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from z80emu.asm import assemble  # noqa: E402

BLOCK = """\
; routine {i}: copy, compare and count
R{i}:     LD HL,T{i}
          LD DE,BUF+{i} MOD 64
          LD BC,LEN{i}
          LDIR
          LD IX,T{i}
          LD A,(IX+2)
          ADD A,(IX-1)
          CP HIGH (T{i}+100H)
          JR NZ,.skip
          INC (HL)
.skip:    LD B,8
.loop:    RLC (IY+{d})
          DJNZ .loop
          CALL R{n}
          SAVE {i}
          BIT 3,(HL)
          JP Z,R{n}
          RET
T{i}:     DEFB {i} AND 0FFH,'A'+1,%1010,0FFH
          DEFW R{i},$,T{i}+2
LEN{i}:   EQU $-T{i}
"""

HEADER = """\
BUF       EQU 0C000H
SAVE      MACRO n
          LD (BUF+n MOD 32),A
          ENDM
          ORG 8000H
"""


def make_source(lines: int) -> str:
    parts = [HEADER]
    count = len(HEADER.splitlines())
    i = 0
    block_lines = len(BLOCK.splitlines())
    while count + block_lines <= lines - 2:
        parts.append(BLOCK.format(i=i, n=i + 1, d=i % 100 - 50))
        count += block_lines
        i += 1
    parts.append("; padding\n" * (lines - 2 - count))
    parts.append(f"R{i}:     RET\n          END R0\n")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = make_source(args.lines)
    n = len(source.splitlines())
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = assemble(source)
        times.append(time.perf_counter() - start)
    result.check()
    size = sum(len(s.data) for s in result.segments)
    best = min(times)
    print(
        f"{n} lines -> {size} bytes: first run {times[0] * 1000:.0f} ms, "
        f"best {best * 1000:.0f} ms, "
        f"median {sorted(times)[len(times) // 2] * 1000:.0f} ms "
        f"({n / best:,.0f} lines/s)"
    )


if __name__ == "__main__":
    main()
