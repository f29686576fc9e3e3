"""Command-line tools for the files people bring (docs/files.md):

``z80emu basic list|tokenize``, ``z80emu cas info|extract|create``,
``z80emu cmd info`` and ``z80emu wav decode|encode``.

Each reads and writes through :mod:`z80emu.formats`; a bad file gets one line
naming the file, the offset or line and the fault, and exit status 1.
"""

from __future__ import annotations

import os
import sys

import click

from z80emu.formats import FormatError, Program, load_program
from z80emu.formats.basic import BasicProgram, listing, read_bas, tokenize, write_bas
from z80emu.formats.cas import (
    Tape,
    read_tape,
    write_basic_cas,
    write_system_cas,
)
from z80emu.formats.cmd import read_cmd_records, write_cmd


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror}") from None


def _write(path: str, data: bytes | str) -> None:
    try:
        if isinstance(data, str):
            with open(path, "w", encoding="utf-8") as f:
                f.write(data)
        else:
            with open(path, "wb") as f:
                f.write(data)
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write: {exc.strerror}") from None


def _tape(path: str) -> Tape:
    data = _read(path)
    if path.lower().endswith(".wav"):
        from z80emu.formats.wav import decode_wav

        data, _ = decode_wav(data, path)
    return read_tape(data, path)


def _basic(path: str) -> BasicProgram:
    """A BASIC program from a .bas (tokenized or listing) or the first on a tape."""
    lower = path.lower()
    if lower.endswith((".cas", ".wav")):
        for tapefile in _tape(path).files:
            if tapefile.basic is not None:
                return tapefile.basic
        raise FormatError(path, "", "no BASIC program on this tape")
    return read_bas(_read(path), path)


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


# -- basic ---------------------------------------------------------------------------------

@click.group("basic")
def basic_group() -> None:
    """Level II BASIC programs: list a tokenized program, tokenize a listing."""


@basic_group.command("list")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--faithful", is_flag=True,
              help="Exactly what LIST shows: bytes of 80h and up inside strings spelled as "
                   "keywords (default: written \\xHH, so the listing reads back the same).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the listing here (default: standard output).")
def basic_list(file: str, faithful: bool, output: str | None) -> None:
    """List FILE: a tokenized .bas, a listing, or the BASIC program on a .cas/.wav."""
    try:
        text = listing(_basic(file), faithful)
    except FormatError as exc:
        raise _fail(exc) from None
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=False)


@basic_group.command("tokenize")
@click.argument("listing_file", metavar="LISTING", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="FILE.bas (disk format: FFh then the program) or FILE.cas (a CSAVE tape).")
@click.option("--name", default="", help="The tape's one-character name (default: the "
                                         "first letter of the output file).")
def basic_tokenize(listing_file: str, output: str, name: str) -> None:
    """Tokenize a LISTING as Level II does when each line is typed."""
    data = _read(listing_file)
    text = data.decode("latin-1").replace("\x1a", "")
    try:
        program = tokenize(text.replace("\r\n", "\n").replace("\r", "\n"), listing_file)
    except FormatError as exc:
        raise _fail(exc) from None
    if output.lower().endswith(".cas"):
        tape_name = name or os.path.basename(output)[:1]
        _write(output, write_basic_cas(program, tape_name))
    else:
        _write(output, write_bas(program))
    click.echo(f"{output}: {len(program.lines)} lines, {program.size} bytes", err=True)


# -- cas ------------------------------------------------------------------------------------

@click.group("cas")
def cas_group() -> None:
    """Cassette images (.cas): what is on them, take files off, make new ones."""


def _describe(index: int, tapefile) -> list[str]:
    lines = [f"file {index}: offset 0x{tapefile.offset:04X}, leader {tapefile.leader} bytes, "
             f"{tapefile.end - tapefile.sync} bytes after the sync byte"]
    if tapefile.kind == "basic":
        program = tapefile.basic
        numbers = [line.number for line in program.lines]
        span = f", lines {numbers[0]}-{numbers[-1]}" if numbers else ""
        lines.append(f"  BASIC program \"{tapefile.name}\": {len(program.lines)} lines"
                     f"{span}, {program.size} bytes")
    elif tapefile.kind == "system":
        program = tapefile.program
        lines.append(f"  SYSTEM file \"{tapefile.name}\": {len(tapefile.blocks)} blocks, "
                     f"checksums good, entry {program.entry:04X}h")
        for segment in program.segments:
            last = segment.address + len(segment.data) - 1
            lines.append(f"    {segment.address:04X}h-{last:04X}h ({len(segment.data)} bytes)")
    else:
        shown = tapefile.payload[:40].decode("ascii", "replace").replace("\r", "\\r")
        lines.append(f"  data ({len(tapefile.payload)} bytes): {shown}")
    return lines


@cas_group.command("info")
@click.argument("file", type=click.Path(dir_okay=False))
def cas_info(file: str) -> None:
    """Show every file on a tape image (.cas, or a .wav recording)."""
    try:
        tape = _tape(file)
    except FormatError as exc:
        raise _fail(exc) from None
    for index, tapefile in enumerate(tape.files, 1):
        for line in _describe(index, tapefile):
            click.echo(line)
    for warning in tape.warnings:
        click.echo(f"warning: {warning}")


def _safe(name: str, fallback: str) -> str:
    text = "".join(c for c in name if c.isalnum() or c in "-_")
    return text or fallback


@cas_group.command("extract")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-d", "--directory", type=click.Path(file_okay=False), default=".",
              show_default=True, help="Where to write the files.")
@click.option("--listing", "as_listing", is_flag=True,
              help="Write BASIC programs as listings (.bas text) instead of tokenized.")
