"""Save states of the Model I: a versioned, documented file format (not pickle).

A state file is a ZIP archive (its CRCs catch a truncated or damaged copy)
holding these members:

``state.json``
    UTF-8 JSON object::

        {"format": "z80emu-state",        # magic: anything else is refused
         "version": 2,                    # this module reads versions 1 and 2
         "machine": "trs80-model1",
         "created_by": "z80emu 0.1.0",
         "config": {"ram_kb": 48, "expansion": true, "lowercase": false,
                    "rom_name": "...", "rom_md5": "...", "rom_size": 12288},
         "cpu": {...},                    # Z80.get_state(): every register and latch
         "devices": {"keyboard": {...},   # keys held, the typing queue and its count
                     "video": {...}, "port_ff": {...},
                     "latch": {...} or null,   # the 37E0h latch, next heartbeat
                     "ei": {"drive_select": 0, "cassette_select": 0},
                     "rs232": {...},      # RS232Board.get_state(): UART registers,
                                          # switches, characters in flight, timing
                     "printer_port": {"data": 0, "busy_until": 0},
                     "tape": {...},       # TapeDeck.get_state(): place, motor,
                                          # the recording in progress
                     "printers": {"parallel": {...} or null,
                                  "serial": {...} or null}}}

``memory.bin``
    the 65,536 bytes of the address space as the CPU sees it (ROM, video RAM,
    keyboard window and RAM included), so a state restores exactly even
    without the ROM file it was made with.

``tape.cas`` (when a tape is in the deck), ``recording.cas`` (when something
has been recorded)
    the .CAS image in the deck and what the machine has recorded (CSAVE) so
    far. A .CAS image is small (a full 48 KB program is under 50 KB), so the
    tape always travels inside the state: loading never depends on the file it
    came from.

Printers (``devices.printers``: the one on the parallel port, the TermiNet on
the RS-232-C board) keep only their mechanical state: the column, the line on
the platen, the place in the form, a TermiNet's motor and timing. What they
have already printed is on their paper record and is not printed again; a
restored printer carries on on the paper the machine has now. A printer state
is restored only into a printer of the same kind. Where paper records and the
tape's ``record_path`` go is the host's choice and is not in the state.

Version 1 (z80emu before the RS-232-C board, printers and tape were saved)
is still read: the CPU, memory, keyboard, video, port FFh and latch are
restored and the other devices are left as they are.

Loading first checks the archive, the magic, the version and every field by
applying them to a scratch machine; only when all of that succeeds is the
real machine changed (the printers, which belong to the real machine, are
restored first and put back as they were if their fields are bad). Any
problem raises :class:`StateError` with a one-line message and leaves the
machine as it was.
"""

from __future__ import annotations

import io
import json
import os
import zipfile

from z80emu.roms.lookup import Rom

FORMAT = "z80emu-state"
VERSION = 2
READS = (1, 2)  # the versions this module reads
MACHINE = "trs80-model1"
STATE_MEMBER = "state.json"
MEMORY_MEMBER = "memory.bin"
TAPE_MEMBER = "tape.cas"
RECORDING_MEMBER = "recording.cas"


class StateError(Exception):
    """A state file that cannot be loaded; ``str()`` is a one-line message."""


def capture(machine) -> tuple[dict, bytes, dict[str, bytes]]:
    """The machine's state as (JSON-ready dict, 64 KB memory image, the other
    archive members by name: the tape image and the recording)."""
    from z80emu import __version__

    latch = machine.latch
    tape = machine.tape
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
            "rs232": machine.rs232.get_state(),
            "printer_port": machine.printer_port.get_state(),
            "tape": tape.get_state(),
            "printers": {name: _printer_state(printer)
                         for name, printer in _printers(machine).items()},
        },
    }
    members = {}
    if tape.loaded:
        members[TAPE_MEMBER] = bytes(tape.data)
    if tape.recording:
        members[RECORDING_MEMBER] = bytes(tape.recording)
    return state, bytes(machine.memory), members


