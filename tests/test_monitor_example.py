"""The worked example in examples/hand_assembly runs as a monitor script."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "hand_assembly" / "video.mon"


def test_the_hand_assembly_example_runs_cleanly() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "z80emu", "monitor", "--machine", "trs80", "-c", str(EXAMPLE)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "7F00: 3E 2A 32 E0 3D C9" in out
    assert "7F02  32 E0 3D       LD (3DE0H),A             13" in out
    assert "returned from 7F00h" in out
    assert "|" + " " * 32 + "*" in out  # line 7, column 32 of the screen
    assert "7F00h to its RET: 30 T-states = 16.91 \u00b5s at 1.77408 MHz" in out
    assert "110 POKE 16526,0:POKE 16527,127" in out
    assert "1000 DATA 62,42,50,224,61,201\n1010 DATA 640" in out


def test_the_example_loader_is_level_ii_basic() -> None:
    """The BASIC the example prints loads the same six bytes in the Level II stand-in."""
    from tests.level2_basic import Program
    from z80emu.basic_loader import basic_loader

    mem = bytearray(0x10000)
    mem[0x40B1], mem[0x40B2] = 0xFF, 0x7E  # MEMORY SIZE? 32511
    routine = bytes.fromhex("3E2A32E03DC9")
    Program(basic_loader(routine, 0x7F00, usr=0x7F00), mem).run()
    assert bytes(mem[0x7F00:0x7F06]) == routine
