"""The hand-assembly reference: look an instruction up by its text ("LD A,(HL)",
"LD A,5") or by its bytes ("3E", "DD 7E 05") and get bytes, length, T-states and
flags; print the opcode chart of every prefix page as text, Markdown or HTML.

Everything printed here is read from ``z80emu.isa``, the table the CPU runs.

>>> print(card(find_text("LD A,5")[0]))
LD A,05H
  bytes     3E 05   (pattern 3E n)
  length    2
  T-states  7
  flags     S Z Y H X P/V N C
            - - - - -  -  - -
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass

import click

from .disasm import field_values, instruction_text
from .isa import ENCODINGS, PAGES, Encoding, decode, page_table

FLAG_NAMES = ("S", "Z", "Y", "H", "X", "P/V", "N", "C")
FLAG_LEGEND = (
    "- unaffected   * set by the result   0 reset   1 set   "
    "P parity   V overflow   ? undefined or special"
)
PAGE_TITLES = {
    "": "Main page (no prefix)",
    "CB": "CB page: rotates, shifts, bit operations",
    "ED": "ED page: extended instructions",
    "DD": "DD page: IX instructions",
    "FD": "FD page: IY instructions",
    "DDCB": "DD CB d page: bit operations on (IX+d)",
    "FDCB": "FD CB d page: bit operations on (IY+d)",
}
_HEX_QUERY = re.compile(r"^(?:[0-9A-Fa-f]{2})+$")


class RefError(ValueError):
    """A query the reference cannot answer; the message says what was expected."""


@dataclass
class Hit:
    """A looked-up instruction; ``data`` holds its bytes when the values are known."""

    encoding: Encoding
    data: bytes | None = None
    address: int = 0

    @property
    def text(self) -> str:
        if self.data is None:
            return self.encoding.text
        return instruction_text(self.encoding, field_values(self.encoding, self.data, self.address))


def pattern_bytes(enc: Encoding) -> str:
    """The bytes with their variable fields named: 'DD 36 d n', '21 lo hi'."""
    names = {"nn_lo": "lo", "nn_hi": "hi"}
    return " ".join(names.get(slot, slot) for slot in enc.layout())


def _normalise(text: str) -> str:
    mnemonic, _, rest = text.strip().partition(" ")
    rest = re.sub(r"\s+", "", rest)
    return (mnemonic + (" " + rest if rest else "")).upper()


_BY_UPPER_TEXT: dict[str, Encoding] = {}


def _text_index() -> dict[str, Encoding]:
    if not _BY_UPPER_TEXT:
        for enc in ENCODINGS:
            if enc.canonical:
                _BY_UPPER_TEXT[enc.text.upper()] = enc
    return _BY_UPPER_TEXT


def find_text(query: str, address: int = 0) -> list[Hit]:
    """Look up an instruction by text: a pattern from the table ('LD A,(IX+d)') or
    an instruction with values ('LD A,(IX+5)'), assembled at ``address``."""
    enc = _text_index().get(_normalise(query))
    if enc is not None:
        return [Hit(enc)]
    from .asm import assemble

    result = assemble(f" ORG {address}\n {query}\n", filename="<query>")
    if not result.ok:
        message = result.errors[0].message.split(" (in ")[0]
        raise RefError(f"'{query}': {message}")
    found = result.instructions()
    if not found:
        raise RefError(f"'{query}' is not an instruction")
    _, data, enc = found[-1]
    return [Hit(enc, data, address)]


def find_bytes(data: bytes, address: int = 0) -> list[Hit]:
    """Decode every instruction in ``data``; a short last instruction shows its pattern."""
    hits = []
    i = 0
    while i < len(data):
        rest = data[i:]
        if rest[0] in (0xDD, 0xFD) and len(rest) >= 2 and rest[1] == 0xCB and len(rest) < 4:
            raise RefError(
                f"{rest[0]:02X} CB starts a 4-byte instruction: give {rest[0]:02X} CB d op"
            )
        if rest[0] in (0xCB, 0xED, 0xDD, 0xFD) and len(rest) == 1:
            raise RefError(
                f"{rest[0]:02X} is a prefix: give the next byte too (e.g. {rest[0]:02X} 7E); "
                f"'ref --chart --page {rest[0]:02X}' shows the page"
            )
        enc = decode(data, i)
        if len(rest) < enc.length:
            hits.append(Hit(enc))
            break
        hits.append(Hit(enc, bytes(rest[: enc.length]), address + i))
        i += enc.length
    return hits


def lookup(query: str, address: int = 0) -> list[Hit]:
    """Bytes ('3E', 'DD 7E 05', 'dd7e05') or text ('LD A,(HL)', 'ld a,5')."""
    words = query.split()
    if words and all(_HEX_QUERY.match(w) for w in words):  # no mnemonic is all hex pairs
        return find_bytes(bytes.fromhex("".join(words)), address)
    if not query.strip():
        raise RefError("expected an instruction such as 'LD A,(HL)' or bytes such as '3E 05'")
    return find_text(query, address)


def flags_lines(flags: str) -> tuple[str, str]:
    """Two aligned lines: the flag names and the effect on each."""
    head = " ".join(FLAG_NAMES)
    row = " ".join(f"{c:^{len(n)}}" if len(n) > 1 else c for c, n in zip(flags, FLAG_NAMES))
    return head, row


def card(hit: Hit) -> str:
    """The reference card of one instruction."""
    enc = hit.encoding
    pattern = pattern_bytes(enc)
    lines = [hit.text]
    if hit.data is not None:
        shown = hit.data.hex(" ").upper()
        lines.append(
            f"  bytes     {shown}" + (f"   (pattern {pattern})" if shown != pattern else "")
        )
    else:
        lines.append(f"  bytes     {pattern}")
    lines.append(f"  length    {enc.length}")
    timing = "/".join(str(t) for t in enc.tstates)
    if len(enc.tstates) == 2:
        timing += "   (taken or repeating / not taken or done)"
    lines.append(f"  T-states  {timing}")
    head, row = flags_lines(enc.flags)
    lines += [f"  flags     {head}", f"            {row}"]
    if not enc.documented:
        lines.append("  undocumented")
    if not enc.canonical:
        lines.append("  not what an assembler emits for this text")
    if enc.note:
        lines.append(f"  note      {enc.note}")
    others = sorted(
        (
            e
            for e in ENCODINGS
            if e.text == enc.text
            and e is not enc
            and not (e.page in ("DD", "FD") and not e.canonical)
        ),
        key=lambda e: not e.canonical,
    )
    if others:
        shown = [pattern_bytes(e) + (f" ({e.note})" if e.note else "") for e in others[:4]]
        more = f", and {len(others) - 4} more" if len(others) > 4 else ""
        lines.append("  also      " + ", ".join(shown) + more)
    return "\n".join(lines)


# --- charts -------------------------------------------------------------------


def _cell(page: str, opcode: int) -> tuple[str, str, str]:
    """(text, timing, css class) of one chart cell."""
    enc = page_table(page)[opcode]
    if enc is None:
        target = "DDCB" if page in ("DD", "FD") else f"{opcode:02X}"
        if page in ("DD", "FD"):
            return f"{page} CB d op", "prefix", "prefix"
        return f"prefix {target}", "", "prefix"
    timing = "/".join(str(t) for t in enc.tstates)
    if enc.page in ("DD", "FD") and not enc.canonical:
        return "=" + (enc.text if enc.length > 1 else "prefix"), timing, "ignored"
    if not enc.canonical:
        return f"({enc.text})", timing, "duplicate"
    return (
        enc.text + ("" if enc.documented else "*"),
        timing,
        "documented" if enc.documented else "undocumented",
    )


def chart_text(page: str) -> str:
    """A 16x16 chart of one page as plain text, in two halves of eight columns."""
    cells = [[_cell(page, hi << 4 | lo) for lo in range(16)] for hi in range(16)]
    width = max(len(c[0]) for row in cells for c in row) + 1
    out = [f"{PAGE_TITLES[page]}" + ("" if page in ("", "DDCB", "FDCB") else f" (prefix {page})")]
    if page in ("DDCB", "FDCB"):
        out.append(f"bytes: {page[:2]} CB d op, column/row give op")
    for half in (0, 8):
        out.append("")
        out.append(
            (
                "    "
                + "".join(f"{'x' + format(lo, 'X'):<{width}}" for lo in range(half, half + 8))
            ).rstrip()
        )
        for hi in range(16):
            row = cells[hi][half : half + 8]
            out.append(f"{hi:X}x  " + "".join(f"{c[0]:<{width}}" for c in row).rstrip())
            out.append("    " + "".join(f"{c[1]:<{width}}" for c in row).rstrip())
    out += [
        "",
        "* undocumented   (text) duplicate encoding, not emitted by assemblers   "
        "=text prefix ignored",
        "T-states: taken/not taken, or repeating/last",
    ]
    return "\n".join(out) + "\n"


def chart_markdown(page: str) -> str:
    """A 16x16 chart of one page as a Markdown table."""
    title = PAGE_TITLES[page]
    lines = [
        f"## {title}",
        "",
        "|    | " + " | ".join(f"x{lo:X}" for lo in range(16)) + " |",
        "|----|" + "----|" * 16,
    ]
    for hi in range(16):
        cells = []
        for lo in range(16):
            text, timing, _ = _cell(page, hi << 4 | lo)
            text = text.replace("|", "\\|").replace("*", "\\*")
            cells.append(f"{text}<br>{timing}" if timing else text)
        lines.append(f"| {hi:X}x | " + " | ".join(cells) + " |")
    lines += [
        "",
        "\\* undocumented; (text) duplicate encoding; =text prefix ignored; "
        "T-states taken/not taken",
        "",
    ]
    return "\n".join(lines)


_CSS = """
body { font-family: sans-serif; margin: 1em; }
h2 { font-size: 13pt; margin: 0.2em 0; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; page-break-after: always; }
th, td { border: 1px solid #888; font-size: 7.5pt; padding: 2px;
         text-align: center; vertical-align: top; }
