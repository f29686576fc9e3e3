"""BASIC loaders for machine code: the listing a magazine reader typed in to get a
routine into memory from Level II BASIC.

The program holds the bytes as DATA lines of decimal numbers followed by their
sum. It first reads every byte and checks the sum (so a typing mistake pokes
nothing), then RESTOREs and POKEs the bytes, and with ``usr`` stores the
routine's address in the USR vector at 408Eh-408Fh (16526/16527), after which
``X=USR(0)`` calls it. Level II has no DEFUSR (that is Disk BASIC), so the vector
is POKEd, as TRS80-REFERENCE.md §6.5 describes; Level II also has no ``&H``
numbers, and POKE takes addresses above 32767 as negative numbers (address -
65536), which the loop does. Code above 4000h must be protected from BASIC by
answering MEMORY SIZE? with an address below it: the loader checks MEMSIZ
(40B1h-40B2h) and says what to answer.

Every line is uppercase and at most 64 characters, one screen line, so it can be
typed as printed.

>>> print(basic_loader(bytes([0x3E, 0x41, 0x32, 0x00, 0x3C, 0xC9]), 0x7F00, usr=0x7F00), end="")
10 REM LOAD 7F00H-7F05H (6 BYTES), CALL WITH X=USR(0)
20 REM ANSWER MEMORY SIZE? WITH 32511 OR LESS
30 S=32512:E=32517:T=0
40 M=PEEK(16561)+256*PEEK(16562)
50 IF M>=S THEN PRINT "ANSWER MEMORY SIZE? WITH 32511":END
60 FOR I=S TO E:READ B:T=T+B:NEXT I
70 READ C:IF C<>T THEN PRINT "DATA ERROR: SUM";T;"NOT";C:END
80 RESTORE:FOR I=S TO E:READ B
90 P=I:IF P>32767 THEN P=P-65536
100 POKE P,B:NEXT I
110 POKE 16526,0:POKE 16527,127
120 PRINT "LOADED. X=USR(0) CALLS 7F00H"
130 END
1000 DATA 62,65,50,0,60,201
1010 DATA 438
"""

from __future__ import annotations

USR_VECTOR = 0x408E  # Level II USR routine address, low byte first (§6.5)
MEMSIZ = 0x40B1  # Level II top of memory (§6.5)
RAM_START = 0x4000
ROM_END = 0x3000
MAX_LINE = 64  # one screen line
BYTES_PER_LINE = 8
DATA_LINE = 1000
LAST_LINE = 65529  # the highest line number Level II accepts


def basic_loader(data: bytes, start: int, usr: int | None = None,
                 bytes_per_line: int = BYTES_PER_LINE) -> str:
    """A Level II BASIC program that POKEs ``data`` at ``start`` and checks it;
    ``usr`` (an address) also sets up ``X=USR(0)`` to call it. Raises ValueError
    for an empty range, one past FFFFh or one that touches the ROM."""
    if not data:
        raise ValueError("nothing to load: the range is empty")
    end = start + len(data) - 1
    if start < 0 or end > 0xFFFF:
        raise ValueError(f"{start:04X}h-{end:X}h runs past FFFFh")
    if start < ROM_END:
        raise ValueError(f"{start:04X}h is in the ROM (0000h-2FFFh): BASIC cannot POKE it")
    if usr is not None and not 0 <= usr <= 0xFFFF:
        raise ValueError(f"USR address {usr:X}h is past FFFFh")
    lines: list[str] = []
    head = f"LOAD {start:04X}H-{end:04X}H ({len(data)} BYTE{'S' if len(data) > 1 else ''})"
    if usr is not None:
        head += ", CALL WITH X=USR(0)"
    lines.append(f"REM {head}")
    if start >= RAM_START:
        protect = start - 1
        lines += [
            f"REM ANSWER MEMORY SIZE? WITH {protect} OR LESS",
            f"S={start}:E={end}:T=0",
            f"M=PEEK({MEMSIZ})+256*PEEK({MEMSIZ + 1})",
            f'IF M>=S THEN PRINT "ANSWER MEMORY SIZE? WITH {protect}":END',
        ]
    else:
        lines.append(f"S={start}:E={end}:T=0")
    lines += [
        "FOR I=S TO E:READ B:T=T+B:NEXT I",
        'READ C:IF C<>T THEN PRINT "DATA ERROR: SUM";T;"NOT";C:END',
        "RESTORE:FOR I=S TO E:READ B",
        "P=I:IF P>32767 THEN P=P-65536",
        "POKE P,B:NEXT I",
    ]
    if usr is not None:
        lines.append(f"POKE {USR_VECTOR},{usr & 0xFF}:POKE {USR_VECTOR + 1},{usr >> 8}")
        lines.append(f'PRINT "LOADED. X=USR(0) CALLS {usr:04X}H"')
    else:
        lines.append('PRINT "LOADED"')
    lines.append("END")
    numbered = [f"{10 * (i + 1)} {text}" for i, text in enumerate(lines)]
    first_data = max(DATA_LINE, 10 * (len(lines) + 1))
    rows = [data[i:i + bytes_per_line] for i in range(0, len(data), bytes_per_line)]
    if first_data + 10 * len(rows) > LAST_LINE:
        raise ValueError(f"{len(data)} bytes need more DATA lines than BASIC can number")
    for i, row in enumerate(rows):
        numbered.append(f"{first_data + 10 * i} DATA " + ",".join(str(b) for b in row))
    numbered.append(f"{first_data + 10 * len(rows)} DATA {sum(data)}")
    for line in numbered:
        if len(line) > MAX_LINE:
            raise ValueError(f"line longer than {MAX_LINE} characters: {line}")
    return "\n".join(numbered) + "\n"
