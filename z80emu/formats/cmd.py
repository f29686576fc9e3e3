"""TRS-80 .CMD load modules: a sequence of records ``type, length, body``, as
described in TRS80-REFERENCE.md section 5 (from xtrs ``load_cmd.c``, MAME's
quickload and the LDOS Quarterly's description).

A length byte of 00h means 256 body bytes; load blocks (01h, and the "yanked"
10h) count their two address bytes in the length, so 00h, 01h and 02h there
mean 254, 255 and 256 data bytes. The reader knows every record type of the
table: it applies 01h load blocks, stops at the 02h transfer address (trailing
bytes are ignored, as loaders ignore them) or the 03h end record, keeps the
05h module name and 1Fh copyright text, and passes over the ISAM and PDS
records, yanked blocks and 00h skip blocks. An unknown type, or a record cut
short by the end of the file, is reported with its offset.

>>> data = write_cmd([Segment(0x7000, b"\\xC9")], 0x7000, "HI")
>>> [(r.offset, r.kind, r.meaning) for r in read_cmd_records(data)]
[(0, 5, 'module name "HI"'), (4, 1, 'load 1 byte at 7000h-7000h'), (9, 2, 'transfer to 7000h')]
"""

from __future__ import annotations

from dataclasses import dataclass

from . import FormatError, Program, Segment, merge_segments

RECORD_SKIP = 0x00
RECORD_LOAD = 0x01
RECORD_TRANSFER = 0x02
RECORD_END = 0x03
RECORD_ISAM_END = 0x04
RECORD_NAME = 0x05
RECORD_PDS_HEADER = 0x06
RECORD_PATCH_NAME = 0x07
RECORD_ISAM_ENTRY = 0x08
RECORD_ISAM_DIR_END = 0x0A
RECORD_PDS_ENTRY = 0x0C
RECORD_PDS_DIR_END = 0x0E
RECORD_YANKED = 0x10
RECORD_COPYRIGHT = 0x1F

# What each record type is (section 5 table).
RECORD_NAMES: dict[int, str] = {
    RECORD_SKIP: "skip block",
    RECORD_LOAD: "load block",
    RECORD_TRANSFER: "transfer address",
    RECORD_END: "end of file, no transfer address",
    RECORD_ISAM_END: "end of ISAM/PDS member",
    RECORD_NAME: "module name",
    RECORD_PDS_HEADER: "PDS header",
    RECORD_PATCH_NAME: "patch name",
    RECORD_ISAM_ENTRY: "ISAM directory entry",
    RECORD_ISAM_DIR_END: "end of ISAM directory",
    RECORD_PDS_ENTRY: "PDS directory entry",
    RECORD_PDS_DIR_END: "end of PDS directory",
    RECORD_YANKED: "yanked load block",
    RECORD_COPYRIGHT: "copyright",
}
# Record types a loader passes over using their length byte.
SKIPPED_RECORDS = set(RECORD_NAMES) - {RECORD_LOAD, RECORD_TRANSFER, RECORD_END}
TEXT_RECORDS = {RECORD_NAME, RECORD_PDS_HEADER, RECORD_PATCH_NAME, RECORD_COPYRIGHT}

MAX_RECORD_DATA = 256


@dataclass
class Record:
    """One record of a .CMD file."""

    offset: int
    kind: int
    length: int  # the length byte as stored
    body: bytes

    @property
    def address(self) -> int | None:
        """Load address (01h, 10h) or transfer address (02h)."""
        if self.kind in (RECORD_LOAD, RECORD_YANKED, RECORD_TRANSFER) and len(self.body) >= 2:
            return self.body[0] | (self.body[1] << 8)
        return None

    @property
    def meaning(self) -> str:
        """A short description: ``load 254 bytes at 5200h-52FDh``."""
        kind = self.kind
        if kind in (RECORD_LOAD, RECORD_YANKED):
            count = len(self.body) - 2
            verb = "load" if kind == RECORD_LOAD else "yanked (not loaded)"
            plural = "byte" if count == 1 else "bytes"
            return f"{verb} {count} {plural} at {self.address:04X}h-{self.address + count - 1:04X}h"
        if kind == RECORD_TRANSFER:
            return f"transfer to {self.address:04X}h"
        if kind in TEXT_RECORDS:
            text = self.body.decode("ascii", "replace")
            shown = "".join(c if " " <= c <= "~" else "." for c in text).strip()
            return f'{RECORD_NAMES[kind]} "{shown}"'
        return f"{RECORD_NAMES[kind]} ({len(self.body)} bytes)"


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


def read_cmd_records(data: bytes, filename: str = "<cmd>") -> list[Record]:
    """Every record up to the transfer (02h) or end (03h) record, checked.

    Raises :class:`FormatError` naming the offset for an unknown record type, a
    record that runs past the end of the file, a load block past FFFFh, or a
    file with nothing in it.
    """
    records: list[Record] = []
    pos = 0
    n = len(data)
    if not n:
        raise FormatError(filename, "", "empty file")
    while pos < n:
        kind = data[pos]
        where = f"offset 0x{pos:04X}"
        if kind not in RECORD_NAMES:
            raise FormatError(
                filename, where,
                f"record type {kind:02X}h unknown (a .CMD file holds records 01h load, "
                "02h transfer, 03h end, 05h name, 1Fh copyright and the other types of "
                "the table; not a .CMD file, or corrupted?)")
        if kind == RECORD_END:
            length = data[pos + 1] if pos + 1 < n else 0
            records.append(Record(pos, kind, length, bytes(data[pos + 2 : pos + 2 + length])))
            break
        if pos + 1 >= n:
            raise FormatError(filename, where, f"record type {kind:02X}h without a length byte "
                                               "(file truncated?)")
        length = data[pos + 1]
        if kind in (RECORD_LOAD, RECORD_YANKED):
            size = length if length > 2 else length + 256
        else:
            size = length or 256
        body = data[pos + 2 : pos + 2 + size]
        if len(body) < size:
            raise FormatError(
                filename, where,
                f"{RECORD_NAMES[kind]} record (type {kind:02X}h) needs {size} bytes, only "
                f"{len(body)} left in the file (truncated?)")
        record = Record(pos, kind, length, bytes(body))
        if kind in (RECORD_LOAD, RECORD_YANKED):
            address = record.address or 0
            if address + size - 2 > 0x10000:
                raise FormatError(filename, where,
                                  f"load record at {address:04X}h runs past FFFFh")
        elif kind == RECORD_TRANSFER and size < 2:
            raise FormatError(filename, where, "transfer record needs a 2-byte address")
        records.append(record)
        if kind == RECORD_TRANSFER:
            break
        pos += 2 + size
    return records


def read_cmd(data: bytes, filename: str = "<cmd>") -> Program:
    """Parse a .CMD file into a :class:`Program`; ``entry`` is None when the file
    ends with an end record (03h) or runs out without a transfer record."""
    segments: list[Segment] = []
    entry = None
    name = ""
    for record in read_cmd_records(data, filename):
        if record.kind == RECORD_LOAD:
            segments.append(Segment(record.address or 0, record.body[2:]))
        elif record.kind == RECORD_TRANSFER:
            entry = record.address
        elif record.kind == RECORD_NAME and not name:
            name = record.body.decode("ascii", "replace").strip()
    if not segments:
        raise FormatError(filename, "offset 0x0000", "no load records (type 01h) in the file")
    return Program(merge_segments(segments), entry, name)
