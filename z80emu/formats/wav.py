"""Audio of Level II 500-baud tapes: encode a .CAS image into the pulses a
Model I records, and decode a recording (a WAV file) back into a .CAS image.

Facts from TRS80-REFERENCE.md §4.2: each bit cell starts with a clock pulse
(output high about 128 us, then low as long); a 1 has a second, data pulse
about 1.0 ms after the clock pulse; cells last about 2.0 ms; bytes go most
significant bit first. §4.5: a .CAS image is those bits, byte-aligned from the
leader of 00h bytes and the sync byte A5h. The encoder takes its pulse times
from :func:`z80emu.formats.cas.pulse_times`, the same train the emulated tape
deck plays.

The decoder is made for real recordings, whose level, polarity, speed and
noise all vary:

1. the signal is read as mono (the louder channel of a stereo file), its DC
   and rumble removed by subtracting a 2 ms moving average;
2. a filter matched to one pulse (+1 for 128 us, -1 for 128 us) is run over
   it and its magnitude taken, so either polarity gives a peak where a pulse
   starts;
3. a pulse is a peak above half the level of the strongest peaks within
   20 ms (the threshold follows the volume as it drifts) and above a floor of
   a tenth of the level of the whole recording (so silence and hiss give no
   pulses); peaks closer than 0.4 ms are one pulse;
4. the intervals between pulses are read against a running estimate of the
   bit cell, which follows the tape's speed: a pulse a quarter to three
   quarters of a cell after a clock pulse is a data pulse (bit 1), one about a
   cell after is the next clock (bit 0); stray pulses very close to a clock
   pulse are dropped, and a gap of more than three cells ends a burst;
5. in each burst the first A5h after eight or more 0 bits is the sync byte;
   the 0 bits before it, rounded up to whole bytes, are the leader, and the
   whole bytes after it the payload.

>>> from z80emu.formats.cas import write_system_cas
>>> from z80emu.formats import Segment
>>> cas = write_system_cas([Segment(0x7000, b"\\xC9")], 0x7000, "HI")
>>> audio = encode(cas, 22050)
>>> decoded, report = decode(-0.3 * audio, 22050)   # quieter and inverted
>>> decoded == cas, report.files
(True, 1)
"""

from __future__ import annotations

import io
import struct
import wave
from dataclasses import dataclass, field

import numpy as np

from z80emu.devices.timing import CLOCK_HZ

from . import FormatError
from .cas import PULSE_HALF_T, SYNC, ZERO_CELL_T, pulse_times

DEFAULT_RATE = 44100
SILENCE = 0.25  # seconds of silence before and after the pulses
NOMINAL_CELL = ZERO_CELL_T / CLOCK_HZ  # about 2.0 ms

_FORMAT_PCM = 1
_FORMAT_FLOAT = 3
_FORMAT_EXTENSIBLE = 0xFFFE


@dataclass
class DecodeReport:
    """What the decoder found in a recording."""

    rate: int = 0
    seconds: float = 0.0
    channels: int = 1
    pulses: int = 0
    bits: int = 0
    files: int = 0  # bursts with a leader and sync byte
    leaders: list[int] = field(default_factory=list)  # leader bytes of each
    payload: list[int] = field(default_factory=list)  # bytes after each sync byte
    repairs: int = 0  # stray pulses dropped and missing pulses assumed
    cell: float = 0.0  # average bit cell measured, seconds
    warnings: list[str] = field(default_factory=list)

    @property
    def speed(self) -> float:
        """The tape's speed against a Model I's 500 baud (1.03: 3% fast)."""
        return NOMINAL_CELL / self.cell if self.cell else 1.0


# -- WAV files ----------------------------------------------------------------------------

