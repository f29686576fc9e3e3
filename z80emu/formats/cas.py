"""TRS-80 Model I SYSTEM (machine-language) tapes in the .CAS format: the bytes
the Level II ROM writes at 500 baud, byte-aligned (TRS80-REFERENCE.md 4.4, 4.5).

Layout: leader of 00h bytes, sync A5h, header 55h, a 6-character name, data
blocks ``3C n lo hi data... checksum`` (n = 00h means 256 bytes; the checksum
is the sum of the address and data bytes mod 256) and the entry record
``78 lo hi``.
"""

from __future__ import annotations

from . import FormatError, Program, Segment, merge_segments

SYNC = 0xA5
SYSTEM_HEADER = 0x55
BASIC_HEADER = 0xD3
BLOCK = 0x3C
ENTRY = 0x78
LEADER_LENGTH = 256
BLOCK_SIZE = 256
NAME_LENGTH = 6


def system_name(name: str) -> bytes:
    """The 6-byte tape name: uppercase ASCII, cut or padded with spaces."""
    text = "".join(c for c in name.upper() if 32 < ord(c) < 127)[:NAME_LENGTH]
    return text.ljust(NAME_LENGTH).encode("ascii")


def write_system_cas(
    segments: list[Segment], entry: int, name: str, leader: int = LEADER_LENGTH
) -> bytes:
    """Return a SYSTEM tape image loading ``segments`` under ``name`` and
    starting at ``entry`` (what ``SYSTEM`` then ``/`` runs).

    >>> tape = write_system_cas([Segment(0x7000, b"\\xC9")], 0x7000, "demo")
    >>> tape[256:].hex(" ").upper()
    'A5 55 44 45 4D 4F 20 20 3C 01 00 70 C9 39 78 00 70'
    """
    out = bytearray(leader)
    out += bytes([SYNC, SYSTEM_HEADER]) + system_name(name)
    for seg in segments:
        if seg.address + len(seg.data) > 0x10000:
            raise ValueError(f"segment at {seg.address:04X}h runs past FFFFh")
        for i in range(0, len(seg.data), BLOCK_SIZE):
            chunk = seg.data[i : i + BLOCK_SIZE]
            address = seg.address + i
            lo, hi = address & 0xFF, address >> 8
            out += bytes([BLOCK, len(chunk) & 0xFF, lo, hi]) + chunk
            out.append((lo + hi + sum(chunk)) & 0xFF)
    out += bytes([ENTRY, entry & 0xFF, (entry >> 8) & 0xFF])
    return bytes(out)


def read_system_cas(data: bytes, filename: str = "<cas>") -> Program:
    """Parse the first file on a byte-aligned 500-baud SYSTEM tape image.

    Raises :class:`FormatError` with the offset for a missing sync byte, a
    BASIC tape, a bad block marker, a checksum mismatch or a truncated file.
    """
    pos = 0
    while pos < len(data) and data[pos] == 0x00:
        pos += 1
    if pos >= len(data):
        raise FormatError(
            filename, f"offset 0x{pos:04X}", "no sync byte A5h after the leader (empty tape?)"
        )
    if data[pos] != SYNC:
        raise FormatError(
            filename,
            f"offset 0x{pos:04X}",
            f"expected sync byte A5h after the 00h leader, found {data[pos]:02X}h "
            "(not a byte-aligned 500-baud tape?)",
        )
    pos += 1

    def need(count: int, what: str) -> bytes:
        if pos + count > len(data):
            raise FormatError(
                filename,
                f"offset 0x{pos:04X}",
                f"file ends inside {what} (needs {count} bytes, {len(data) - pos} left)",
            )
        return data[pos : pos + count]

    header = need(1, "the header")[0]
    if header == BASIC_HEADER:
        raise FormatError(
            filename,
            f"offset 0x{pos:04X}",
            "this is a BASIC program tape (header D3h), not a SYSTEM tape (header 55h)",
        )
    if header != SYSTEM_HEADER:
        raise FormatError(
            filename, f"offset 0x{pos:04X}", f"expected SYSTEM header 55h, found {header:02X}h"
        )
    pos += 1
    name = need(NAME_LENGTH, "the file name").decode("ascii", "replace").rstrip()
    pos += NAME_LENGTH
    segments: list[Segment] = []
    while True:
        marker = need(1, "a block marker")[0]
        if marker == ENTRY:
            pos += 1
            lo, hi = need(2, "the entry address")
            return Program(merge_segments(segments), lo | (hi << 8), name)
        if marker != BLOCK:
            raise FormatError(
                filename,
                f"offset 0x{pos:04X}",
                f"expected data block 3Ch or entry record 78h, found {marker:02X}h",
            )
        start = pos
        pos += 1
        count, lo, hi = need(3, "a block header")
        count = count or 256
        pos += 3
        chunk = need(count, "a data block")
        pos += count
        checksum = need(1, "a block checksum")[0]
        expected = (lo + hi + sum(chunk)) & 0xFF
        if checksum != expected:
            raise FormatError(
                filename,
                f"offset 0x{start:04X}",
                f"checksum error in block at {lo | (hi << 8):04X}h "
                f"(stored {checksum:02X}h, computed {expected:02X}h)",
            )
        pos += 1
        address = lo | (hi << 8)
        if address + count > 0x10000:
            raise FormatError(
                filename, f"offset 0x{start:04X}", f"block at {address:04X}h runs past FFFFh"
            )
        segments.append(Segment(address, bytes(chunk)))
