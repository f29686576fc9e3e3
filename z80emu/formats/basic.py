"""Level II BASIC programs: the tokenizer (what Level II's CRUNCH does to a typed
line), the detokenizer (what LIST prints), the program image in memory and the
disk ``.BAS`` file.

Facts: TRS80-REFERENCE.md §6.1 (layout), §6.2 (disk file), §6.3 (the token
table, kept here once as :data:`TOKENS`); the behaviour of the ROM routines
read in the reconstructed Level II source (``MDL1LEV2.Z80``): the line entry
at 1A76h-1A98h, LINGET 1E5Ah, CRUNCH 1BC0h-1C8Fh, LINKER 1AF8h, LIST 2B2Eh and
its detokenizer BUFLIN 2B7Eh, the keyboard line input at 0361h.

What CRUNCH does, and so what :func:`tokenize` does:

* Spaces before the line number are skipped, spaces between its digits too
  (``1 0`` is line 10); after the number exactly one space is dropped, every
  other space is kept as typed. LIST prints the number, one space, the text.
* Keywords are looked up in token order and the first one that matches wins;
  the table is ordered so that this is the longest match (INPUT before INP,
  ERROR before ERR, DEFINT before DEF). Level II does not look for word
  boundaries, so a keyword inside a name is a keyword: ``FORT=1TO9`` is
  FOR T=1 TO 9 and ``SCORE`` is stored as S C OR E (it lists unchanged).
  Between the letters of GOTO spaces are skipped (``GO TO`` becomes GOTO).
* Text between quotes, after REM and after DATA (up to the next colon outside
  quotes) is stored as typed. Elsewhere lowercase letters become uppercase,
  ``?`` becomes PRINT, ELSE is stored as 3Ah 95h and ``'`` as 3Ah 93h FBh
  (colon, REM, FBh), with the rest of the line after it stored as typed.
* Digits, ``:`` and ``;`` are stored as typed (numbers are ASCII, §6.1).
* A line with a number and nothing else deletes that line; a later line with
  the same number replaces the earlier one, as when typing. Line numbers run
  0-65529 (LINGET refuses 65530 and above).
* A line must fit the 255-byte input buffer, and its tokenized text in 255
  bytes (CRUNCH counts it in one byte). Level II's keyboard input stops at 240
  characters, so longer lines come only from files.

The listing text uses the codes of the Model I character set for 20h-7Eh,
except that the up arrow (5Bh, the exponent operator) is written ``^`` (``[``
and ``↑`` are read as the up arrow too; the machine's ``type()`` also types
``^`` as the up-arrow key). A byte that has no plain character (control codes,
5Ch, 5Eh, 7Fh, and 80h-FFh inside strings, REM and DATA) is written ``\\xHH``.

LIST expands every byte from 80h up as a keyword, even inside quotes, so a
program with graphics characters in its strings lists with keywords in them;
:func:`list_line` writes those bytes as ``\\xHH`` so that the listing reads back
to the same bytes, unless asked for ``faithful=True`` output, which is exactly
what LIST shows.

>>> program = tokenize('10 FORT=1TO9:PRINT"hi";T\\n20 IF T THEN 10 ELSE END')
>>> program.lines[0].text.hex(" ").upper()
'81 54 D5 31 BD 39 3A B2 22 68 69 22 3B 54'
>>> print(listing(program), end="")
10 FORT=1TO9:PRINT"hi";T
20 IF T THEN 10 ELSE END
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import FormatError

# The Level II keywords in token order, 80h upwards, spelled as the ROM's
# keyword list at 1650h spells them (§6.3). D1h is the up arrow, code 5Bh.
TOKENS: tuple[str, ...] = (
    "END", "FOR", "RESET", "SET", "CLS", "CMD", "RANDOM", "NEXT",            # 80
    "DATA", "INPUT", "DIM", "READ", "LET", "GOTO", "RUN", "IF",              # 88
    "RESTORE", "GOSUB", "RETURN", "REM", "STOP", "ELSE", "TRON", "TROFF",    # 90
    "DEFSTR", "DEFINT", "DEFSNG", "DEFDBL", "LINE", "EDIT", "ERROR", "RESUME",  # 98
    "OUT", "ON", "OPEN", "FIELD", "GET", "PUT", "CLOSE", "LOAD",             # A0
    "MERGE", "NAME", "KILL", "LSET", "RSET", "SAVE", "SYSTEM", "LPRINT",     # A8
    "DEF", "POKE", "PRINT", "CONT", "LIST", "LLIST", "DELETE", "AUTO",       # B0
    "CLEAR", "CLOAD", "CSAVE", "NEW", "TAB(", "TO", "FN", "USING",           # B8
    "VARPTR", "USR", "ERL", "ERR", "STRING$", "INSTR", "POINT", "TIME$",     # C0
    "MEM", "INKEY$", "THEN", "NOT", "STEP", "+", "-", "*",                   # C8
    "/", "[", "AND", "OR", ">", "=", "<", "SGN",                             # D0
    "INT", "ABS", "FRE", "INP", "POS", "SQR", "RND", "LOG",                  # D8
    "EXP", "COS", "SIN", "TAN", "ATN", "PEEK", "CVI", "CVS",                 # E0
    "CVD", "EOF", "LOC", "LOF", "MKI$", "MKS$", "MKD$", "CINT",              # E8
    "CSNG", "CDBL", "FIX", "LEN", "STR$", "VAL", "ASC", "CHR$",              # F0
    "LEFT$", "RIGHT$", "MID$", "'",                                          # F8
)
FIRST_TOKEN = 0x80
LAST_TOKEN = FIRST_TOKEN + len(TOKENS) - 1  # FBh

# Token values by keyword, and the tokens the tokenizer and lister treat specially.
TOKEN: dict[str, int] = {word: FIRST_TOKEN + i for i, word in enumerate(TOKENS)}
DATA = TOKEN["DATA"]
GOTO = TOKEN["GOTO"]
REM = TOKEN["REM"]
ELSE = TOKEN["ELSE"]
PRINT = TOKEN["PRINT"]
APOSTROPHE = TOKEN["'"]

COLON = 0x3A
QUOTE = 0x22
SPACE = 0x20
UP_ARROW = 0x5B
# CHRGTR (RST 10h, 1D78h) skips spaces, tabs and line feeds.
SKIPPED = (0x20, 0x09, 0x0A)

TXTTAB = 0x40A4  # pointer to the program's first line (§6.5)
VARTAB = 0x40F9  # end of the program + 1 = simple variables
ARYTAB = 0x40FB  # arrays
STREND = 0x40FD  # end of arrays = free memory
DATPTR = 0x40FF  # READ's DATA pointer (RESTORE sets it to TXTTAB - 1)
OLDTXT = 0x40F7  # where CONT continues (0: "can't continue")
MEMSIZ = 0x40B1  # top of memory
TXTTAB_DEFAULT = 0x42E9  # a Level II machine without a DOS (§6.1)

MAX_LINE_NUMBER = 65529
INPUT_BUFFER = 255  # bytes a typed line may take, line number included
KEYBOARD_LINE = 240  # characters the keyboard line input (0361h) accepts
MAX_TEXT = 255  # tokenized bytes CRUNCH can count in its one-byte counter
DISK_HEADER = 0xFF  # first byte of a tokenized disk .BAS file (§6.2)


def _keyword_index() -> dict[int, list[tuple[int, bytes]]]:
    """Keywords by first character, in token order (the ROM scans in that order)."""
    index: dict[int, list[tuple[int, bytes]]] = {}
    for i, word in enumerate(TOKENS):
        raw = word.encode("ascii")
        index.setdefault(raw[0], []).append((FIRST_TOKEN + i, raw[1:]))
    return index


_BY_FIRST = _keyword_index()


# -- listing text <-> Model I codes -------------------------------------------------

_HEX = "0123456789abcdefABCDEF"


def char_text(code: int) -> str:
    """How one Model I code is written in a listing.

    >>> char_text(0x41), char_text(0x5B), char_text(0x80), char_text(0x0D)
    ('A', '^', '\\\\x80', '\\\\x0D')
    """
    if code == UP_ARROW:
        return "^"
    if 0x20 <= code < 0x7F and code not in (0x5C, 0x5E):
        return chr(code)
    return f"\\x{code:02X}"


def keyword_text(token: int) -> str:
    """The keyword a token lists as, in listing text (D1h is ``^``).

    >>> keyword_text(0x81), keyword_text(0xD1), keyword_text(0xFB)
    ('FOR', '^', "'")
    """
    return "".join(char_text(c) for c in TOKENS[token - FIRST_TOKEN].encode("ascii"))


def encode_text(text: str) -> bytes:
    """Listing text to the codes a typist would produce: ``^``, ``[`` and ``↑``
    are the up arrow, ``\\xHH`` any byte. Raises ValueError for a character the
    Model I cannot store.

    >>> encode_text("A^2 \\\\x80").hex(" ").upper()
    '41 5B 32 20 80'
    """
    out = bytearray()
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if (ch == "\\" and i + 3 < n and text[i + 1] in "xX"
                and text[i + 2] in _HEX and text[i + 3] in _HEX):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
            continue
        if ch in "^↑":
            out.append(UP_ARROW)
        elif " " <= ch <= "~":
            out.append(ord(ch))
        elif ch == "\t":
            raise ValueError("a tab cannot be typed on the Model I (write spaces, or \\x09)")
        else:
            raise ValueError(f"character {ch!r} has no Model I code (write \\xHH for a byte)")
        i += 1
    return bytes(out)


# -- the program ----------------------------------------------------------------------

@dataclass
class Line:
    """One program line: its number and its tokenized text (no link, no 00h)."""

    number: int
    text: bytes


@dataclass
class BasicProgram:
    """A tokenized Level II program: its lines in order, and the one-character
    name a cassette copy carries (``CSAVE"A"``)."""

    lines: list[Line] = field(default_factory=list)
    name: str = ""

    def image(self, address: int = TXTTAB_DEFAULT) -> bytes:
        """The program as it lies in memory from ``address`` (TXTTAB): each line
        ``link, number, text, 00h``, then the 00h 00h end link (§6.1)."""
        out = bytearray()
        for line in self.lines:
            link = address + len(out) + 5 + len(line.text)
            if link > 0xFFFF:
                raise ValueError(f"the program does not fit below FFFFh from {address:04X}h")
            out += link.to_bytes(2, "little") + line.number.to_bytes(2, "little")
            out += line.text + b"\x00"
        out += b"\x00\x00"
        return bytes(out)

    def listing(self, faithful: bool = False) -> str:
        """The program listed, one line per text line (see :func:`listing`)."""
        return listing(self, faithful)

    @property
    def size(self) -> int:
        """Bytes the program takes in memory (VARTAB - TXTTAB)."""
        return sum(len(line.text) + 5 for line in self.lines) + 2


# -- CRUNCH -----------------------------------------------------------------------------

def _match(buf: bytearray, i: int, first: int) -> tuple[int | None, int]:
    """The first keyword in token order that the text at ``i`` spells, and the
    position after it (CRUNCH's table scan, 1BF5h-1C3Ch)."""
    n = len(buf)
    for token, rest in _BY_FIRST.get(first, ()):
        j = i + 1
        for want in rest:
            if token == GOTO:  # "GO TO": spaces between its letters are skipped
                while j < n and buf[j] in SKIPPED:
                    j += 1
            got = buf[j] if j < n else 0
            if got >= 0x61:  # later letters are compared in uppercase
                got &= 0x5F
            if got != want:
                break
            j += 1
        else:
            return token, j
    return None, i


def crunch(typed: bytes) -> bytes:
    """Tokenize the text of a line (what follows the line number) as CRUNCH does.

    >>> crunch(b'a=1 ELSE b$="ok" \\'note').hex(" ").upper()
    '41 D5 31 20 3A 95 20 42 24 D5 22 6F 6B 22 20 3A 93 FB 6E 6F 74 65'
    """
    buf = bytearray(typed)
    out = bytearray()
    n = len(buf)
    i = 0
    in_data = False
    while i < n:
        ch = buf[i]
        if ch == SPACE:
            out.append(ch)
            i += 1
            continue
        if ch == QUOTE:  # a string is copied up to its closing quote or the end
            close = buf.find(b'"', i + 1)
            end = n if close < 0 else close + 1
            out += buf[i:end]
            i = end
            continue
        if in_data:  # DATA items are copied as typed up to a colon
            out.append(ch)
            i += 1
            in_data = ch != COLON
            continue
        if ch == 0x3F:  # "?" is PRINT
            out.append(PRINT)
            i += 1
            continue
        if 0x30 <= ch < 0x3C:  # digits, ":" and ";" are never keywords
            out.append(ch)
            i += 1
            continue
        if ch >= 0x80:
            raise ValueError(f"byte {ch:02X}h outside a string, REM or DATA "
                             "(Level II would take it for a keyword)")
        if 0x61 <= ch <= 0x7A:
            ch -= 0x20
            buf[i] = ch
        token, j = _match(buf, i, ch)
        if token is None:
            out.append(ch)
            i += 1
            continue
        i = j
        if token == ELSE:
            out += bytes([COLON, ELSE])
        elif token == APOSTROPHE:
            out += bytes([COLON, REM, APOSTROPHE]) + buf[i:]
            break
        else:
            out.append(token)
            if token == DATA:
                in_data = True
            elif token == REM:
                out += buf[i:]
                break
    return bytes(out)


def parse_line(text: str) -> tuple[int, bytes] | None:
    """A listing line as typed at the READY prompt: ``(number, tokenized text)``,
    or None for a blank line. An empty text means "delete this line". Raises
    ValueError naming the fault (no number, number too big, line too long)."""
    buf = encode_text(text.rstrip("\r\n"))
    if len(buf) > INPUT_BUFFER:
        raise ValueError(f"the line is {len(buf)} characters long; "
                         f"Level II's input buffer holds {INPUT_BUFFER}")
    n = len(buf)
    i = 0
    while i < n and buf[i] in SKIPPED:
        i += 1
    if i == n:
        return None
    if not 0x30 <= buf[i] <= 0x39:
        raise ValueError("no line number (a line without one is a direct command)")
    number = 0
    after = i
    while i < n and 0x30 <= buf[i] <= 0x39:  # LINGET: digits, spaces between them skipped
        number = number * 10 + buf[i] - 0x30
        i += 1
        after = i
        while i < n and buf[i] in SKIPPED:
            i += 1
    if number > MAX_LINE_NUMBER:
        raise ValueError(f"line number {number} is above {MAX_LINE_NUMBER}")
    if after < n and buf[after] == SPACE:  # one space after the number is dropped
        after += 1
    tokens = crunch(bytes(buf[after:]))
    if all(b in SKIPPED for b in tokens):
        return number, b""
    if len(tokens) > MAX_TEXT:
        raise ValueError(f"the line tokenizes to {len(tokens)} bytes; "
                         f"Level II stores at most {MAX_TEXT}")
    return number, tokens


def tokenize(text: str, filename: str = "<listing>", name: str = "") -> BasicProgram:
    """Tokenize a listing as if each line were typed at the READY prompt.

    Raises :class:`FormatError` naming the line of the listing that Level II
    could not store.
    """
    lines: dict[int, bytes] = {}
    for index, raw in enumerate(text.splitlines(), 1):
        try:
            parsed = parse_line(raw)
        except ValueError as exc:
            raise FormatError(filename, f"line {index}", str(exc)) from None
        if parsed is None:
            continue
        number, tokens = parsed
        if tokens:
            lines[number] = tokens
        else:
            lines.pop(number, None)
    return BasicProgram([Line(k, lines[k]) for k in sorted(lines)], name)


# -- LIST -------------------------------------------------------------------------------

def list_line(line: Line, faithful: bool = False) -> str:
    """One line as LIST prints it: the number, a space, the text with the
    tokens spelled out (ELSE without its colon, ``'`` for 3Ah 93h FBh).

    Bytes of 80h and up inside strings, REM and DATA are written ``\\xHH``
    unless ``faithful``, which spells them as keywords as LIST does.

    >>> list_line(Line(5, bytes([0xB2, 0x22, 0x80, 0x22, 0x3A, 0x93, 0xFB, 0x58])))
    '5 PRINT"\\\\x80"\\'X'
    >>> list_line(Line(5, bytes([0xB2, 0x22, 0x80, 0x22])), faithful=True)
    '5 PRINT"END"'
    """
    out: list[str] = []
    text = line.text
    in_string = False
    mode = "code"  # "code", "data" (to the next colon) or "rem" (to the end)
    previous = -1
    after_rem = False  # the byte after a REM token: FBh there is the apostrophe
    for b in text:
        literal = (in_string or mode != "code") and not (after_rem and b == APOSTROPHE)
        after_rem = False
        if b < FIRST_TOKEN or (literal and not faithful) or b > LAST_TOKEN:
            if b > LAST_TOKEN and faithful and not literal and b == 0xFC:
                break  # LIST ends the line here (its keyword scan meets the 80h end mark)
            out.append(char_text(b))
            if b == QUOTE and mode != "rem":
                in_string = not in_string
            elif b == COLON and mode == "data" and not in_string:
                mode = "code"
        else:
            if b == ELSE:  # BUFLIN backs over the colon stored before ELSE
                if out and (faithful or previous == COLON):
                    out.pop()
            elif b == APOSTROPHE:  # and over ":REM" before the apostrophe
                if faithful or _endswith(out, ":REM"):
                    del out[-4:]
            out.extend(keyword_text(b))
            if not literal:
                if b in (REM, APOSTROPHE):
                    mode = "rem"
                    after_rem = b == REM
                elif b == DATA:
                    mode = "data"
        previous = b
    return f"{line.number} " + "".join(out)


def _endswith(chars: list[str], suffix: str) -> bool:
    return len(chars) >= len(suffix) and "".join(chars[-len(suffix):]) == suffix


def listing(program: BasicProgram, faithful: bool = False) -> str:
    """The whole program as LIST prints it, each line ending in a newline."""
    return "".join(list_line(line, faithful) + "\n" for line in program.lines)


# -- the image in memory and the disk file ----------------------------------------------

def read_image(data: bytes, filename: str = "<bas>", start: int = 0,
               base: int | None = None) -> tuple[BasicProgram, int]:
    """Read a program image (§6.1) from ``data[start:]``: returns the program and
    the offset just past its 00h 00h end link.

    Lines are found by their 00h ends, as Level II's LINKER finds them; the
    links must then chain the lines, each pointing where the next line starts,
    from the address the image was saved at (``base``; by default the address
    most links agree on). A link pointing elsewhere, a line without its 00h, or
    a file that ends before the end link raises :class:`FormatError` with the
    offset.
    """
    pos = start
    n = len(data)
    found: list[tuple[int, int, int, int]] = []  # (offset, link, number, end)
    while True:
        where = f"offset 0x{pos:04X}"
        after = f" after line {found[-1][2]}" if found else ""
        if pos + 2 > n:
            raise FormatError(filename, where, f"file ends before the 00h 00h end-of-program "
                                               f"link{after} (truncated?)")
        link = data[pos] | (data[pos + 1] << 8)
        if link == 0:
            break
        if pos + 4 > n:
            raise FormatError(filename, where, f"file ends inside a line header{after}")
        number = data[pos + 2] | (data[pos + 3] << 8)
        end = data.find(b"\x00", pos + 4)
        if end < 0:
            raise FormatError(filename, where, f"line {number} has no end-of-line 00h "
                                               "before the end of the file (truncated?)")
        found.append((pos, link, number, end))
        pos = end + 1
    size = pos + 2 - start
    if found and base is None:
        votes: dict[int, int] = {}
        for _, link, _, end in found:
            candidate = link - (end + 1 - start)
            votes[candidate] = votes.get(candidate, 0) + 1
        best = max(votes.values())
        ties = [b for b in votes if votes[b] == best]
        base = TXTTAB_DEFAULT if TXTTAB_DEFAULT in ties else ties[-1]
    lines: list[Line] = []
    for offset, link, number, end in found:
        expected = base + (end + 1 - start)
        if link != expected:
            inside = base + 5 <= link <= base + size - 2
            fault = "not pointing at the next line" if inside else "pointing outside the file"
            raise FormatError(filename, f"offset 0x{offset:04X}",
                              f"line link {link:04X}h of line {number} {fault} "
                              f"(the program is at {base & 0xFFFF:04X}h-"
                              f"{(base + size - 1) & 0xFFFF:04X}h, the next line at "
                              f"{expected & 0xFFFF:04X}h)")
        lines.append(Line(number, bytes(data[offset + 4:end])))
    return BasicProgram(lines), pos + 2


def write_bas(program: BasicProgram) -> bytes:
    """A tokenized disk ``.BAS`` file: FFh, then the image (§6.2)."""
    return bytes([DISK_HEADER]) + program.image()


def read_bas(data: bytes, filename: str = "<bas>") -> BasicProgram:
    """Read a ``.BAS`` file: tokenized (first byte FFh) or an ASCII listing.

    Trailing bytes after the end link (sector padding) are ignored.
    """
    if not data:
        raise FormatError(filename, "", "empty file")
    if data[0] == DISK_HEADER:
        program, _ = read_image(data, filename, 1)
        return program
    if b"\x00" in data:
        raise FormatError(filename, "offset 0x0000",
                          f"neither a tokenized BASIC file (first byte FFh, found "
                          f"{data[0]:02X}h) nor a text listing")
    text = data.decode("latin-1").replace("\x1a", "").replace("\r\n", "\n").replace("\r", "\n")
    return tokenize(text, filename)


def load_bas(path: str | os.PathLike) -> BasicProgram:
    """Read a ``.BAS`` file (tokenized or listing) from ``path``."""
    with open(path, "rb") as f:
        return read_bas(f.read(), os.fspath(path))
