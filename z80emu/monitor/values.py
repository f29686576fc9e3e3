"""How the monitor reads what is typed: numbers, addresses, byte lists, words,
and the symbol table that lets labels stand for addresses.

Numbers are hexadecimal unless marked: ``7F00``, ``7F00H``, ``0x7F00`` and
``$7F00`` are all 7F00h; ``#32512`` is decimal; ``'A'`` is the character code
41h. A loaded symbol (``START``) stands for its value, and ``+``/``-`` join
terms (``START+3``, ``#16384+#64``). A word that is both a symbol and a hex
number (``ADD``, ``FACE``) means the symbol; write ``0ADD`` for the number.

>>> syms = Symbols({"START": 0x7F00})
>>> parse_value("start+3", syms), parse_value("#32512"), parse_value("3ch")
(32515, 32512, 60)
>>> parse_bytes(['3E', '41', '"HI"', '#10', 'CDC9']).hex(" ").upper()
'3E 41 48 49 0A CD C9'
"""

from __future__ import annotations

import os
import re


class MonitorError(Exception):
    """A command that could not be carried out; ``str()`` is the message for the user."""


_HEX = re.compile(r"^(?:0X|\$)?([0-9A-F]+)H?$")
_NAME = re.compile(r"^[A-Z_.?@][A-Z0-9_.?@$]*$")
_TERM = re.compile(r"[+-]?[^+-]+")


class Symbols:
    """Labels and their addresses: looked up by name (any case) and by value."""

    def __init__(self, table: dict[str, int] | None = None) -> None:
        self._by_name: dict[str, tuple[str, int]] = {}
        self._by_value: dict[int, str] = {}
        for name, value in (table or {}).items():
            self.add(name, value)

    def add(self, name: str, value: int) -> None:
        """Define ``name``; the first name given to an address is the one shown."""
        value &= 0xFFFF
        old = self._by_name.get(name.upper())
        if old is not None and self._by_value.get(old[1]) == old[0]:
            del self._by_value[old[1]]
        self._by_name[name.upper()] = (name, value)
        self._by_value.setdefault(value, name)

    def get(self, name: str) -> int | None:
        entry = self._by_name.get(name.upper())
        return None if entry is None else entry[1]

    def name_at(self, value: int) -> str | None:
        return self._by_value.get(value & 0xFFFF)

    def labels(self) -> dict[int, str]:
        """Address -> name, for the disassembler."""
        return dict(self._by_value)

    def items(self) -> list[tuple[str, int]]:
        return sorted(self._by_name.values(), key=lambda nv: (nv[1], nv[0].upper()))

    def clear(self) -> None:
        self._by_name.clear()
        self._by_value.clear()

    def __len__(self) -> int:
        return len(self._by_name)


def parse_number(text: str) -> int:
    """One number: hex (7F00, 7F00H, 0x7F00, $7F00), #decimal or 'c'."""
    t = text.strip()
    if len(t) == 3 and t[0] == t[2] == "'":
        return ord(t[1])
    if t.startswith("#"):
        if t[1:].isdigit():
            return int(t[1:])
        raise MonitorError(f"'{text}' is not a decimal number (after # give digits: #32512)")
    m = _HEX.match(t.upper())
    if m:
        return int(m.group(1), 16)
    raise MonitorError(f"'{text}' is not a number: write hex (7F00), #decimal or 'c'")


def parse_value(text: str, symbols: Symbols | None = None, limit: int = 0xFFFF,
                what: str = "address") -> int:
    """A value: numbers and symbols joined by + and -, checked to fit 0..limit."""
    t = text.strip()
    if not t:
        raise MonitorError(f"expected an {what}")
    terms = _TERM.findall(t) if not (len(t) == 3 and t[0] == t[2] == "'") else [t]
    if "".join(terms) != t:
        raise MonitorError(f"cannot read '{text}' as an {what}")
    total = 0
    for term in terms:
        sign = -1 if term.startswith("-") else 1
        body = term.lstrip("+-").strip()
        value = symbols.get(body) if symbols is not None and body else None
        if value is None:
            try:
                value = parse_number(body)
            except MonitorError:
                if _NAME.match(body.upper()):
                    raise MonitorError(f"unknown symbol '{body}' (load labels with "
                                       f"'symbols FILE')") from None
                raise
        total += sign * value
    if not 0 <= total <= limit:
        top = "FFFFh" if limit == 0xFFFF else f"{limit:X}h"
        shown = f"{total:X}h" if total >= 0 else str(total)
        raise MonitorError(f"{what} {shown} ('{text}') is past {top}" if total > limit
                           else f"{what} '{text}' is negative")
    return total


def parse_bytes(words: list[str]) -> bytes:
    """Bytes as typed from a magazine: hex pairs (``3E 41`` or ``3E41``), #decimal,
    'c', or "text" in double quotes."""
    out = bytearray()
    for word in words:
        if len(word) >= 2 and word[0] == word[-1] == '"':
            try:
                out += word[1:-1].encode("ascii")
            except UnicodeEncodeError:
                raise MonitorError(f"{word}: only ASCII text can go into memory") from None
        elif word.startswith("#") or (len(word) == 3 and word[0] == word[2] == "'"):
            value = parse_number(word)
            if value > 0xFF:
                raise MonitorError(f"'{word}' does not fit in a byte (0-255)")
            out.append(value)
        else:
            digits = word.upper()
            if digits.endswith("H") and len(digits) <= 3:
                digits = digits[:-1]
            if not digits or any(c not in "0123456789ABCDEF" for c in digits):
                raise MonitorError(f"bad hex pair '{word}': expected hex digits 0-9 A-F "
                                   f"such as 3E (or #decimal, 'c', \"text\")")
            if len(digits) > 2 and len(digits) % 2:
                raise MonitorError(f"bad hex pair '{word}': an odd number of digits "
                                   f"(write bytes as pairs: 3E 41)")
            out += bytes.fromhex(digits.zfill(2))
    return bytes(out)