th { background: #ddd; }
td .t { color: #555; font-size: 6.5pt; display: block; }
td.undocumented { background: #fde9c8; }
td.duplicate, td.ignored { background: #eee; color: #777; }
td.prefix { background: #cfe0f5; }
p.legend { font-size: 8pt; }
@page { size: A4 landscape; margin: 1cm; }
@media print { body { margin: 0; } }
"""


def chart_html(pages: list[str]) -> str:
    """A printable HTML document with one chart (one printed page) per prefix page."""
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>Z80 opcode charts</title>',
        f"<style>{_CSS}</style></head><body>",
    ]
    for page in pages:
        parts.append(f"<h2>{html.escape(PAGE_TITLES[page])}</h2>")
        parts.append(
            "<table><tr><th></th>" + "".join(f"<th>x{lo:X}</th>" for lo in range(16)) + "</tr>"
        )
        for hi in range(16):
            row = [f"<th>{hi:X}x</th>"]
            for lo in range(16):
                enc = page_table(page)[hi << 4 | lo]
                text, timing, cls = _cell(page, hi << 4 | lo)
                tip = ""
                if enc is not None:
                    tip = (
                        f' title="{html.escape(pattern_bytes(enc))} &#10;flags SZYHXPNC {enc.flags}'
                        + (f" &#10;{html.escape(enc.note)}" if enc.note else "")
                        + '"'
                    )
                row.append(
                    f'<td class="{cls}"{tip}>{html.escape(text)}'
                    f'<span class="t">{timing}</span></td>'
                )
            parts.append("<tr>" + "".join(row) + "</tr>")
        parts.append("</table>")
    parts.append(
        '<p class="legend">Orange: undocumented. Grey: a duplicate encoding or a prefix that '
        "changes nothing (assemblers never emit these). Blue: a prefix byte. "
        "T-states: taken/not taken, or repeating/last. Flags in the tooltip: "
        + html.escape(FLAG_LEGEND)
        + "</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def chart(pages: list[str] | None = None, fmt: str = "text") -> str:
    """Charts for ``pages`` (default: all seven) in 'text', 'markdown' or 'html'."""
    pages = list(PAGES) if pages is None else pages
    if fmt == "html":
        return chart_html(pages)
    render = chart_markdown if fmt == "markdown" else chart_text
    return ("\n" if fmt == "markdown" else "\n\f").join(render(p) for p in pages)


def _page_name(text: str) -> str:
    name = text.upper().replace(" ", "")
    if name in ("MAIN", "NONE", "-", ""):
        return ""
    if name not in PAGES:
        raise click.BadParameter(
            f"expected one of main, {', '.join(p for p in PAGES if p)}; got '{text}'"
        )
    return name


@click.command("ref")
@click.argument("query", nargs=-1)
@click.option(
    "--chart", "show_chart", is_flag=True, help="Print opcode charts generated from the table."
)
@click.option(
    "--page", "pages", multiple=True, help="Chart only this page: main, CB, ED, DD, FD, DDCB, FDCB."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    help="Chart format (html prints one page per sheet).",
)
@click.option("--org", default="0", help="Address for relative jumps in a text query (hex).")
def ref_command(query, show_chart, pages, fmt, org):
    """Hand-assembly reference. QUERY is an instruction ('LD A,(HL)', 'LD A,5',
    'JR NZ,e') or bytes ('3E', 'DD 7E 05'); prints bytes, length, T-states and
    flags. With --chart, prints the opcode charts."""
    from .disasm import parse_address

    if show_chart:
        selected = [_page_name(p) for p in pages] or None
        sys.stdout.write(chart(selected, fmt))
        return
    if not query:
        raise click.UsageError("give an instruction or bytes to look up, or --chart")
    try:
        hits = lookup(" ".join(query), parse_address(org))
    except (RefError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    click.echo("\n\n".join(card(h) for h in hits))