def read_wav(data: bytes, filename: str = "<wav>") -> tuple[np.ndarray, int, int]:
    """The samples of a WAV file as floats in -1..1 (the louder channel of a
    multi-channel file), the sample rate and the number of channels.

    Reads PCM of 8, 16, 24 and 32 bits and IEEE float, plain or "extensible";
    a data chunk cut short is read as far as it goes. Raises
    :class:`FormatError` for anything else.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise FormatError(filename, "offset 0x0000", "not a WAV file (no RIFF/WAVE header)")
    pos = 12
    fmt = None
    raw = None
    while pos + 8 <= len(data):
        chunk, size = data[pos : pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8 : pos + 8 + size]
        if chunk == b"fmt ":
            if len(body) < 16:
                raise FormatError(filename, f"offset 0x{pos:04X}", "fmt chunk too short")
            fmt = struct.unpack_from("<HHIIHH", body)
            if fmt[0] == _FORMAT_EXTENSIBLE and len(body) >= 26:
                fmt = (struct.unpack_from("<H", body, 24)[0],) + fmt[1:]
        elif chunk == b"data":
            raw = body
            break
        pos += 8 + size + (size & 1)
    if fmt is None:
        raise FormatError(filename, "", "no fmt chunk: not a WAV file this reader knows")
    if raw is None:
        raise FormatError(filename, "", "no data chunk (no audio in the file)")
    tag, channels, rate, _, _, bits = fmt
    if channels < 1 or rate < 4000:
        raise FormatError(filename, "", f"{channels} channels at {rate} Hz cannot hold a tape")
    width = bits // 8
    frame = width * channels
    if tag not in (_FORMAT_PCM, _FORMAT_FLOAT) or width not in (1, 2, 3, 4, 8) or \
            (tag == _FORMAT_PCM and width == 8) or (tag == _FORMAT_FLOAT and width not in (4, 8)):
        raise FormatError(filename, "", f"unsupported sample format {tag} with {bits} bits "
                          "(use PCM or float)")
    raw = raw[: len(raw) // frame * frame]
    if tag == _FORMAT_FLOAT:
        x = np.frombuffer(raw, dtype="<f4" if width == 4 else "<f8").astype(np.float64)
    elif width == 1:
        x = (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        x = np.where(v & 0x800000, v - 0x1000000, v).astype(np.float64) / 8388608.0
    else:
        kind = "<i2" if width == 2 else "<i4"
        x = np.frombuffer(raw, dtype=kind).astype(np.float64) / (2.0 ** (8 * width - 1))
    x = x.reshape(-1, channels)
    loudest = int(np.argmax((x * x).sum(axis=0))) if len(x) else 0
    return np.ascontiguousarray(x[:, loudest]), rate, channels


def write_wav(samples: np.ndarray, rate: int = DEFAULT_RATE) -> bytes:
    """A 16-bit mono PCM WAV file of ``samples`` (floats in -1..1)."""
    pcm = np.clip(np.round(np.asarray(samples) * 32767.0), -32768, 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


# -- encoding ---------------------------------------------------------------------------

def encode(cas: bytes, rate: int = DEFAULT_RATE, amplitude: float = 0.5) -> np.ndarray:
    """The audio of playing ``cas``: each pulse up for 128 us then down as long,
    with a quarter second of silence before and after."""
    times, length = pulse_times(cas)
    lead = round(SILENCE * rate)
    total = lead + round(length / CLOCK_HZ * rate) + lead
    out = np.zeros(total, dtype=np.float64)
    half = max(1, round(PULSE_HALF_T / CLOCK_HZ * rate))
    starts = lead + np.round(times / CLOCK_HZ * rate).astype(np.int64)
    span = np.arange(half)
    out[(starts[:, None] + span).ravel()] = amplitude
    out[(starts[:, None] + half + span).ravel()] = -amplitude
    return out


def encode_wav(cas: bytes, rate: int = DEFAULT_RATE) -> bytes:
    """A WAV file of playing ``cas`` (16-bit mono)."""
    return write_wav(encode(cas, rate), rate)


# -- decoding ---------------------------------------------------------------------------

def _moving_average(x: np.ndarray, width: int) -> np.ndarray:
    c = np.concatenate(([0.0], np.cumsum(x)))
    half = width // 2
    lo = np.clip(np.arange(len(x)) - half, 0, len(x))
    hi = np.clip(np.arange(len(x)) + half + 1, 0, len(x))
    return (c[hi] - c[lo]) / (hi - lo)


def find_pulses(x: np.ndarray, rate: int) -> np.ndarray:
    """Times (seconds) where pulses start in the signal ``x`` (steps 1-3 above)."""
    if len(x) < 8:
        return np.zeros(0)
    x = x - _moving_average(x, max(3, round(rate * 0.002)))
    half = max(1, round(PULSE_HALF_T / CLOCK_HZ * rate))
    template = np.concatenate((np.ones(half), -np.ones(half)))
    e = np.abs(np.convolve(x, template[::-1], mode="full")[len(template) - 1:])
    block = max(8, round(rate * 0.005))
    nblocks = -(-len(e) // block)
    padded = np.zeros(nblocks * block)
    padded[: len(e)] = e
    peaks = padded.reshape(nblocks, block).max(axis=1)
    reach = 4  # blocks each side: 20 ms
    wide = np.concatenate((np.zeros(reach), peaks, np.zeros(reach)))
    level = np.lib.stride_tricks.sliding_window_view(wide, 2 * reach + 1).max(axis=1)
    overall = float(np.percentile(peaks, 90))
    if overall <= 0:
        return np.zeros(0)
    threshold = np.repeat(np.maximum(0.5 * level, 0.1 * overall), block)[: len(e)]
    above = e > threshold
    edges = np.diff(above.astype(np.int8), prepend=0, append=0)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if not len(starts):
        return np.zeros(0)
    maxima = np.maximum.reduceat(e, starts)
    # the position of each run's maximum
    positions = []
    for s, t in zip(starts.tolist(), ends.tolist()):
        positions.append(s + int(np.argmax(e[s:t])))
    gap = rate * 0.0004
    kept: list[int] = []
    kept_level: list[float] = []
    for p, m in zip(positions, maxima.tolist()):
        if kept and p - kept[-1] < gap:
            if m > kept_level[-1]:
                kept[-1], kept_level[-1] = p, m
            continue
        kept.append(p)
        kept_level.append(m)
    return np.asarray(kept, dtype=np.float64) / rate


def _first_cell(times: np.ndarray) -> float:
    """A first estimate of the bit cell: most intervals are a whole cell (0 bits,
    the leader) or half of one (1 bits); the two groups are a factor 2 apart."""
    d = np.diff(times)
    whole = d[(d > 0.75 * NOMINAL_CELL) & (d < 1.6 * NOMINAL_CELL)]
    if len(whole):
        return float(np.median(whole))
    halves = d[(d > 0.3 * NOMINAL_CELL) & (d <= 0.75 * NOMINAL_CELL)]
    return float(2 * np.median(halves)) if len(halves) else NOMINAL_CELL


def pulses_to_bits(times: np.ndarray, report: DecodeReport) -> list[list[int]]:
    """Bursts of bits from pulse times (step 4 above)."""
    bursts: list[list[int]] = []
    if len(times) == 0:
        return bursts
    t = times.tolist()
    m = len(t)
    cell = _first_cell(times)
    cells: list[float] = []
    bits: list[int] = []
    k = 0  # the clock pulse of the current bit cell
    while k < m:
        now = t[k]
        j = k + 1
        while j < m and t[j] - now < 0.25 * cell:  # a stray pulse on the clock pulse
            j += 1
            report.repairs += 1
        d1 = t[j] - now if j < m else float("inf")
        if d1 > 3 * cell:  # end of a burst
            bits.append(0)
            bursts.append(bits)
            bits = []
            k = j
            continue
        if d1 < 0.75 * cell:  # a data pulse: bit 1; the next clock about a cell on
            bits.append(1)
            n = j + 1
            while n < m and t[n] - now < 0.75 * cell:
                n += 1
                report.repairs += 1
            d2 = t[n] - now if n < m else float("inf")
            if d2 > 3 * cell:
                bursts.append(bits)
                bits = []
            elif d2 > 2.25 * cell:
                report.repairs += 1
            elif d2 < 1.25 * cell:  # (longer: the pause after a sync byte)
                cells.append(d2)
                cell += 0.1 * (d2 - cell)
            k = n
            continue
        if d1 < 1.75 * cell:  # the next clock: bit 0
            bits.append(0)
            if d1 < 1.25 * cell:
                cells.append(d1)
                cell += 0.1 * (d1 - cell)
        else:  # pulses missing: count the cells
            bits.extend([0] * max(1, round(d1 / cell)))
            report.repairs += 1
        k = j
    if bits:
        bursts.append(bits)
    if cells:
        report.cell = float(np.median(cells))
    return bursts


_SYNC_MARK = "0" * 8 + format(SYNC, "08b")


def bits_to_cas(bursts: list[list[int]], report: DecodeReport) -> bytes:
    """The .CAS image of bursts of bits (step 5 above)."""
    out = bytearray()
    for bits in bursts:
        text = "".join("1" if b else "0" for b in bits)
        found = text.find(_SYNC_MARK)
        if found < 0:
            if len(bits) > 64:
                report.warnings.append(f"a burst of {len(bits)} bits has no leader and A5h "
                                       "sync byte; skipped")
            continue
        sync = found + 8
        zeros = sync - (len(text[:sync]) - len(text[:sync].rstrip("0")))
        leader = -(-(sync - zeros) // 8)
        rest = text[sync + 8:]
        whole = len(rest) // 8 * 8
        payload = int(rest[:whole], 2).to_bytes(whole // 8, "big") if whole else b""
        if len(rest) > whole and "1" in rest[whole:]:
            report.warnings.append(f"{len(rest) - whole} bits after the last whole byte of "
                                   f"file {report.files + 1} dropped")
        out += bytes(leader) + bytes([SYNC]) + payload
        report.files += 1
        report.leaders.append(leader)
        report.payload.append(len(payload))
    return bytes(out)


def decode(samples: np.ndarray, rate: int) -> tuple[bytes, DecodeReport]:
    """Decode the audio ``samples`` (mono, any level) into a .CAS image."""
    x = np.asarray(samples, dtype=np.float64)
    report = DecodeReport(rate=rate, seconds=len(x) / rate if rate else 0.0)
    times = find_pulses(x, rate)
    report.pulses = len(times)
    bursts = pulses_to_bits(times, report)
    report.bits = sum(len(b) for b in bursts)
    return bits_to_cas(bursts, report), report


def decode_wav(data: bytes, filename: str = "<wav>") -> tuple[bytes, DecodeReport]:
    """Decode a WAV file into a .CAS image; FormatError if it holds no tape."""
    samples, rate, channels = read_wav(data, filename)
    cas, report = decode(samples, rate)
    report.channels = channels
    if not report.files:
        raise FormatError(filename, "", f"no 500-baud tape found ({report.pulses} pulses in "
                          f"{report.seconds:.1f} s, no leader and A5h sync byte)")
    return cas, report
