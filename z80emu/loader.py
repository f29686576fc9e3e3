"""Putting the files people bring into a Model I: fast loads straight into memory,
and tape loads through the cassette port.

Fast: a BASIC program (a ``.bas`` listing or tokenized file, or a BASIC
``.cas``) is placed at TXTTAB with the pointers Level II's CLOAD leaves
(TRS80-REFERENCE.md §6.1, §6.5; CLOAD 2C1Fh ends in FINI and RUNC): VARTAB,
ARYTAB and STREND just past the program, the DATA pointer at TXTTAB-1, CONT
forbidden, the line links recomputed for the address. A ``.cmd``, ``.hex`` or
SYSTEM ``.cas`` program has its blocks placed and its entry point started.
A ``.wav`` recording is decoded into a ``.cas`` first.

Authentic: the ``.cas`` goes into the tape deck (:mod:`z80emu.devices.tape`)
and the ROM's own commands are typed, as a person would: ``CLOAD`` (then
``RUN``) for a BASIC tape, ``SYSTEM``, the name and ``/`` for a SYSTEM tape.

:func:`start_file` is what ``z80emu run FILE`` does: it looks at the file and
at the ROM (does it have BASIC? after boot Level II points TXTTAB at its
program area) and picks the way. The project's own ROM reads a SYSTEM tape
with its own SYSTEM command (02B2h) even before its BASIC sets TXTTAB.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from z80emu.formats import FormatError, Program, load_program
from z80emu.formats.basic import (
    ARYTAB,
    DATPTR,
    MEMSIZ,
    OLDTXT,
    STREND,
    TXTTAB,
    TXTTAB_DEFAULT,
    VARTAB,
    BasicProgram,
    read_bas,
)
from z80emu.formats.cas import Tape, read_tape

MACHINE_CODE = (".cmd", ".hex", ".ihx")
STRING_SPACE = 50  # bytes Level II keeps for strings at cold start (§6.5, 40A0h)
SYSTEM_COMMAND = 0x02B2  # the ROM's SYSTEM command (the *? prompt), §6.6


class LoadError(Exception):
    """A file that cannot go into this machine as asked; ``str()`` is one line."""


@dataclass
class LoadedBasic:
    """A BASIC program placed in memory, and where."""

    program: BasicProgram
    start: int  # TXTTAB
    end: int  # VARTAB

    @property
    def lines(self):
        return self.program.lines


def _word(machine, address: int) -> int:
    return machine.peek(address) | (machine.peek(address + 1) << 8)


def _poke_word(machine, address: int, value: int) -> None:
    machine.poke(address, bytes([value & 0xFF, (value >> 8) & 0xFF]))


def has_basic(machine) -> bool:
    """True when the ROM has set up Level II BASIC: TXTTAB (40A4h) points into
    RAM below the top of memory (MEMSIZ, 40B1h)."""
    txttab = _word(machine, TXTTAB)
    top = _word(machine, MEMSIZ)
    return 0x4000 <= txttab < top


def fast_load_basic(machine, program: BasicProgram, filename: str = "program") -> LoadedBasic:
    """Place ``program`` at TXTTAB (42E9h when the ROM has not set it) with the
    pointers Level II sets after CLOAD. Raises LoadError when it does not fit."""
    start = _word(machine, TXTTAB)
    top = _word(machine, MEMSIZ)
    if not 0x4000 <= start < 0x10000 or not has_basic(machine):
        start = TXTTAB_DEFAULT
        top = machine.bus.ram_top - 1 if top < 0x4000 else top
    image = program.image(start)
    end = start + len(image)
    if end + STRING_SPACE > top:
        raise LoadError(f"{filename}: the program needs {len(image)} bytes from {start:04X}h; "
                        f"memory ends at {top:04X}h")
    machine.poke(start - 1, 0)  # Level II keeps a 00h before the first line
    machine.poke(start, image)
    for pointer in (TXTTAB, VARTAB, ARYTAB, STREND, DATPTR, OLDTXT):
        value = {TXTTAB: start, DATPTR: start - 1, OLDTXT: 0}.get(pointer, end)
        _poke_word(machine, pointer, value)
    return LoadedBasic(program, start, end)


def read_file(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def tape_image(path: str) -> tuple[bytes, str]:
    """The .CAS bytes of a .cas or .wav file, and a note on the decoding."""
    data = read_file(path)
    if path.lower().endswith(".wav"):
        from z80emu.formats.wav import decode_wav

        cas, report = decode_wav(data, path)
        return cas, (f"decoded {report.files} file(s) from {report.seconds:.1f} s of audio, "
                     f"tape speed {report.speed:.3f}")
    return data, ""


def load_file(machine, path: str | os.PathLike, address: int | None = None,
              start: bool = True, tape: bool = False):
    """Load ``path`` into ``machine`` (see :meth:`TRS80.load`). Returns a
    :class:`~z80emu.formats.Program` for machine code, a :class:`LoadedBasic`
    for BASIC, or the :class:`~z80emu.formats.cas.Tape` put in the deck."""
    name = os.fspath(path)
    lower = name.lower()
    if lower.endswith((".cas", ".wav")):
        data, _ = tape_image(name)
        contents = read_tape(data, name)
        first = contents.files[0]
        if tape or first.kind == "data":
            machine.tape.insert(contents.data, first.name)
            return contents
        if first.kind == "basic":
            return fast_load_basic(machine, first.basic, name)
        return _place(machine, first.program, start)
    if lower.endswith(".bas"):
        return fast_load_basic(machine, read_bas(read_file(name), name), name)
    raw = not lower.endswith(MACHINE_CODE)
    if raw and address is None:
        raise ValueError(f"{name}: a raw binary needs a load address")
    program = load_program(name, org=address)
    if raw and start:
        program.entry = address
    return _place(machine, program, start)


def _place(machine, program: Program, start: bool) -> Program:
    for segment in program.segments:
        machine.poke(segment.address, segment.data)
    if start and program.entry is not None:
        machine.cpu.pc = program.entry
        machine.cpu.halted = False
    return program


# -- z80emu run FILE ----------------------------------------------------------------------

def boot_basic(machine, timeout: float = 5.0) -> bool:
    """Let the ROM reach READY, answering Level II's MEMORY SIZE? question with
    ENTER; True if BASIC is there afterwards."""
    def screen() -> str:
        return machine.screen_text()

    machine.run(seconds=timeout, until=lambda: "READY" in screen() or "SIZE?" in screen())
    if "SIZE?" in screen() and "READY" not in screen():
        machine.type("\r")
        machine.run(seconds=timeout, until=lambda: "READY" in screen())
    return has_basic(machine)


def own_rom(machine) -> bool:
    """True when the machine runs the project's own ROM (which has Level II's
    firmware entry points, SYSTEM at 02B2h among them)."""
    return machine.rom.name.startswith("z80emu free ROM")


def start_file(machine, path: str, tape: bool = False, autorun: bool = True) -> str:
    """Load ``path`` the way its kind and the ROM call for, and start it (RUN for
    BASIC, the entry point for machine code) unless ``autorun`` is False.
    Returns a line saying what was done; raises LoadError or FormatError."""
    lower = path.lower()
    if lower.endswith(MACHINE_CODE):
        program = load_file(machine, path, start=autorun)
        return _code_note(path, program, autorun)
    if not lower.endswith((".bas", ".cas", ".wav")):
        raise LoadError(f"{path}: give a .cmd, .hex, .bas, .cas or .wav file")
    note = ""
    if lower.endswith(".bas"):
        contents = None
        kind = "basic"
    else:
        data, note = tape_image(path)
        contents = read_tape(data, path)
        kind = contents.files[0].kind
    basic = boot_basic(machine) if kind != "system" or tape else True
    prefix = f"{note}; " if note else ""
    if tape and kind == "system" and not basic and own_rom(machine):
        # The free ROM reads SYSTEM tapes itself, at Level II's address: its
        # SYSTEM command (02B2h) is called as BASIC's SYSTEM statement would.
        assert contents is not None
        first = contents.files[0]
        machine.tape.insert(contents.data, first.name)
        machine.cpu.pc = SYSTEM_COMMAND
        machine.cpu.halted = False
        machine.type(f"{first.name}\r" + ("/\r" if autorun else ""))
        return prefix + f"{path}: playing the tape; SYSTEM {first.name}"
    if tape:
        if not basic:
            raise LoadError(f"{path}: --tape needs a ROM with BASIC's CLOAD and SYSTEM "
                            "(a Level II ROM); this ROM does not read tapes yet")
        assert contents is not None
        first = contents.files[0]
        machine.tape.insert(contents.data, first.name)
        if kind == "basic":
            machine.type("CLOAD\r" + ("RUN\r" if autorun else ""))
            return prefix + f"{path}: playing the tape; CLOAD" + (" then RUN" if autorun else "")
        if kind == "system":
            machine.type(f"SYSTEM\r{first.name}\r" + ("/\r" if autorun else ""))
            return prefix + f"{path}: playing the tape; SYSTEM {first.name}"
        return prefix + f"{path}: a data tape is in the deck for INPUT #-1"
    if kind == "data":
        machine.tape.insert(contents.data)
        return prefix + f"{path}: a data tape is in the deck for INPUT #-1"
    if kind == "system":
        program = _place(machine, contents.files[0].program, autorun)
        return prefix + _code_note(path, program, autorun)
    program = (read_bas(read_file(path), path) if contents is None
               else contents.files[0].basic)
    loaded = fast_load_basic(machine, program, path)
    count = len(program.lines)
    where = (f"{path}: {count} line{'' if count == 1 else 's'} of BASIC at "
             f"{loaded.start:04X}h-{loaded.end - 1:04X}h")
    if not basic:
        return prefix + where + ("; this ROM has no BASIC to RUN it (give --rom with a "
                                 "Level II ROM you own)")
    if autorun:
        machine.type("RUN\r")
        return prefix + where + "; RUN"
    return prefix + where


def _code_note(path: str, program: Program, autorun: bool) -> str:
    spans = ", ".join(f"{s.address:04X}h-{s.address + len(s.data) - 1:04X}h"
                      for s in program.segments)
    if program.entry is None:
        return f"{path}: loaded {spans}; no entry address"
    verb = "started at" if autorun else "entry"
    return f"{path}: loaded {spans}; {verb} {program.entry:04X}h"


__all__ = ["FormatError", "LoadError", "LoadedBasic", "Tape", "boot_basic", "fast_load_basic",
           "has_basic", "load_file", "start_file"]
