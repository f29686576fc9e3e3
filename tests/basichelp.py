"""Running BASIC programs on the machine for tests: boot to READY, load a
program the fast way, RUN it (typing answers if asked) and read back what it
printed."""

from __future__ import annotations

from z80emu.formats.basic import tokenize
from z80emu.loader import fast_load_basic
from z80emu.machines.trs80 import TRS80


def booted(**options) -> TRS80:
    """A machine (TRS80 options as given) at BASIC's READY."""
    m = TRS80(**options)
    m.wait_for("READY", timeout=5)
    return m


def run_program(m: TRS80, program: str, keys: str = "", timeout: float = 20.0) -> list[str]:
    """Load `program`, clear the screen, RUN it (then type `keys`) until READY
    comes back: the screen's lines between the RUN and that READY."""
    fast_load_basic(m, tokenize(program))
    m.type("CLS\r")
    m.run(seconds=0.3)
    m.type("RUN\r")
    m.run(seconds=0.3)
    if keys:
        m.type(keys)

    def output() -> list[str] | None:
        lines = [line.rstrip() for line in m.screen_text().splitlines()]
        starts = [i for i, line in enumerate(lines) if line == ">RUN"]
        if not starts:
            return None
        rest = lines[starts[-1] + 1:]
        return rest[:rest.index("READY")] if "READY" in rest else None

    m.run(seconds=timeout, until=lambda: output() is not None)
    result = output()
    assert result is not None, m.screen_text()
    return result
