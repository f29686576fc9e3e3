"""``z80emu printer``: the virtual GE TermiNet 300 on its own at the end of a serial
link, and ``z80emu printer render`` to turn a paper record into PDF or PNG pages.

The standalone printer lets another program, another emulator, or a real
TRS-80 on a USB serial adapter print to it::

    z80emu printer --serial /dev/ttyUSB0 --out paper.txt        # a real TRS-80
    z80emu printer --serial listen://127.0.0.1:5300 --out paper.pdf
    z80emu run --serial socket://127.0.0.1:5300                 # ... an emulated one
    z80emu printer --serial pty --out paper.txt                 # a pty for xtrs & co.
    z80emu printer --serial file:capture.bin --out paper.txt    # print a byte capture

Characters are taken at the printer's line speed (300 bit/s for 30 char/s):
whatever arrives faster, as over a socket, is queued as a serial line would
deliver it, so strict mode judges fill characters as the real printer would.
Bytes from ``file:`` are timed from zero at that speed, so a capture prints the
same way every time. The record is written through as each line prints; Ctrl-C
(or SIGTERM) ends the job and keeps everything. An ``--out`` ending in .pdf or
.png keeps the record beside it (.txt) and renders it at the end.

This module also holds the small helpers ``z80emu run`` uses for its
``--serial`` and ``--printer`` options (:func:`serial_target`, :func:`describe`).
Facts: TRS80-REFERENCE.md §10 (speeds and framing, §10.2).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from z80emu.machines.trs80 import TRS80

DEFAULT_TERMINET_OUT = "terminet.txt"


# -- helpers for `z80emu run` -----------------------------------------------------------

def serial_target(value: str | None) -> str | None:
    """The --serial value for ``z80emu run``: a bare ``terminet`` gets a paper
    record in the current folder (``terminet.txt``, appended to), since a
    printout only in memory would be lost when the run ends."""
    if value is None:
        return None
    name, _, options = value.partition(":")
    if name.lower() == "terminet" and "out=" not in options.lower():
        options = ",".join(filter(None, [f"out={DEFAULT_TERMINET_OUT}", options]))
        return f"terminet:{options}"
    return value


def describe(machine: TRS80) -> list[str]:
    """One line per printer or link worth telling the user about."""
    notes = []
    link = machine.rs232.link
    if machine.terminet is not None:
        paper = machine.terminet.paper
        if paper.path:
            extra = " (appending)" if paper.appending else ""
            also = f", rendered to {paper.render_to} at the end" if paper.render_to else ""
            notes.append(f"TermiNet 300 paper: {paper.path}{extra}{also}")
    elif link.name != "nothing":
        notes.append(f"RS-232-C board plugged into {link.name}")
    printer = machine.printer
    paper = getattr(printer, "paper", None)
    if paper is not None and paper.path:
        extra = " (appending)" if paper.appending else ""
        also = f", rendered to {paper.render_to} at the end" if paper.render_to else ""
        notes.append(f"line printer paper: {paper.path}{extra}{also}")
    return notes


# -- the command group --------------------------------------------------------------------

@click.group("printer", invoke_without_command=True)
@click.option("--serial", "target", metavar="TARGET", default=None,
              help="Where the characters come from: a serial port or pyserial URL "
                   "(socket://, rfc2217://, loop://), listen://HOST:PORT, pty, file:PATH.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Paper record (text, written through); .pdf or .png: also rendered at "
                   "the end.")
@click.option("--cps", type=click.Choice(["10", "15", "30"]), default="30", show_default=True,
              help="Printing speed in characters a second (110, 150 or 300 bit/s).")
@click.option("--width", type=int, default=118, show_default=True, help="Print positions.")
@click.option("--form-length", type=int, default=66, show_default=True,
              help="Lines from one top of form to the next.")
@click.option("--upper", is_flag=True, help="Upper-case-only belt (folds 60h-7Eh).")
@click.option("--strict", is_flag=True,
              help="Drop characters that arrive before the mechanism is ready.")
@click.option("--overflow", type=click.Choice(["drop", "wrap", "pile"]), default="drop",
              show_default=True, help="What a character past the last position does.")
@click.option("--cr-feeds", is_flag=True, help="CR also feeds the paper.")
@click.option("--answerback", default="", help="Sent back when ENQ (05h) arrives.")
@click.option("--fsync", is_flag=True, help="Force every line to the disk.")
@click.option("--seconds", type=float, default=None,
              help="Stop after this many seconds (default: until Ctrl-C or hang-up).")
@click.pass_context
def printer_command(ctx: click.Context, target: str | None, out: str | None, cps: str,
                    width: int, form_length: int, upper: bool, strict: bool, overflow: str,
                    cr_feeds: bool, answerback: str, fsync: bool,
                    seconds: float | None) -> None:
    """A GE TermiNet 300 at the end of a serial link (see also: printer render)."""
    if ctx.invoked_subcommand is not None:
        return
    if target is None or out is None:
        raise click.UsageError("give --serial TARGET and --out FILE (or: printer render ...)")
    from z80emu.printers.paper import Paper
    from z80emu.printers.terminet import TermiNet300

    settings = dict(cps=int(cps), width=width, form_length=form_length, upper_only=upper,
                    strict=strict, overflow=overflow, cr_feeds=cr_feeds, answerback=answerback)
    try:
        TermiNet300(**settings)  # check the settings before any file is made
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        paper = Paper(out, "fsync" if fsync else "flush")
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot write: {exc.strerror}") from None
    printer = TermiNet300(paper, **settings)
    extra = " (appending)" if paper.appending else ""
    click.echo(f"z80emu: TermiNet 300 at {cps} char/s; paper: {paper.path}{extra}", err=True)
    try:
        status = _run(printer, target, seconds)
    finally:
        printer.close()
        lines = len(paper.lines)
        click.echo(f"z80emu: {lines} line{'s' * (lines != 1)} printed to {paper.path}"
                   + (f", rendered to {paper.render_to}" if paper.render_to else ""), err=True)
        if printer.dropped:
            click.echo(f"z80emu: strict mode dropped {len(printer.dropped)} characters",
                       err=True)
    sys.exit(status)


def _run(printer, target: str, seconds: float | None) -> int:
    """Feed the printer from ``target`` until it ends; returns the exit status."""
    from z80emu.links import Frame, LinkError, LinkLost, open_link

    frame = Frame(printer.baud, 8, "N", printer.stop_bits)
    if target.lower().startswith("file:"):
        return _from_file(printer, target[5:], frame)
    try:
        link = open_link(target, frame)
    except LinkError as exc:
        raise click.ClickException(str(exc)) from None
    if hasattr(link, "device"):
        click.echo(f"z80emu: the printer's serial port is {link.device}", err=True)
    elif hasattr(link, "address"):
        host, port = link.address
        click.echo(f"z80emu: listening on {host}:{port}", err=True)
    else:
        click.echo(f"z80emu: reading {link.name}", err=True)
    stop = _stop_on_sigterm()
    start = time.monotonic()
    last = -1.0
    try:
        link.configure(frame)
        link.set_control(True, True, False)
        while not stop["now"]:
            now = time.monotonic() - start
            if seconds is not None and now >= seconds:
                return 0
            data = link.receive()
            for byte in data:
                last = max(now, last + frame.char_time)  # one character time each
                reply = printer.receive(byte, last)
                for answer in reply:
                    link.send(answer, last, frame)
            if not data:
                time.sleep(0.005)
        return 0
    except LinkLost as exc:
        if "disconnected" in str(exc):
            click.echo(f"z80emu: {target}: the far end hung up", err=True)
            return 0
        click.echo(f"z80emu: serial link lost: {exc}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("z80emu: stopped", err=True)
        return 0
    finally:
        link.close()


def _from_file(printer, path: str, frame) -> int:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read: {exc.strerror}") from None
    for i, byte in enumerate(data):
        printer.receive(byte, (i + 1) * frame.char_time)
    return 0


def _stop_on_sigterm() -> dict:
    """SIGTERM ends the job like Ctrl-C (the record is closed properly)."""
    flag = {"now": False}
    if hasattr(signal, "SIGTERM") and os.name == "posix":
        try:
            signal.signal(signal.SIGTERM, lambda *_: flag.__setitem__("now", True))
        except ValueError:  # not the main thread
            pass
    return flag


@printer_command.command("render")
@click.argument("record", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="out.pdf, or out.png (several pages: out-1.png, out-2.png ...).")
@click.option("--columns", type=int, default=None,
              help="Print positions on the form [default: 118, or wider for longer lines].")
@click.option("--form-length", type=int, default=66, show_default=True,
              help="Lines per page.")
@click.option("--green-bar/--plain", default=True, show_default=True,
              help="Shade every other band of three lines.")
@click.option("--dpi", type=int, default=100, show_default=True, help="PNG resolution.")
def render_command(record: str, out: str, columns: int | None, form_length: int,
                   green_bar: bool, dpi: int) -> None:
    """Render a paper RECORD (text written by a printer) as PDF or PNG pages."""
    from z80emu.printers.render import Form, render

    if not out.lower().endswith((".pdf", ".png")):
        raise click.UsageError(f"{out}: the output must end in .pdf or .png")
    form = Form(columns=columns or 118, form_length=form_length, green_bar=green_bar)
    try:
        written = render(record, out, form, dpi)
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot write: {exc.strerror or exc}") from None
    for path in written:
        click.echo(path)
