"""Data files that ship inside the package: the project's own ROM (its Z80 source
and the built image). The files are package data; this module only locates them.
"""

from pathlib import Path

ROMS_DIR = Path(__file__).resolve().parent


def rom_path(name: str) -> Path:
    """The path of a data file shipped in this folder (it may not exist yet)."""
    return ROMS_DIR / name
