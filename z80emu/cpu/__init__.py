"""The Z80 CPU (see `z80emu.cpu.z80`): the DESIGN contract's `Z80` class."""

from z80emu.cpu.z80 import Z80

__all__ = ["Z80"]
