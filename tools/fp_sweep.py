#!/usr/bin/env python3
"""Measure the accuracy and speed of BASIC's arithmetic (roms/src/basic/fp*.asm)
on many random values: the four operations in single and double precision,
the maths functions, FIN and FOUT, each compared with an independent exact
(fractions) or double precision (math) computation. Prints, per routine, the
largest error in units in the last place (ulp) and the T-states taken.

    python tools/fp_sweep.py            # 5000 values per routine
    python tools/fp_sweep.py -n 500     # quicker

The test suite (tests/test_rom_fp.py) runs smaller samples of the same checks.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fphelp import DBL, FP, MANT_BITS, SNG, decode, encode, ulp  # noqa: E402


def random_value(rnd: random.Random, typ: int, spread: int = 60) -> Fraction:
    bits = MANT_BITS[typ]
    m = rnd.getrandbits(bits) | 1 << (bits - 1)
    x = Fraction(m, 1 << bits) * Fraction(2) ** rnd.randint(-spread, spread)
    return -x if rnd.random() < 0.5 else x


def single(x: float | Fraction) -> Fraction:
    return decode(encode(x, SNG))


def report(name: str, worst: float, tstates: list[int]) -> None:
    print(f"{name:10} max error {worst:8.4f} ulp   T-states mean {sum(tstates) // len(tstates):7}"
          f"  max {max(tstates):7}")


def sweep_operations(fp: FP, n: int, rnd: random.Random) -> None:
    for typ, label in ((SNG, "single"), (DBL, "double")):
        for op in ("ADD", "SUB", "MUL", "DIV"):
            worst, ts = Fraction(0), []
            for _ in range(n):
                a, b = random_value(rnd, typ), random_value(rnd, typ)
                if op in ("ADD", "SUB") and rnd.random() < 0.3:
                    b = decode(encode(a * (1 + Fraction(rnd.randint(1, 999),
                                                        1 << rnd.randint(1, 40))), typ))
                want = {"ADD": a + b, "SUB": a - b, "MUL": a * b, "DIV": a / b}[op]
                got = fp.binop(op, a, b, typ)
                ts.append(fp.last_tstates)
                if want:
                    worst = max(worst, abs(Fraction(got) - want) / ulp(want, typ))
            report(f"{op} {label}", float(worst), ts)


FUNCTIONS = {
    "FN_SQR": (lambda r: single(r.uniform(0.5, 2) * 2.0 ** r.randint(-120, 120)), math.sqrt),
    "FN_EXP": (lambda r: single(r.uniform(-88, 88)), math.exp),
    "FN_LOG": (lambda r: single(r.uniform(0.5, 2) * 2.0 ** r.randint(-120, 120)), math.log),
    "FN_SIN": (lambda r: single(r.uniform(-100, 100)), math.sin),
    "FN_COS": (lambda r: single(r.uniform(-100, 100)), math.cos),
    "FN_TAN": (lambda r: single(r.uniform(-1.5, 1.5)), math.tan),
    "FN_ATN": (lambda r: single(r.uniform(-1, 1) * 10 ** r.uniform(-5, 5)), math.atan),
}


def sweep_functions(fp: FP, n: int, rnd: random.Random) -> None:
    for name, (gen, ref) in FUNCTIONS.items():
        worst, ts, absolute = 0.0, [], 0.0
        for _ in range(n):
            x = gen(rnd)
            got = fp.unop(name, x, SNG)
            ts.append(fp.last_tstates)
            want = ref(float(x))
            worst = max(worst, abs(float(got) - want) / float(ulp(Fraction(want), SNG)))
            absolute = max(absolute, abs(float(got) - want))
        report(name, worst, ts)
        if name in ("FN_SIN", "FN_COS"):
            print(f"{'':10} max absolute error {absolute:.3g} (2^-24 = {2.0 ** -24:.3g})")


def sweep_text(fp: FP, n: int, rnd: random.Random) -> None:
    for typ, digits, letter, label in ((SNG, 7, "E", "single"), (DBL, 16, "D", "double")):
        worst, ts = Fraction(0), []
        for _ in range(n):
            mantissa = rnd.randint(1, 10**digits - 1)
            e = rnd.randint(-38 - 1, 38 - digits)
            x = Fraction(mantissa) * Fraction(10) ** e
            got, _, _ = fp.fin(f"{mantissa}{letter}{e}")
            ts.append(fp.last_tstates)
            worst = max(worst, abs(Fraction(got) - x) / ulp(x, typ))
        report(f"FIN {label}", float(worst), ts)
        ts = []
        wrong = 0
        for _ in range(n):
            x = random_value(rnd, typ, 120)
            text = fp.fout(x, typ)
            ts.append(fp.last_tstates)
            shown = 6 if typ == SNG else 16
            # the digits shown must be the value rounded to that many digits
            mant, _, exp = text.strip().replace("D", "E").partition("E")
            back = Fraction(mant) * Fraction(10) ** int(exp or 0)
            k = math.floor(math.log10(abs(float(x))))
            if abs(back - x) > Fraction(10) ** (k - shown + 1) / 2 * Fraction(1001, 1000):
                wrong += 1
        print(f"FOUT {label:6} {wrong} of {n} texts off by more than half a unit of the "
              f"last digit   T-states mean {sum(ts) // len(ts)}  max {max(ts)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="values per routine")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", default=None,
                        help="the Z80's execution engine (translate or interpret)")
    args = parser.parse_args(argv)
    fp = FP(engine=args.engine)
    rnd = random.Random(args.seed)
    print(f"maths code: {fp.code_size()} bytes")
    fp.quantum = 100  # T-states measured to within this many
    sweep_operations(fp, args.n, rnd)
    fp.quantum = 1000
    sweep_functions(fp, args.n, rnd)
    sweep_text(fp, args.n, rnd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
