"""TRS-80 .CMD load modules: load records (type 01h) and the transfer address
record (02h), as described in TRS80-REFERENCE.md section 5.

The writer emits an optional name header (05h), load records of at most 256
data bytes and a transfer record.  The reader applies 01h records, stops at
02h (or 03h), skips the header and comment records, and reports a truncated or
unknown record with its file offset.
"""

from __future__ import annotations

from . import FormatError, Program, Segment, merge_segments

RECORD_LOAD = 0x01
RECORD_TRANSFER = 0x02
RECORD_END = 0x03
RECORD_NAME = 0x05
RECORD_YANKED = 0x10
RECORD_COPYRIGHT = 0x1F
# Record types a loader passes over using their length byte (section 5 table).
SKIPPED_RECORDS = {0x00, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0C, 0x0E, 0x10, 0x1F}

MAX_RECORD_DATA = 256


def write_cmd(segments: list[Segment], entry: int, name: str = "") -> bytes:
    """Return the bytes of a .CMD file loading ``segments`` and starting at ``entry``.

    >>> write_cmd([Segment(0x7000, b"\\xC9")], 0x7000).hex(" ").upper()
    '01 03 00 70 C9 02 02 00 70'
    """
    out = bytearray()
    if name:
        text = name.encode("ascii", "replace")[:255]
        out += bytes([RECORD_NAME, len(text)]) + text
    for seg in segments:
        if seg.address + len(seg.data) > 0x10000:
            raise ValueError(f"segment at {seg.address:04X}h runs past FFFFh")
        for i in range(0, len(seg.data), MAX_RECORD_DATA):
            chunk = seg.data[i : i + MAX_RECORD_DATA]
            address = seg.address + i
            # The length byte counts the two address bytes too, modulo 256.
            out += (
                bytes([RECORD_LOAD, (len(chunk) + 2) & 0xFF, address & 0xFF, address >> 8]) + chunk
            )
    out += bytes([RECORD_TRANSFER, 2, entry & 0xFF, (entry >> 8) & 0xFF])
    return bytes(out)


def read_cmd(data: bytes, filename: str = "<cmd>") -> Program:
    """Parse a .CMD file into a :class:`Program`; ``entry`` is None when the file
    ends with an end record (03h) or runs out without a transfer record."""
    segments: list[Segment] = []
    entry = None
    name = ""
    pos = 0
    while pos < len(data):
        kind = data[pos]
        where = f"offset 0x{pos:04X}"
        if pos + 1 >= len(data):
            raise FormatError(filename, where, f"record type {kind:02X}h without a length byte")
        length = data[pos + 1]
        if kind in (RECORD_LOAD, RECORD_YANKED):
            size = length if length > 2 else length + 256
        elif kind == RECORD_END:
            break
        else:
            size = length or 256
        body = data[pos + 2 : pos + 2 + size]
        if len(body) < size:
            raise FormatError(
                filename,
                where,
                f"record type {kind:02X}h needs {size} bytes, only {len(body)} left in the file",
            )
        if kind == RECORD_LOAD:
            address = body[0] | (body[1] << 8)
            if address + size - 2 > 0x10000:
                raise FormatError(filename, where, f"load record at {address:04X}h runs past FFFFh")
            segments.append(Segment(address, bytes(body[2:])))
        elif kind == RECORD_TRANSFER:
            if size < 2:
                raise FormatError(filename, where, "transfer record needs a 2-byte address")
            entry = body[0] | (body[1] << 8)
            break
        elif kind == RECORD_NAME:
            name = body.decode("ascii", "replace").strip()
        elif kind not in SKIPPED_RECORDS:
            raise FormatError(
                filename,
                where,
                f"unknown record type {kind:02X}h "
                "(expected 01h load, 02h transfer or a header/comment record)",
            )
        pos += 2 + size
    if not segments:
        raise FormatError(filename, "offset 0x0000", "no load records (type 01h) in the file")
    return Program(merge_segments(segments), entry, name)
