#!/usr/bin/env python3
"""Benchmark the whole TRS-80 Model I against the bare CPU on the same program
(see z80emu/machines/benchmark.py for what is measured and how)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from z80emu.machines.benchmark import format_result, machine_benchmark  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=["print", "compute", "all"], default="all")
    parser.add_argument("--seconds", type=float, default=30.0, help="emulated seconds per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    parser.add_argument("--engine", choices=["translate", "interpret"], default="translate",
                        help="the CPU engine")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    names = ["print", "compute"] if args.workload == "all" else [args.workload]
    results = [machine_benchmark(name, args.seconds, args.repeat, args.engine) for name in names]
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=1))
    else:
        print("\n".join(format_result(r) for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
