#!/usr/bin/env python3
"""How much of one host core z80emu needs to keep a Model I at real speed.

Runs the machine in real-time mode (the frontends' pacing loop,
z80emu/frontends/realtime.py) for a number of wall-clock seconds and reports
the process's CPU time over the wall time: 0.25 means a quarter of one core.
The rest of the time the process sleeps until the next frame is due.

Workloads: ``idle`` (the ROM waiting at READY, scanning the keyboard),
``print`` and ``compute`` (the machine benchmarks' Z80 programs in
z80emu/machines/benchmark.py: a scroll every 64 characters, and a busy loop
with a counter on the screen) and ``sound`` (a square wave on port FFh played
through the mixer), and ``terminet`` (a Z80 loop printing a listing line after
line on the TermiNet 300 through the RS-232-C board at 30 characters a second;
with ``--frontend pygame`` the window shows the paper strip growing).
``--frontend pygame`` adds the window (SDL's dummy video
and audio drivers unless a display is wanted with ``--show``), drawing
changed cells each frame; ``--frontend none`` is the pacing loop alone.

    .venv/bin/python tools/bench_realtime.py --seconds 10 --frontend pygame
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from z80emu.devices.timing import CLOCK_HZ  # noqa: E402
from z80emu.machines.benchmark import PROGRAM_ORIGIN, WORKLOADS  # noqa: E402

# A square wave of about 1.1 kHz on the cassette output (see tests/test_frontend_sound.py).
SQUARE_WAVE = bytes.fromhex("F3" "3E01" "D3FF" "063C" "10FE" "3E02" "D3FF" "063C" "10FE"
                            "C30150")
SQUARE_ORIGIN = 0x5000

NAMES = ("idle", "print", "compute", "sound", "terminet")

# Print a line on the TermiNet through the UART forever: CR, LF and 6 fill NULs after it.
TERMINET_LOOP = """
        ORG     5000H
START:  DI
        OUT     (0E8H),A
        LD      A,55H
        OUT     (0E9H),A
        LD      A,6CH
        OUT     (0EAH),A
AGAIN:  LD      HL,TEXT
NEXT:   LD      A,(HL)
        INC     HL
        CP      0FFH
        JR      Z,AGAIN
WAIT:   LD      B,A
        IN      A,(0EAH)
        BIT     6,A
        LD      A,B
        JR      Z,WAIT
        OUT     (0EBH),A
        JR      NEXT
TEXT:   DB      '10 FOR I=1 TO 100: PRINT "THE QUICK BROWN FOX", I: NEXT I'
        DB      13,10,0,0,0,0,0,0,0FFH
        END     START
"""


def make_machine(workload: str):
    from z80emu.machines.trs80 import TRS80

    m = TRS80(serial="terminet" if workload == "terminet" else None)
    m.wait_for("READY", timeout=5.0)
    if workload in WORKLOADS:
        m.poke(0x3E00, b"0000")
        m.poke(PROGRAM_ORIGIN, b"".join(bytes.fromhex(h) for h, _ in WORKLOADS[workload]))
        m.cpu.pc = PROGRAM_ORIGIN
    elif workload == "terminet":
        from z80emu.asm import assemble

        result = assemble(TERMINET_LOOP)
        for segment in result.segments:
            m.poke(segment.address, segment.data)
        m.cpu.pc = result.entry
    elif workload == "sound":
        m.poke(SQUARE_ORIGIN, SQUARE_WAVE)
        m.cpu.pc = SQUARE_ORIGIN
    return m


def measure(workload: str, seconds: float, frontend: str, speed: float) -> dict:
    from z80emu.frontends.session import Session

    machine = make_machine(workload)
    notes: list[str] = []
    session = Session(machine, speed, sound=workload == "sound", notify=notes.append)
    window = None
    if frontend == "pygame":
        from z80emu.frontends.pygame_ui import PygameFrontend

        window = PygameFrontend(session, scale=3)
        window.open()
    else:
        session.start()
    pg = window.pg if window is not None else None
    # Warm up (translation of the program's code), then measure.
    for _ in range(30):
        if session.step() and window is not None:
            window.draw()
        session.wait()
    pacer = session.pacer
    frames0, dropped0, slips0, t0 = pacer.frames, pacer.dropped, pacer.slips, pacer.tstates
    wall0, cpu0 = time.perf_counter(), time.process_time()
    end = wall0 + seconds
    while time.perf_counter() < end:
        if pg is not None:
            for event in pg.event.get():
                window.handle(event)
        if session.step() and window is not None:
            window.draw()
        session.wait()
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    result = {
        "workload": workload,
        "frontend": frontend,
        "speed": speed,
        "seconds": round(wall, 2),
        "cores": round(cpu / wall, 3),
        "emulated_mhz": round((pacer.tstates - t0) / wall / 1e6, 3),
        "real_mhz": CLOCK_HZ / 1e6,
        "frames": pacer.frames - frames0,
        "dropped": pacer.dropped - dropped0,
        "slips": pacer.slips - slips0,
        "notes": notes,
    }
    if window is not None:
        window.close()
    else:
        session.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=[*NAMES, "all"], default="all")
    parser.add_argument("--frontend", choices=["none", "pygame"], default="none")
    parser.add_argument("--seconds", type=float, default=10.0, help="wall seconds per workload")
    parser.add_argument("--speed", type=float, default=1.0, help="1 = a real Model I")
    parser.add_argument("--show", action="store_true",
                        help="pygame: use the real display and sound device")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if not args.show:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    names = NAMES if args.workload == "all" else (args.workload,)
    results = [measure(name, args.seconds, args.frontend, args.speed) for name in names]
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"real-time mode at --speed {args.speed:g}, frontend {args.frontend}, "
          f"{args.seconds:g} s per workload")
    for r in results:
        print(f"  {r['workload']:<8} {r['cores'] * 100:5.1f}% of one core   "
              f"{r['emulated_mhz']:.3f} MHz emulated   {r['dropped']}/{r['frames']} frames "
              f"dropped, {r['slips']} slips" + (f"   ({'; '.join(r['notes'])})"
                                                 if r["notes"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
