"""Finding the ROM a Model I boots: the user's own ROM, or the project's free one.

Search order for :func:`find_rom`: the path given (``--rom`` / ``TRS80(rom=...)``),
the ``Z80EMU_ROM`` environment variable, the per-user config folder
(``click.get_app_dir("z80emu")``, which is ``$XDG_CONFIG_HOME/z80emu`` or
``~/.config/z80emu`` on Linux), and finally the project's own ROM shipped as
package data (``z80emu/roms/z80emu.rom``, built from ``roms/src/``).

Known images are recognised by MD5 (the hashes in TRS80-REFERENCE.md §1) and
named; a file of the wrong size is refused with a one-line message; an
unknown 4 KB or 12 KB image is used with a notice. The Level II v1.0 image has
no verified hash in the reference, so it is reported as an unrecognised
Level II ROM.

>>> rom = find_rom(None, environ={}, config_dir=None)
>>> rom.name.startswith("z80emu free ROM"), len(rom.data)   # it fills 3000h-37DFh too
(True, 14304)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from z80emu.roms import rom_path

ENV_VAR = "Z80EMU_ROM"
OWN_ROM = "z80emu.rom"
ROM_SIZE = 0x3000  # 0000h-2FFFh
# A ROM may also fill 3000h-37DFh, where a Model I has nothing (the project's own
# ROM does: roms/README.md); the machine maps it there.
EXTENDED_SIZE = 0x37E0
LEVEL1_SIZE = 0x1000
# File names looked for in the per-user config folder, in order.
CONFIG_NAMES = ("model1.rom", "level2.rom", "trs80.rom", "level1.rom")

# MD5 -> name (TRS80-REFERENCE.md §1).
KNOWN_ROMS: dict[str, str] = {
    "ca74822ebc2803c6635a55116ecd9539": "Level II BASIC v1.2",
    "6f0ac8179fa01cc44720da319ce12a92": "Level II BASIC v1.3",
    "1136f64e2c249848f956343862742e1e": "Level I BASIC",
}


class RomError(Exception):
    """A ROM file that cannot be used; ``str()`` is a one-line message."""


@dataclass(frozen=True)
class Rom:
    """A ROM image ready to be placed at 0000h."""

    data: bytes  # 4 KB (Level I), 12 KB, or up to 37DFh (EXTENDED_SIZE)
    name: str  # what it is, for the start-up line and the window title
    source: str  # where it came from: a path, or "built-in"
    md5: str
    known: bool  # recognised by hash (the project's own ROM counts)

    def image(self) -> bytes:
        """The bytes from 0000h: at least 12 KB (a 4 KB ROM is followed by FFh:
        nothing there), and 3000h-37DFh too for an extended ROM."""
        return self.data + b"\xFF" * max(0, ROM_SIZE - len(self.data))


def default_config_dir() -> Path:
    """The per-user config folder (``click.get_app_dir``; XDG on Linux)."""
    try:
        import click

        return Path(click.get_app_dir("z80emu"))
    except ImportError:  # pragma: no cover - click is a dependency
        base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
        return Path(base) / "z80emu"


def identify(data: bytes) -> tuple[str, bool]:
    """Name a ROM image by its hash: (name, known)."""
    digest = hashlib.md5(data).hexdigest()
    if digest in KNOWN_ROMS:
        return KNOWN_ROMS[digest], True
    own = rom_path(OWN_ROM)
    if own.exists() and own.read_bytes() == data:
        return "z80emu free ROM", True
    if len(data) == ROM_SIZE and (b"L2 BASIC" in data or b"LEVEL II BASIC" in data):
        return f"unrecognised Level II ROM (md5 {digest})", False
    return f"unknown ROM (md5 {digest})", False


def read_rom(path: str | os.PathLike) -> Rom:
    """Read and check a ROM file; raises RomError with a one-line message."""
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise RomError(f"{name}: no such ROM file") from None
    except IsADirectoryError:
        raise RomError(f"{name}: is a folder, not a ROM file") from None
    except OSError as exc:
        raise RomError(f"{name}: cannot read the ROM: {exc.strerror or exc}") from None
    if len(data) not in (LEVEL1_SIZE, ROM_SIZE, EXTENDED_SIZE):
        raise RomError(
            f"{name}: {len(data)} bytes is not a Model I ROM "
            f"(expected 4096 bytes for Level I, 12288 for Level II, or 14304 for a ROM "
            f"that also fills 3000h-37DFh)")
    title, known = identify(data)
    return Rom(data, title, name, hashlib.md5(data).hexdigest(), known)


def own_rom() -> Rom:
    """The project's free ROM, built from roms/src/ (package data)."""
    path = rom_path(OWN_ROM)
    if not path.exists():
        raise RomError(f"{path}: the built-in ROM is missing; run tools/build_rom.py")
    data = path.read_bytes()
    from z80emu import __version__

    return Rom(data, f"z80emu free ROM (z80emu {__version__})", "built-in",
               hashlib.md5(data).hexdigest(), True)


def find_rom(path: str | os.PathLike | None = None,
             environ: Mapping[str, str] | None = None,
             config_dir: str | os.PathLike | None | bool = True) -> Rom:
    """The ROM to boot: ``path``, else $Z80EMU_ROM, else the config folder,
    else the project's own ROM. ``config_dir=True`` means the default folder,
    None or False skips it."""
    if path is not None and os.fspath(path) != "":
        return read_rom(path)
    env = os.environ if environ is None else environ
    if env.get(ENV_VAR):
        return read_rom(env[ENV_VAR])
    if config_dir is True:
        config_dir = default_config_dir()
    if config_dir:
        for candidate in CONFIG_NAMES:
            file = Path(config_dir) / candidate
            if file.is_file():
                return read_rom(file)
    return own_rom()
