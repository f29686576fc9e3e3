"""Intel HEX: write a program as ``:LLAAAATT...CC`` records and read one back.

Record types 00 (data), 01 (end of file), 03 and 05 (start address, used as
the entry point) are handled; 02 and 04 (segment/linear base) are accepted
when the base leaves addresses inside the Z80's 64 KB.
"""

from __future__ import annotations

from . import FormatError, Program, Segment, merge_segments

RECORD_DATA = 0x00
RECORD_EOF = 0x01
RECORD_EXT_SEGMENT = 0x02
RECORD_START_SEGMENT = 0x03
RECORD_EXT_LINEAR = 0x04
RECORD_START_LINEAR = 0x05


def _record(kind: int, address: int, body: bytes) -> str:
    raw = bytes([len(body), (address >> 8) & 0xFF, address & 0xFF, kind]) + body
    checksum = (-sum(raw)) & 0xFF
    return ":" + raw.hex().upper() + f"{checksum:02X}"


def write_ihex(segments: list[Segment], entry: int | None = None, width: int = 16) -> str:
    """Return Intel HEX text for ``segments`` (``width`` data bytes a record),
    with a type 03 start record for ``entry`` when given, ending in an EOF record.

    >>> print(write_ihex([Segment(0x8000, bytes([0x3E, 0x41, 0xC9]))], entry=0x8000))
    :038000003E41C935
    :040000030000800079
    :00000001FF
    <BLANKLINE>
    """
    lines = []
    for seg in segments:
        if seg.address + len(seg.data) > 0x10000:
            raise ValueError(f"segment at {seg.address:04X}h runs past FFFFh")
        for i in range(0, len(seg.data), width):
            lines.append(_record(RECORD_DATA, seg.address + i, seg.data[i : i + width]))
    if entry is not None:
        lines.append(
            _record(RECORD_START_SEGMENT, 0, bytes([0, 0, (entry >> 8) & 0xFF, entry & 0xFF]))
        )
    lines.append(_record(RECORD_EOF, 0, b""))
    return "\n".join(lines) + "\n"


def read_ihex(text: str, filename: str = "<hex>") -> Program:
    """Parse Intel HEX text into a :class:`Program` (segments in file order,
    adjacent records joined). Raises :class:`FormatError` naming the line."""
    segments: list[Segment] = []
    entry = None
    base = 0
    seen_eof = False
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        where = f"line {number}"
        if seen_eof:
            raise FormatError(filename, where, "data after the end-of-file record")
        if not line.startswith(":"):
            raise FormatError(filename, where, "expected a record starting with ':'")
        try:
            raw = bytes.fromhex(line[1:])
        except ValueError:
            raise FormatError(filename, where, "expected hexadecimal digits after ':'") from None
        if len(raw) < 5 or len(raw) != raw[0] + 5:
            raise FormatError(
                filename, where, f"record length does not match its count byte ({len(raw)} bytes)"
            )
        if sum(raw) & 0xFF:
            raise FormatError(
                filename,
                where,
                f"checksum mismatch (record sums to {sum(raw) & 0xFF:02X}h, expected 00h)",
            )
        count, address, kind, body = raw[0], (raw[1] << 8) | raw[2], raw[3], raw[4 : 4 + raw[0]]
        if kind == RECORD_DATA:
            start = base + address
            if start + count > 0x10000:
                raise FormatError(
                    filename, where, f"data at {start:X}h lies outside the 64 KB address space"
                )
            segments.append(Segment(start, bytes(body)))
        elif kind == RECORD_EOF:
            seen_eof = True
        elif kind in (RECORD_EXT_SEGMENT, RECORD_EXT_LINEAR):
            if count != 2:
                raise FormatError(filename, where, "expected a 2-byte base address")
            value = (body[0] << 8) | body[1]
            base = value << 4 if kind == RECORD_EXT_SEGMENT else value << 16
        elif kind in (RECORD_START_SEGMENT, RECORD_START_LINEAR):
            if count != 4:
                raise FormatError(filename, where, "expected a 4-byte start address")
            value = int.from_bytes(body, "big")
            entry = (
                (((value >> 16) << 4) + (value & 0xFFFF)) if kind == RECORD_START_SEGMENT else value
            )
            entry &= 0xFFFF
        else:
            raise FormatError(
                filename, where, f"unknown record type {kind:02X}h (expected 00h-05h)"
            )
    if not seen_eof:
        raise FormatError(filename, "end of file", "missing end-of-file record (:00000001FF)")
    return Program(merge_segments(segments), entry, "")
