"""TRS-80 Model I cassettes: the .CAS tape image (the bytes the Level II ROM
writes at 500 baud, byte-aligned) holding BASIC programs, SYSTEM
(machine-language) files and data, and the pulse timing of the recording.

Facts from TRS80-REFERENCE.md §4.2 (the 500-baud pulses), §4.3 (BASIC tapes:
``D3 D3 D3 name`` then the program image, §6.1), §4.4 (SYSTEM tapes: header
55h, a 6-character name, blocks ``3C n lo hi data... checksum`` where n = 00h
means 256 bytes and the checksum is the sum of the address and data bytes mod
256, then the entry record ``78 lo hi``) and §4.5 (the .CAS file: leader of
00h bytes, sync A5h, payload; several files may follow one another; files
converted from audio may not be byte-aligned).

>>> tape = write_system_cas([Segment(0x7000, b"\\xC9")], 0x7000, "demo")
>>> [(f.kind, f.name, f.program.entry) for f in read_tape(tape).files]
[('system', 'DEMO', 28672)]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import FormatError, Program, Segment, merge_segments
from .basic import TXTTAB_DEFAULT, BasicProgram, read_image

SYNC = 0xA5
SYSTEM_HEADER = 0x55
BASIC_HEADER = 0xD3
BLOCK = 0x3C
ENTRY = 0x78
LEADER_LENGTH = 256  # the ROM writes 255 (0287h); most .CAS files carry 256
BLOCK_SIZE = 256
NAME_LENGTH = 6

# -- the 500-baud recording (§4.2), in T-states of the 1.77408 MHz clock ---------------
PULSE_HALF_T = 227  # each pulse: output high for about 128 us, then low as long
DATA_PULSE_T = 1779  # a 1 bit's data pulse starts about 1.0 ms after its clock pulse
ZERO_CELL_T = 3570  # a 0 bit: clock pulse, then rest until the next clock
ONE_CELL_T = 3557  # a 1 bit: clock pulse, data pulse, next clock
BYTE_GAP_T = 200  # the writer's work between bytes stretches each 8th cell (~113 us)
SYNC_GAP_T = 1774  # extra time after the sync byte, for the reader's "**" (~1 ms)
LEAD_IN_T = 177_408  # 0.1 s of silence before the first pulse on the tape
CLOCK_LIMIT_T = 2218  # a pulse later than 1.25 ms after a clock pulse is a new clock


@dataclass
class Block:
    """One data block of a SYSTEM tape."""

    offset: int  # of its 3Ch marker in the file
    address: int
    data: bytes
    checksum: int  # as stored


@dataclass
class TapeFile:
    """One file found on a tape: a BASIC program, a SYSTEM file or data."""

    kind: str  # "basic", "system" or "data"
    offset: int  # of the first leader byte
    sync: int  # offset of the A5h sync byte
    end: int  # offset just past the file
    name: str = ""
    basic: BasicProgram | None = None
    program: Program | None = None  # SYSTEM files: the blocks merged, and the entry
    blocks: list[Block] = field(default_factory=list)
    payload: bytes = b""  # the bytes after the sync byte

    @property
    def leader(self) -> int:
        """Leader bytes (00h) before the sync byte."""
        return self.sync - self.offset


@dataclass
class Tape:
    """Everything read from a .CAS image."""

    files: list[TapeFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shift: int = 0  # bits the image was shifted by to line the bytes up (0: aligned)
    data: bytes = b""  # the byte-aligned image the offsets refer to


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


def basic_name(name: str) -> int:
    """The one-character name of a BASIC tape (``CSAVE"A"`` stores ``A``)."""
    for c in name.upper():
        if 32 < ord(c) < 127:
            return ord(c)
    return ord("A")


def write_basic_cas(program: BasicProgram, name: str = "", leader: int = LEADER_LENGTH) -> bytes:
    """Return a BASIC tape image as CSAVE writes it: leader, A5h, D3h D3h D3h,
    the name character, the program image (§4.3). ``name`` defaults to the
    program's own name, else ``A``.

    >>> from z80emu.formats.basic import tokenize
    >>> write_basic_cas(tokenize("10 END"), "x")[256:].hex(" ").upper()
    'A5 D3 D3 D3 58 EF 42 0A 00 80 00 00 00'
    """
    out = bytearray(leader)
    out += bytes([SYNC, BASIC_HEADER, BASIC_HEADER, BASIC_HEADER, basic_name(name or program.name)])
    out += program.image(TXTTAB_DEFAULT)
    return bytes(out)


# -- reading ------------------------------------------------------------------------------

def _need(data: bytes, pos: int, count: int, what: str, filename: str) -> bytes:
    if pos + count > len(data):
        raise FormatError(filename, f"offset 0x{pos:04X}",
                          f"file ends inside {what} (needs {count} bytes, "
                          f"{max(0, len(data) - pos)} left)")
    return data[pos : pos + count]


def _read_system(data: bytes, pos: int, filename: str, tapefile: TapeFile) -> int:
    """Parse a SYSTEM file whose 55h header is at ``pos``; returns the end offset."""
    pos += 1
    name = _need(data, pos, NAME_LENGTH, "the file name", filename)
    tapefile.name = name.decode("ascii", "replace").rstrip()
    pos += NAME_LENGTH
    number = 0
    while True:
        marker = _need(data, pos, 1, f"the marker after block {number}" if number
                       else "the first block marker", filename)[0]
        if marker == ENTRY:
            lo, hi = _need(data, pos + 1, 2, "the entry address", filename)
            segments = [Segment(b.address, b.data) for b in tapefile.blocks]
            tapefile.program = Program(merge_segments(segments), lo | (hi << 8), tapefile.name)
            return pos + 3
        number += 1
        if marker != BLOCK:
            raise FormatError(
                filename, f"offset 0x{pos:04X}",
                f"expected data block {number} (3Ch) or the entry record (78h), "
                f"found {marker:02X}h")
        start = pos
        count, lo, hi = _need(data, pos + 1, 3, f"the header of block {number}", filename)
        count = count or 256
        address = lo | (hi << 8)
        chunk = _need(data, pos + 4, count, f"block {number} ({count} bytes at {address:04X}h)",
                      filename)
        checksum = _need(data, pos + 4 + count, 1, f"the checksum of block {number}",
                         filename)[0]
        expected = (lo + hi + sum(chunk)) & 0xFF
        if checksum != expected:
            raise FormatError(
                filename, f"offset 0x{start:04X}",
                f"bad checksum in block {number} ({count} bytes at {address:04X}h): "
                f"stored {checksum:02X}h, computed {expected:02X}h")
        if address + count > 0x10000:
            raise FormatError(filename, f"offset 0x{start:04X}",
                              f"block {number} at {address:04X}h runs past FFFFh")
        tapefile.blocks.append(Block(start, address, bytes(chunk), checksum))
        pos += 5 + count


def _read_basic(data: bytes, pos: int, filename: str, tapefile: TapeFile) -> int:
    """Parse a BASIC file whose first D3h is at ``pos``; returns the end offset."""
    head = _need(data, pos, 4, "the BASIC header (D3h D3h D3h and a name)", filename)
    if head[:3] != bytes([BASIC_HEADER] * 3):
        raise FormatError(filename, f"offset 0x{pos:04X}",
                          f"a BASIC tape starts D3h D3h D3h, found {head[:3].hex(' ').upper()}")
    tapefile.name = chr(head[3]) if 32 < head[3] < 127 else f"\\x{head[3]:02X}"
    program, end = read_image(data, filename, pos + 4)
    program.name = tapefile.name
    tapefile.basic = program
    return end


def _aligned(data: bytes) -> tuple[bytes, int]:
    """The image shifted so that a leader and sync byte line up (§4.5: tapes
    converted from audio may not be byte-aligned); shift 0 if already aligned."""
    if data.lstrip(b"\x00")[:1] == bytes([SYNC]) or not data:
        return data, 0
    import numpy as np

    bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8))
    mark = b"\x00\x00\x00" + bytes([SYNC])
    for shift in range(1, 8):
        shifted = np.packbits(bits[shift:]).tobytes()
        if mark in shifted:
            return shifted, shift
    return data, 0


def read_tape(data: bytes, filename: str = "<cas>") -> Tape:
    """Read every file on a .CAS image.

    Raises :class:`FormatError` naming the offset and the fault for a tape with
    no sync byte, a bad block, a bad checksum (``bad checksum in block 7``), a
    BASIC image with a broken link, or a file cut short. Bytes after the last
    file that are not a new leader are reported in :attr:`Tape.warnings`.
    """
    data, shift = _aligned(bytes(data))
    tape = Tape(shift=shift, data=data)
    if shift:
        tape.warnings.append(f"the bytes are not aligned on the tape: read shifted by {shift} "
                             "bits (offsets refer to the shifted image)")
    pos = 0
    n = len(data)
    while True:
        start = pos
        while pos < n and data[pos] == 0x00:
            pos += 1
        if pos >= n:
            break
        if data[pos] != SYNC:
            if not tape.files:
                raise FormatError(
                    filename, f"offset 0x{pos:04X}",
                    f"expected the sync byte A5h after the 00h leader, found {data[pos]:02X}h "
                    "(not a 500-baud Level II tape?)")
            tape.warnings.append(f"offset 0x{pos:04X}: {n - pos} bytes after the last file "
                                 "are not a tape file (no leader and A5h sync); ignored")
            break
        tapefile = TapeFile("data", start, pos, pos)
        header = data[pos + 1] if pos + 1 < n else None
        if header is None:
            raise FormatError(filename, f"offset 0x{pos + 1:04X}",
                              "file ends after the sync byte (no header)")
        if header == SYSTEM_HEADER:
            tapefile.kind = "system"
            end = _read_system(data, pos + 1, filename, tapefile)
        elif header == BASIC_HEADER:
            tapefile.kind = "basic"
            end = _read_basic(data, pos + 1, filename, tapefile)
        else:  # PRINT #-1 data: text up to the next leader
            zero = data.find(b"\x00", pos + 1)
            end = n if zero < 0 else zero
        tapefile.end = end
        tapefile.payload = bytes(data[pos + 1 : end])
        tape.files.append(tapefile)
        pos = end
    if not tape.files:
        raise FormatError(filename, f"offset 0x{pos:04X}",
                          "no sync byte A5h after the leader (empty tape?)")
    return tape


def read_system_cas(data: bytes, filename: str = "<cas>") -> Program:
    """Parse the first file on a byte-aligned 500-baud SYSTEM tape image.

    Raises :class:`FormatError` with the offset for a missing sync byte, a
    BASIC tape, a bad block marker, a checksum mismatch or a truncated file.
    """
    first = read_tape(data, filename).files[0]
    if first.kind == "basic":
        raise FormatError(
            filename, f"offset 0x{first.sync + 1:04X}",
            "this is a BASIC program tape (header D3h), not a SYSTEM tape (header 55h)")
    if first.kind != "system":
        raise FormatError(
            filename, f"offset 0x{first.sync + 1:04X}",
            f"expected SYSTEM header 55h, found {first.payload[:1].hex().upper() or 'nothing'}h")
    assert first.program is not None
    return first.program


def read_basic_cas(data: bytes, filename: str = "<cas>") -> BasicProgram:
    """The first BASIC program on a tape image (FormatError if it holds none)."""
    tape = read_tape(data, filename)
    for tapefile in tape.files:
        if tapefile.basic is not None:
            return tapefile.basic
    raise FormatError(filename, "", "no BASIC program on this tape (only "
                      + ", ".join(f.kind for f in tape.files) + " files)")


# -- the pulse train ----------------------------------------------------------------------

def pulse_times(data: bytes):
    """Start times (T-states, int64 numpy array) of every pulse that playing the
    tape image ``data`` produces, counted from the first bit, and the length of
    the recording in T-states: one clock pulse per bit cell, a data pulse for a
    1, the bytes most significant bit first (§4.2), each 8th cell stretched by
    the writer's time between bytes and the cell after a sync byte by the
    reader's time to show ``**``.

    >>> times, length = pulse_times(bytes([0x80]))
    >>> times.tolist(), length
    ([0, 1779, 3557, 7127, 10697, 14267, 17837, 21407, 24977], 28747)
    """
    import numpy as np

    raw = np.frombuffer(bytes(data), dtype=np.uint8)
    bits = np.unpackbits(raw).astype(bool)
    cells = np.where(bits, ONE_CELL_T, ZERO_CELL_T).astype(np.int64)
    if len(cells):
        cells[7::8] += BYTE_GAP_T
        # a sync byte: A5h after at least 8 leader bytes of 00h
        sync = np.flatnonzero(raw == SYNC)
        for i in sync:
            if i >= 8 and not raw[i - 8 : i].any():
                cells[i * 8 + 7] += SYNC_GAP_T
    clocks = np.concatenate(([0], np.cumsum(cells)[:-1])) if len(cells) else cells
    datas = clocks[bits] + DATA_PULSE_T
    times = np.sort(np.concatenate((clocks, datas)))
    return times, int(cells.sum()) if len(cells) else 0


class PulseDecoder:
    """Pulses written to the cassette output back into bytes, as xtrs records:
    a pulse more than 1.25 ms after a clock pulse is the next clock (the bit
    was 0), an earlier one is a data pulse (the bit is 1) (§4.5).

    >>> d = PulseDecoder()
    >>> for t in pulse_times(b"\\x00\\xA5")[0]: d.pulse(int(t))
    >>> d.finish(); d.take()
    b'\\x00\\xa5'
    """

    def __init__(self) -> None:
        self.bits: list[int] = []
        self._clock: int | None = None

    def pulse(self, t: int) -> None:
        """A pulse started at T-state ``t``."""
        clock = self._clock
        if clock is None:
            self._clock = t
        elif t - clock < CLOCK_LIMIT_T:
            self.bits.append(1)
            self._clock = None
        else:
            self.bits.append(0)
            self._clock = t

    def finish(self) -> None:
        """The recording stopped: a clock pulse with no data pulse was a 0."""
        if self._clock is not None:
            self.bits.append(0)
            self._clock = None

    def get_state(self) -> dict:
        """The bits not yet taken and a clock pulse still waiting (save states)."""
        return {"bits": "".join(map(str, self.bits)), "clock": self._clock}

    def set_state(self, state: dict) -> None:
        bits = str(state["bits"])
        if bits.strip("01"):
            raise ValueError("the recorded bits must be 0s and 1s")
        clock = state["clock"]
        self.bits = [int(bit) for bit in bits]
        self._clock = None if clock is None else int(clock)

    def take(self) -> bytes:
        """The whole bytes decoded so far (a partial last byte is kept back)."""
        whole = len(self.bits) // 8 * 8
        out = bytearray()
        for i in range(0, whole, 8):
            value = 0
            for bit in self.bits[i : i + 8]:
                value = (value << 1) | bit
            out.append(value)
        del self.bits[:whole]
        return bytes(out)
