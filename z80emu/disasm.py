"""The Z80 disassembler: bytes in (raw, Intel HEX or .CMD), source text out that
the z80emu assembler turns back into the same bytes.

Instructions are decoded with ``z80emu.isa.decode`` -- the same table the CPU
runs and the assembler encodes from.  Jump and call targets inside the code get
labels, data regions print as ``DB``, undocumented instructions are marked, and
encodings the assembler would not choose for their text (duplicates such as
``ED 4C`` NEG, ED holes, DD/FD prefixes that change nothing) print as ``DB``
with the instruction named in a comment, so re-assembly gives the same bytes.

>>> print(disassemble(bytes.fromhex("3E05 10FC DDCB0206 C9"), org=0x8000))
        ORG 8000H
L8000:  LD A,05H              ; 8000  3E 05
        DJNZ L8000            ; 8002  10 FC
        RLC (IX+02H)          ; 8004  DD CB 02 06
        RET                   ; 8008  C9
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from .formats import FormatError, Program, Segment, load_program
from .isa import Encoding, decode

JUMPS = frozenset({"JP", "JR", "CALL", "DJNZ"})
CODE_COLUMN = 30


def hex8(value: int) -> str:
    """An assembler-readable hex byte: '05H', '0FFH'."""
    text = f"{value & 0xFF:02X}H"
    return "0" + text if text[0] in "ABCDEF" else text


def hex16(value: int) -> str:
    """An assembler-readable hex word: '8000H', '0C000H'."""
    text = f"{value & 0xFFFF:04X}H"
    return "0" + text if text[0] in "ABCDEF" else text


def _signed(b: int) -> int:
    return b - 256 if b & 0x80 else b


@dataclass
class Decoded:
    """One decoded item: an instruction or a run of data bytes."""

    address: int
    data: bytes
    encoding: Encoding | None  # None: data bytes
    values: dict[str, int]  # field values: n, nn, d (signed), e (the target address)

    @property
    def is_instruction(self) -> bool:
        return self.encoding is not None and self.encoding.canonical


def field_values(enc: Encoding, data: bytes, address: int) -> dict[str, int]:
    """Read the variable fields of ``enc`` from its bytes (``e`` as an absolute target)."""
    values: dict[str, int] = {}
    for slot, byte in zip(enc.layout(), data):
        if slot == "n":
            values["n"] = byte
        elif slot == "nn_lo":
            values["nn"] = byte
        elif slot == "nn_hi":
            values["nn"] |= byte << 8
        elif slot == "d":
            values["d"] = _signed(byte)
        elif slot == "e":
            values["e"] = (address + enc.length + _signed(byte)) & 0xFFFF
    return values


def operand_text(pattern: str, values: dict[str, int], labels: dict[int, str]) -> str:
    """One operand pattern with its field value filled in."""
    if pattern == "n":
        return hex8(values["n"])
    if pattern == "nn":
        return labels.get(values["nn"], hex16(values["nn"])) if labels else hex16(values["nn"])
    if pattern == "(n)":
        return f"({hex8(values['n'])})"
    if pattern == "(nn)":
        return f"({hex16(values['nn'])})"
    if pattern == "e":
        return labels.get(values["e"], hex16(values["e"]))
    if pattern.endswith("+d)"):
        d = values["d"]
        return f"{pattern[:-3]}{'-' if d < 0 else '+'}{hex8(abs(d))})"
    return pattern


def instruction_text(
    enc: Encoding, values: dict[str, int], labels: dict[int, str] | None = None
) -> str:
    """The instruction as source text, e.g. 'LD A,(IX+05H)'."""
    labels = labels or {}
    if not enc.operands:
        return enc.mnemonic
    return enc.mnemonic + " " + ",".join(operand_text(p, values, labels) for p in enc.operands)


def _in_ranges(address: int, ranges: list[tuple[int, int]]) -> bool:
    return any(lo <= address <= hi for lo, hi in ranges)


def decode_segment(seg: Segment, data_ranges: list[tuple[int, int]] = ()) -> list[Decoded]:
    """Split a segment into instructions and data runs."""
    items: list[Decoded] = []
    data = seg.data
    i = 0
    pending: list[int] = []  # offsets of data bytes waiting to be grouped

    def flush() -> None:
        if pending:
            start = pending[0]
            items.append(
                Decoded(seg.address + start, bytes(data[start : pending[-1] + 1]), None, {})
            )
            pending.clear()

    while i < len(data):
        address = seg.address + i
        if _in_ranges(address, data_ranges):
            if pending and pending[-1] != i - 1:
                flush()
            pending.append(i)
            if len(pending) == 8:
                flush()
            i += 1
            continue
        flush()
        enc = decode(data, i)
        if enc.page in ("DD", "FD") and not enc.canonical:
            # The prefix changes nothing: it is a byte of its own, the rest decodes afresh.
            items.append(Decoded(address, bytes(data[i : i + 1]), enc, {}))
            i += 1
            continue
        if i + enc.length > len(data):
            pending.extend(range(i, len(data)))
            break
        raw = bytes(data[i : i + enc.length])
        items.append(Decoded(address, raw, enc, field_values(enc, raw, address)))
        i += enc.length
    flush()
    return items


def disassemble(
    source: bytes | Program,
    org: int = 0,
    data_ranges: list[tuple[int, int]] = (),
    tstates: bool = False,
    labels: bool = True,
    comments: bool = True,
) -> str:
    """Disassemble raw bytes placed at ``org``, or a :class:`~z80emu.formats.Program`
    (each segment gets its own ORG; the entry point becomes ``END entry``).

    ``data_ranges`` lists inclusive (start, end) addresses to print as ``DB``;
    ``tstates`` adds the T-states to the comment column."""
    program = source if isinstance(source, Program) else Program([Segment(org, bytes(source))])
    decoded = [decode_segment(seg, list(data_ranges)) for seg in program.segments]
    starts = {item.address for items in decoded for item in items if item.is_instruction}
    names: dict[int, str] = {}
    if labels:
        for items in decoded:
            for item in items:
                if item.is_instruction and item.encoding.mnemonic in JUMPS:
                    target = item.values.get("e", item.values.get("nn"))
                    if target in starts:
                        names[target] = f"L{target:04X}"
        if program.entry is not None and program.entry in starts:
            names[program.entry] = f"L{program.entry:04X}"
    out: list[str] = []
    for seg, items in zip(program.segments, decoded):
        out.append(f"{'':8}ORG {hex16(seg.address)}")
        for item in items:
            label = names.get(item.address)
            code, note = _item_text(item, names)
            head = f"{label + ':':<8}" if label else " " * 8
            line = head + code
            if comments:
                extra = f"  {tstates_column(item)}" if tstates else ""
                tail = f"; {item.address:04X}  {item.data.hex(' ').upper():<11}{extra}"
                if note:
                    tail = tail.rstrip() + "  " + note
                line = (line.ljust(CODE_COLUMN - 2) + "  " + tail).rstrip()
            out.append(line)
    if program.entry is not None:
        out.append(f"{'':8}END {names.get(program.entry, hex16(program.entry))}")
    return "\n".join(out)


def tstates_column(item: Decoded) -> str:
    if item.encoding is None or not item.is_instruction:
        return ""
    return "/".join(str(t) for t in item.encoding.tstates)


def _item_text(item: Decoded, names: dict[int, str]) -> tuple[str, str]:
    """The source text of an item and a note for its comment."""
    enc = item.encoding
    as_bytes = "DB " + ",".join(hex8(b) for b in item.data)
    if enc is None:
        return as_bytes, ""
    if enc.page in ("DD", "FD") and not enc.canonical:
        return as_bytes, f"{enc.page} prefix ignored"
    if not enc.canonical:
        text = instruction_text(enc, item.values)
        return as_bytes, f"{text} ({enc.note})" if enc.note else text
    return instruction_text(enc, item.values, names), "" if enc.documented else "undocumented"


def parse_range(text: str) -> tuple[int, int]:
    """'4000-40FF' (hex, optional H suffix or 0x prefix) -> (0x4000, 0x40FF)."""
    lo, sep, hi = text.partition("-")
    if not sep:
        raise ValueError(f"expected START-END, got '{text}'")
    return parse_address(lo), parse_address(hi)


def parse_address(text: str) -> int:
    """A hex address as typed on a command line: '8000', '8000h', '0x8000', '$8000'."""
    t = text.strip().upper()
    t = (
        t[2:]
        if t.startswith("0X")
        else t[1:]
        if t.startswith("$")
        else t[:-1]
        if t.endswith("H")
        else t
    )
    value = int(t, 16)
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"address {text} out of range 0000-FFFF")
    return value


class _Address(click.ParamType):
    name = "ADDRESS"

    def convert(self, value, param, ctx):
        try:
            return parse_address(value)
        except ValueError:
            self.fail(f"expected a hex address such as 8000 or 8000h, got '{value}'", param, ctx)


class _Range(click.ParamType):
    name = "START-END"

    def convert(self, value, param, ctx):
        try:
            return parse_range(value)
        except ValueError:
            self.fail(f"expected a hex range such as 4000-40FF, got '{value}'", param, ctx)


@click.command("disasm")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--org", type=_Address(), default=None, help="Load address of a raw binary (hex; default 0)."
)
@click.option(
    "--data",
    "data",
    type=_Range(),
    multiple=True,
    help="Print START-END (hex) as DB bytes; repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "raw", "hex", "cmd"]),
    default="auto",
    help="Input format (default: from the extension).",
)
@click.option("--tstates", "-t", is_flag=True, help="Add the T-states of each instruction.")
@click.option("--no-labels", is_flag=True, help="Print jump targets as addresses.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of the screen."
)
def disasm_command(file, org, data, fmt, tstates, no_labels, output):
    """Disassemble FILE (raw binary, Intel HEX or TRS-80 .CMD) into source the
    assembler re-assembles to the same bytes."""
    from .asm.output import write_atomic

    try:
        if fmt == "auto":
            program = load_program(file, org)
        elif fmt == "raw":
            with open(file, "rb") as f:
                program = Program([Segment(org or 0, f.read())])
        else:
            program = _load_as(file, fmt)
    except FormatError as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:
        raise click.ClickException(f"{file}: {e.strerror}") from None
    text = (
        disassemble(
            program, org=org or 0, data_ranges=list(data), tstates=tstates, labels=not no_labels
        )
        + "\n"
    )
    if output:
        write_atomic(output, text.encode("ascii"))
    else:
        sys.stdout.write(text)


def _load_as(path: str, fmt: str) -> Program:
    from .formats import cmd, ihex

    if fmt == "hex":
        with open(path, encoding="ascii", errors="replace") as f:
            return ihex.read_ihex(f.read(), path)
    with open(path, "rb") as f:
        return cmd.read_cmd(f.read(), path)