def cas_extract(file: str, directory: str, as_listing: bool) -> None:
    """Write each file on a tape out: BASIC as NAME.bas, SYSTEM as NAME.cmd, data as
    NAME.dat."""
    try:
        tape = _tape(file)
    except FormatError as exc:
        raise _fail(exc) from None
    os.makedirs(directory, exist_ok=True)
    for index, tapefile in enumerate(tape.files, 1):
        base = _safe(tapefile.name, f"file{index}")
        if tapefile.kind == "basic":
            path = os.path.join(directory, f"{base}.bas")
            _write(path, listing(tapefile.basic) if as_listing else write_bas(tapefile.basic))
        elif tapefile.kind == "system":
            program = tapefile.program
            path = os.path.join(directory, f"{base}.cmd")
            _write(path, write_cmd(program.segments, program.entry, tapefile.name))
        else:
            path = os.path.join(directory, f"{base}.dat")
            _write(path, tapefile.payload)
        click.echo(path)


@cas_group.command("create")
@click.argument("output", type=click.Path(dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--name", "names", multiple=True,
              help="Tape name for each input in turn (default: from the file name).")
@click.option("--entry", type=lambda v: int(v, 0), default=None,
              help="Entry address for a SYSTEM file made from code without one.")
def cas_create(output: str, inputs: tuple[str, ...], names: tuple[str, ...],
               entry: int | None) -> None:
    """Make a tape image OUTPUT of INPUTS, one after another: a .bas (listing or
    tokenized) becomes a BASIC program, a .cmd/.hex a SYSTEM file, a .cas is
    copied."""
    out = bytearray()
    for index, path in enumerate(inputs):
        stem = os.path.splitext(os.path.basename(path))[0]
        name = names[index] if index < len(names) else stem
        try:
            if path.lower().endswith(".bas"):
                out += write_basic_cas(read_bas(_read(path), path), name)
                continue
            if path.lower().endswith(".cas"):
                data = _read(path)
                read_tape(data, path)  # whole tapes are appended as they are, if sound
                out += data
                continue
            if not path.lower().endswith((".cmd", ".hex", ".ihx")):
                raise click.ClickException(f"{path}: give .bas, .cmd, .hex or .cas files")
            program: Program = load_program(path)
        except (FormatError, OSError) as exc:
            raise _fail(exc) from None
        start = program.entry if program.entry is not None else entry
        if start is None:
            raise click.ClickException(f"{path}: no entry address; give --entry")
        out += write_system_cas(program.segments, start, name)
    _write(output, bytes(out))
    click.echo(f"{output}: {len(inputs)} file(s), {len(out)} bytes", err=True)


# -- cmd -------------------------------------------------------------------------------------

@click.group("cmd")
def cmd_group() -> None:
    """TRS-80 .CMD load modules."""


@cmd_group.command("info")
@click.argument("file", type=click.Path(dir_okay=False))
def cmd_info(file: str) -> None:
    """Show every record of a .CMD file, then what it loads and where it starts."""
    data = _read(file)
    try:
        records = read_cmd_records(data, file)
    except FormatError as exc:
        raise _fail(exc) from None
    for record in records:
        click.echo(f"0x{record.offset:04X}  {record.kind:02X}h  {record.meaning}")
    loaded = sum(len(r.body) - 2 for r in records if r.kind == 0x01)
    entry = next((r.address for r in records if r.kind == 0x02), None)
    end = records[-1].offset + 2 + len(records[-1].body)
    click.echo(f"{len(records)} records, {loaded} bytes loaded, "
               + (f"entry {entry:04X}h" if entry is not None else "no entry address")
               + (f"; {len(data) - end} bytes after the last record ignored"
                  if len(data) > end else ""))


# -- wav --------------------------------------------------------------------------------------

@click.group("wav")
def wav_group() -> None:
    """Tape recordings: decode a 500-baud WAV into a .cas, encode a .cas into a WAV."""


@wav_group.command("decode")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The .cas file to write.")
def wav_decode(file: str, output: str) -> None:
    """Decode a recording of a Level II tape into a .cas image."""
    from z80emu.formats.wav import decode_wav

    try:
        cas, report = decode_wav(_read(file), file)
    except FormatError as exc:
        raise _fail(exc) from None
    _write(output, cas)
    click.echo(f"{file}: {report.seconds:.1f} s at {report.rate} Hz, {report.pulses} pulses, "
               f"{report.bits} bits, tape speed {report.speed:.3f}", err=True)
    for i, (leader, size) in enumerate(zip(report.leaders, report.payload), 1):
        click.echo(f"  file {i}: leader {leader} bytes, {size} bytes after the sync", err=True)
    if report.repairs:
        click.echo(f"  {report.repairs} stray or missing pulses repaired: check the files "
                   f"with z80emu cas info {output}", err=True)
    for warning in report.warnings:
        click.echo(f"  warning: {warning}", err=True)
    try:
        read_tape(cas, output)
    except FormatError as exc:
        click.echo(f"z80emu: the decoded tape has a fault: {exc}", err=True)
        sys.exit(1)


@wav_group.command("encode")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The .wav file to write.")
@click.option("--rate", type=click.IntRange(8000, 192000), default=44100, show_default=True,
              help="Sample rate in Hz.")
def wav_encode(file: str, output: str, rate: int) -> None:
    """Encode a .cas image as audio, to play into a real Model I's cassette input."""
    from z80emu.formats.wav import encode_wav

    data = _read(file)
    try:
        read_tape(data, file)
    except FormatError as exc:
        raise _fail(exc) from None
    _write(output, encode_wav(data, rate))
    click.echo(f"{output}: {len(data)} bytes of tape at {rate} Hz", err=True)
