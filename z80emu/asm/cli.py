"""The ``z80emu asm`` command: assemble a source file into raw binary, Intel HEX,
a TRS-80 .CMD file or a SYSTEM .CAS tape, with an optional listing and symbol
table.  Errors print as ``file:line:column: error: message``, all of them, and
no output file is written unless the whole run succeeded.
"""

from __future__ import annotations

import os
import sys

import click

from . import assemble_file
from .lexer import parse_number
from .output import FORMATS, format_for, write_atomic


def _define(text: str) -> tuple[str, int]:
    name, _, value = text.partition("=")
    if not name.strip():
        raise click.BadParameter(f"expected NAME or NAME=VALUE, got '{text}'")
    try:
        return name.strip(), parse_number(value.strip()) if value.strip() else 1
    except ValueError as e:
        raise click.BadParameter(f"'{text}': {e}") from None


@click.command("asm")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Output file; the format follows the extension (.hex .ihx .cmd .cas, else raw binary).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format, overriding the extension.",
)
@click.option(
    "-l",
    "--listing",
    type=click.Path(dir_okay=False),
    help="Write a listing (use - for the screen).",
)
@click.option(
    "-s",
    "--symbols",
    type=click.Path(dir_okay=False),
    help="Write the symbol table (- for the screen).",
)
@click.option(
    "-I",
    "--include",
    "include_paths",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Folder searched by INCLUDE and INCBIN; repeatable.",
)
@click.option(
    "-D",
    "--define",
    "defines",
    multiple=True,
    help="Define a symbol: NAME or NAME=VALUE; repeatable.",
)
@click.option(
    "--name",
    default=None,
    help="Program name for .CAS (6 characters) and .CMD (default: the file name).",
)
def asm_command(source, output, fmt, listing, symbols, include_paths, defines, name):
    """Assemble SOURCE (Z80, zmac/M-80/pasmo syntax). Without -o the output goes
    next to SOURCE as a .bin file (or the --format extension)."""
    try:
        result = assemble_file(source, list(include_paths), dict(_define(d) for d in defines))
    except OSError as e:
        raise click.ClickException(f"{source}: cannot read: {e.strerror}") from None
    if result.errors:
        for error in result.errors:
            click.echo(str(error), err=True)
        count = len(result.errors)
        click.echo(
            f"{source}: {count} error{'s' if count != 1 else ''}, no output written", err=True
        )
        sys.exit(1)
    if output is None:
        output = os.path.splitext(source)[0] + "." + (fmt or "bin")
    fmt = fmt or format_for(output)
    program_name = name if name is not None else os.path.splitext(os.path.basename(output))[0]
    try:
        write_atomic(
            output, result.render(fmt, program_name.upper() if fmt == "cas" else program_name)
        )
        if listing:
            _write_text(listing, result.listing())
        if symbols:
            _write_text(symbols, result.symbol_table())
    except OSError as e:
        raise click.ClickException(f"{e.filename or output}: cannot write: {e.strerror}") from None
    size = sum(len(s.data) for s in result.segments)
    click.echo(
        f"{output}: {size} bytes, {result.origin:04X}h-{result.origin + max(size - 1, 0):04X}h"
        if len(result.segments) <= 1
        else f"{output}: {size} bytes in {len(result.segments)} blocks",
        err=True,
    )


def _write_text(path: str, text: str) -> None:
    if path == "-":
        sys.stdout.write(text)
    else:
        write_atomic(path, text.encode("utf-8"))