def _printers(machine) -> dict:
    """The machine's printers by their place in the state."""
    return {"parallel": machine.printer, "serial": machine.terminet}


def _printer_state(printer) -> dict | None:
    get_state = getattr(printer, "get_state", None)
    return get_state() if callable(get_state) else None


def save_state(machine, path: str | os.PathLike) -> None:
    """Write ``machine`` to ``path`` (see the module docstring for the format)."""
    state, memory, members = capture(machine)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(STATE_MEMBER, json.dumps(state, indent=1, sort_keys=True))
        archive.writestr(MEMORY_MEMBER, memory)
        for name, data in members.items():
            archive.writestr(name, data)
    tmp = os.fspath(path) + ".tmp"
    with open(tmp, "wb") as f:
        f.write(buffer.getvalue())
    os.replace(tmp, path)  # never leave a half-written state file behind


def read_state(path: str | os.PathLike) -> tuple[dict, bytes, dict[str, bytes]]:
    """Read and check the container: (state dict, memory, the other members by
    name). Raises StateError."""
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
            members = {member: archive.read(member)
                       for member in (TAPE_MEMBER, RECORDING_MEMBER) if member in names}
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
    version = state.get("version")
    reads = " and ".join(map(str, READS))
    if type(version) is int and version < READS[0]:
        raise StateError(f"{name}: state format version {version} was made by an older "
                         f"z80emu (this z80emu reads versions {reads})")
    if type(version) is not int or version not in READS:
        raise StateError(f"{name}: state format version {version!r} is not supported "
                         f"(this z80emu reads versions {reads})")
    if state.get("machine") != MACHINE:
        raise StateError(f"{name}: a state of machine {state.get('machine')!r}, "
                         f"not a TRS-80 Model I")
    if len(memory) != 0x10000:
        raise StateError(f"{name}: {MEMORY_MEMBER} holds {len(memory)} bytes, expected 65536")
    return state, memory, members


def _apply(machine, state: dict, memory: bytes, members: dict[str, bytes]) -> None:
    """Everything but the printers (see :func:`_apply_printers`)."""
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
        if size not in (0x1000, 0x3000, 0x37E0):
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
    if state["version"] >= 2:
        machine.rs232.set_state(devices["rs232"])
        machine.printer_port.set_state(devices["printer_port"])
        machine.tape.set_state(devices["tape"], members.get(TAPE_MEMBER),
                               members.get(RECORDING_MEMBER, b""))
    machine.cpu.code_changed()


def _apply_printers(machine, state: dict) -> None:
    """Restore each printer's mechanical state into a printer of the same kind;
    on a bad field put back every printer as it was and raise."""
    if state["version"] < 2:
        return
    saved = state["devices"]["printers"]
    if not isinstance(saved, dict):
        raise TypeError("devices.printers is not an object")
    printers = _printers(machine)
    before = {name: _printer_state(printer) for name, printer in printers.items()}
    try:
        for name, printer in printers.items():
            printer_state = saved.get(name)
            if (printer_state is not None and before[name] is not None
                    and printer_state.get("kind") == before[name]["kind"]):
                printer.set_state(printer_state)
    except Exception:
        for name, printer in printers.items():
            if before[name] is not None:
                printer.set_state(before[name])
        raise


def load_state(machine, path: str | os.PathLike) -> None:
    """Restore ``machine`` from ``path``; on any error raise StateError and
    leave the machine unchanged."""
    state, memory, members = read_state(path)
    name = os.fspath(path)
    from z80emu.machines.trs80 import TRS80

    try:
        scratch = TRS80(rom=machine.rom, ram_kb=machine.ram_kb,
                        expansion=machine.expansion, lowercase=machine.lowercase)
        _apply(scratch, state, memory, members)
        _apply_printers(machine, state)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StateError(f"{name}: the state does not fit this machine "
                         f"({type(exc).__name__}: {exc})") from None
    _apply(machine, state, memory, members)
