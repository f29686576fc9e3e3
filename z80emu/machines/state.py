"""Save states of the Model I: a versioned, documented file format (not pickle).

A state file is a ZIP archive (its CRCs catch a truncated or damaged copy)
holding two members:

``state.json``
    UTF-8 JSON object::

        {"format": "z80emu-state",        # magic: anything else is refused
         "version": 1,                    # this module reads version 1
         "machine": "trs80-model1",
         "created_by": "z80emu 0.1.0",
         "config": {"ram_kb": 48, "expansion": true, "lowercase": false,
                    "rom_name": "...", "rom_md5": "...", "rom_size": 12288},
         "cpu": {...},                    # Z80.get_state(): every register and latch
         "devices": {"keyboard": {...}, "video": {...}, "port_ff": {...},
                     "latch": {...} or null, "ei": {"drive_select": 0,
                     "cassette_select": 0}}}

``memory.bin``
    the 65,536 bytes of the address space as the CPU sees it (ROM, video RAM,
    keyboard window and RAM included), so a state restores exactly even
    without the ROM file it was made with.

Loading first checks the archive, the magic, the version and every field by
applying them to a scratch machine; only when all of that succeeds is the
real machine changed. Any problem raises :class:`StateError` with a one-line
message and leaves the machine as it was.
"""

from __future__ import annotations

import io
import json
import os
import zipfile

from z80emu.roms.lookup import Rom

FORMAT = "z80emu-state"
VERSION = 1
MACHINE = "trs80-model1"
STATE_MEMBER = "state.json"
MEMORY_MEMBER = "memory.bin"


class StateError(Exception):
    """A state file that cannot be loaded; ``str()`` is a one-line message."""


def capture(machine) -> tuple[dict, bytes]:
    """The machine's state as (JSON-ready dict, 64 KB memory image)."""
    from z80emu import __version__

    latch = machine.latch
    state = {
        "format": FORMAT,
        "version": VERSION,
        "machine": MACHINE,
        "created_by": f"z80emu {__version__}",
        "config": {
            "ram_kb": machine.ram_kb,
            "expansion": machine.expansion,
            "lowercase": machine.lowercase,
            "rom_name": machine.rom.name,
            "rom_md5": machine.rom.md5,
            "rom_size": len(machine.rom.data),
        },
        "cpu": machine.cpu.get_state(),
        "devices": {
            "keyboard": machine.keyboard.get_state(),
            "video": machine.video.get_state(),
            "port_ff": machine.port_ff.get_state(),
            "latch": None if latch is None else latch.get_state(),
            "ei": {"drive_select": machine.drive_select,
                   "cassette_select": machine.cassette_select},
        },
    }
    return state, bytes(machine.memory)


def save_state(machine, path: str | os.PathLike) -> None:
    """Write ``machine`` to ``path`` (see the module docstring for the format)."""
    state, memory = capture(machine)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(STATE_MEMBER, json.dumps(state, indent=1, sort_keys=True))
        archive.writestr(MEMORY_MEMBER, memory)
    tmp = os.fspath(path) + ".tmp"
    with open(tmp, "wb") as f:
        f.write(buffer.getvalue())
    os.replace(tmp, path)  # never leave a half-written state file behind


def read_state(path: str | os.PathLike) -> tuple[dict, bytes]:
    """Read and check the container: (state dict, memory). Raises StateError."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise StateError(f"{name}: cannot read the state file: {exc.strerror or exc}") from None
    if not raw.startswith(b"PK\x03\x04"):
        raise StateError(f"{name}: not a z80emu state file (no ZIP header at offset 0)")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if STATE_MEMBER not in names or MEMORY_MEMBER not in names:
                raise StateError(
                    f"{name}: not a z80emu state file (no {STATE_MEMBER} and {MEMORY_MEMBER})")
            text = archive.read(STATE_MEMBER)
            memory = archive.read(MEMORY_MEMBER)
    except StateError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise StateError(f"{name}: truncated or damaged state file ({exc})") from None
    try:
        state = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StateError(f"{name}: {STATE_MEMBER} is not valid JSON ({exc})") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise StateError(f"{name}: not a z80emu state file (format field is not {FORMAT!r})")
    if state.get("version") != VERSION:
        raise StateError(f"{name}: state format version {state.get('version')!r} is not "
                         f"supported (this z80emu reads version {VERSION})")
    if state.get("machine") != MACHINE:
        raise StateError(f"{name}: a state of machine {state.get('machine')!r}, "
                         f"not a TRS-80 Model I")
    if len(memory) != 0x10000:
        raise StateError(f"{name}: {MEMORY_MEMBER} holds {len(memory)} bytes, expected 65536")
    return state, memory


def _apply(machine, state: dict, memory: bytes) -> None:
    config = state["config"]
    devices = state["devices"]
    ram_kb = int(config["ram_kb"])
    expansion = bool(config["expansion"])
    lowercase = bool(config["lowercase"])
    if (ram_kb, expansion, lowercase) != (machine.ram_kb, machine.expansion,
                                          machine.lowercase):
        machine._configure(ram_kb, expansion, lowercase)
    machine.memory[:] = memory
    if config["rom_md5"] != machine.rom.md5:
        # The ROM that was in the machine comes back with the memory image.
        size = int(config["rom_size"])
        if size not in (0x1000, 0x3000):
            raise ValueError(f"ROM size {size}")
        machine.rom = Rom(bytes(memory[:size]), str(config["rom_name"]), "state file",
                          str(config["rom_md5"]), True)
    machine.cpu.set_state(state["cpu"])
    machine.keyboard.set_state(devices["keyboard"])
    machine.video.set_state(devices["video"])
    machine.port_ff.set_state(devices["port_ff"])
    if machine.latch is not None:
        if devices["latch"] is None:
            raise ValueError("the state has no interrupt latch but the machine has one")
        machine.latch.set_state(devices["latch"])
    machine.drive_select = int(devices["ei"]["drive_select"])
    machine.cassette_select = int(devices["ei"]["cassette_select"])
    machine.cpu.code_changed()


def load_state(machine, path: str | os.PathLike) -> None:
    """Restore ``machine`` from ``path``; on any error raise StateError and
    leave the machine unchanged."""
    state, memory = read_state(path)
    name = os.fspath(path)
    from z80emu.machines.trs80 import TRS80

    try:
        scratch = TRS80(rom=machine.rom, ram_kb=machine.ram_kb,
                        expansion=machine.expansion, lowercase=machine.lowercase)
        _apply(scratch, state, memory)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StateError(f"{name}: the state does not fit this machine "
                         f"({type(exc).__name__}: {exc})") from None
    _apply(machine, state, memory)