def split_words(line: str) -> list[str]:
    """Split a command line on blanks, keeping "quoted text" as one word."""
    words: list[str] = []
    i, n = 0, len(line)
    while i < n:
        if line[i].isspace():
            i += 1
            continue
        if line[i] == '"':
            end = line.find('"', i + 1)
            if end < 0:
                raise MonitorError(f"unclosed quote in: {line.strip()}")
            words.append(line[i:end + 1])
            i = end + 1
            continue
        if line[i] == "'" and i + 2 < n and line[i + 2] == "'":
            words.append(line[i:i + 3])
            i += 3
            continue
        j = i
        while j < n and not line[j].isspace() and line[j] != '"':
            j += 1
        words.append(line[i:j])
        i = j
    return words


# -- symbol files ---------------------------------------------------------------------

_TABLE_LINE = re.compile(r"^(\S+)\s+([0-9A-Fa-f]{4})H\s+-?\d+\s*$")
_LISTING_HEAD = re.compile(r"^\s*LINE\s+ADDR\s+BYTES")
_LISTING_LINE = re.compile(r"^\s*\d+[ +]([=0-9A-F ]{5}) (.{12}) (.{8})  (.*)$")
_LABEL = re.compile(r"^([A-Za-z_.?@][\w.?@$]*)(:?)")
_GENERIC = re.compile(r"^\s*([A-Za-z_.?@][\w.?@$]*):?\s+(?:EQU|=|\.EQU)\s+"
                      r"(?:0X|\$)?([0-9A-Fa-f]+)H?\s*(?:;.*)?$", re.IGNORECASE)


def read_symbols(path: str) -> dict[str, int]:
    """Labels from a file written by ``z80emu asm``: its symbol table (``-s``), its
    listing (``-l``), or the assembly source itself (assembled to find them).
    Also accepts ``NAME EQU 7F00H`` lines. Raises MonitorError naming the file."""
    ext = os.path.splitext(path)[1].lower()
    if ext in (".asm", ".z80", ".s", ".mac"):
        from z80emu.asm import assemble_file

        try:
            result = assemble_file(path)
        except OSError as e:
            raise MonitorError(f"{path}: cannot read: {e.strerror}") from None
        if result.errors:
            raise MonitorError(f"{path}: does not assemble: {result.errors[0]}")
        return {name: value & 0xFFFF for name, value in result.symbols.items()}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise MonitorError(f"{path}: cannot read: {e.strerror}") from None
    table: dict[str, int] = {}
    listing = any(_LISTING_HEAD.match(line) for line in lines[:3])
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith(";"):
            continue
        if listing:
            m = _LISTING_LINE.match(line)
            if not m:
                continue
            addr, source = m.group(1).strip(), m.group(4)
            label = _LABEL.match(source)  # a label starts in column 0 of the source
            if label and addr and label.group(1).upper() not in _NOT_LABELS:
                table[label.group(1)] = int(addr.lstrip("="), 16)
            continue
        m = _TABLE_LINE.match(line) or _GENERIC.match(line)
        if m:
            table[m.group(1)] = int(m.group(2), 16) & 0xFFFF
            continue
        raise MonitorError(f"{path}: line {number}: not a symbol table or listing line: "
                           f"{line.strip()[:40]}")
    if not table:
        raise MonitorError(f"{path}: no symbols found")
    return table


# Words a label-less listing line may start with in column 0 that are not labels.
_NOT_LABELS = frozenset({"ORG", "END", "DB", "DW", "DS", "DEFB", "DEFW", "DEFS", "DEFM"})


# -- assembly lines: hex by default ------------------------------------------------------

_SOURCE_WORD = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|;.*|#\d+|[A-Za-z0-9_$.?@%]+|.")
_REGISTER_PAIRS = frozenset({"AF", "BC", "DE"})
_HEX_WORD = re.compile(r"^[0-9A-Fa-f]+$")


def hex_source(line: str, symbols: Symbols | None = None) -> str:
    """An assembly line typed at the monitor, rewritten for the assembler so that
    numbers are hex as everywhere in the monitor: ``LD A,41`` loads 41h, ``JP FF00``
    jumps to FF00h, ``#65`` is decimal 65; ``41H``, ``$41``, ``0x41``, ``%101``
    and 'c' keep their meaning. Register names and symbols are left alone.

    >>> hex_source("LD A,41 ; 41 stays"), hex_source("loop: JP FF00"), hex_source("LD B,#10")
    ('LD A,41H ; 41 stays', 'loop: JP 0FF00H', 'LD B,10')
    """
    out: list[str] = []
    seen_mnemonic = False
    for m in _SOURCE_WORD.finditer(line):
        word = m.group(0)
        if word[0] in "'\";" or not (word[0].isalnum() or word[0] in "#_$.?@%"):
            out.append(word)
            continue
        nxt = line[m.end():m.end() + 1]
        if not seen_mnemonic:
            if nxt != ":":  # a label keeps its place; the first other word is the mnemonic
                seen_mnemonic = word[0].isalpha() or word[0] in "_.?@"
            out.append(word)
            continue
        if word.startswith("#"):
            out.append(word[1:])
        elif _HEX_WORD.match(word):
            upper = word.upper()
            is_symbol = symbols is not None and symbols.get(word) is not None
            if word[0].isdigit():
                out.append(word + "H")
            elif len(word) >= 2 and upper not in _REGISTER_PAIRS and not is_symbol:
                out.append("0" + word + "H")
            else:
                out.append(word)
        else:
            out.append(word)
    return "".join(out)
