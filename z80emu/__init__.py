"""z80emu: a Z80 emulator and TRS-80 Model I toolkit.

The package is organised as the hardware is: ``isa`` (the instruction table),
``cpu`` (the Z80), ``devices`` and ``machines`` (the TRS-80 Model I), and the
tools around them (assembler, disassembler, monitor, the ``z80emu`` command).

The two classes most people want are importable from the top level; they are
loaded on first use, so ``import z80emu`` stays cheap:

    from z80emu import Z80       # the bare CPU (z80emu.cpu)
    from z80emu import TRS80     # the Model I machine (z80emu.machines.trs80)
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> module that defines it, imported only when the name is asked for.
_LAZY = {
    "Z80": "z80emu.cpu",
    "TRS80": "z80emu.machines.trs80",
}

__all__ = ["TRS80", "Z80", "__version__"]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'z80emu' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
