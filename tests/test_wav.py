"""WAV audio of 500-baud tapes: encode -> decode returns the same .CAS, also when the
audio is made quieter, inverted, offset, noisy, faster or slower, or drifts; WAV
files of every common sample format; bad files named."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from z80emu.formats import FormatError, Segment
from z80emu.formats.basic import tokenize
from z80emu.formats.cas import write_basic_cas, write_system_cas
from z80emu.formats.wav import decode, decode_wav, encode, encode_wav, read_wav, write_wav

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "basic" / "guess.bas"


def tape() -> bytes:
    program = tokenize(EXAMPLE.read_text())
    code = [Segment(0x7000, bytes(range(256)) * 2)]
    return write_basic_cas(program, "G") + write_system_cas(code, 0x7000, "CODE")


def resample(audio: np.ndarray, speed: np.ndarray | float) -> np.ndarray:
    """Play ``audio`` at ``speed`` (1.03: 3% fast), constant or per output sample."""
    if np.isscalar(speed):
        n = int(len(audio) / speed)
        where = np.arange(n) * speed
    else:
        where = np.cumsum(speed)
        where = where[where < len(audio) - 1]
    return np.interp(where, np.arange(len(audio)), audio)


@pytest.mark.parametrize("rate", [44100, 22050])
def test_clean_round_trip(rate: int) -> None:
    cas = tape()
    decoded, report = decode(encode(cas, rate), rate)
    assert decoded == cas
    assert report.files == 1 and report.leaders == [256] and report.repairs == 0
    assert abs(report.speed - 1.0) < 0.01


@pytest.mark.parametrize("speed", [1.03, 0.97])
@pytest.mark.parametrize("rate", [44100, 22050])
def test_noise_and_speed_change(rate: int, speed: float) -> None:
    cas = tape()
    audio = resample(encode(cas, rate), speed)
    noisy = audio + np.random.default_rng(8).normal(0.0, 0.05, len(audio))  # 0.1 of a pulse
    decoded, report = decode(noisy, rate)
    assert decoded == cas
    assert abs(report.speed - speed) < 0.01


def test_level_polarity_offset_and_drift() -> None:
    cas = tape()
    rate = 22050
    audio = encode(cas, rate)
    n = len(audio)
    volume = np.linspace(0.1, 0.8, n)  # the level creeps up eightfold
    wow = 1.0 + 0.03 * np.sin(np.arange(n) * 2 * np.pi / (rate * 3))  # speed wanders +-3%
    signal = resample(-volume * audio, wow) + 0.1 + 0.02 * np.sin(np.arange(len(
        resample(audio, wow))) * 2 * np.pi * 50 / rate)  # DC and 50 Hz hum
    rng = np.random.default_rng(3)
    signal = signal + rng.normal(0.0, 0.004, len(signal))
    decoded, _ = decode(signal, rate)
    assert decoded == cas


def test_files_separated_by_silence() -> None:
    first = write_basic_cas(tokenize("10 END"), "A")
    second = write_system_cas([Segment(0x7000, b"\xC9")], 0x7000, "B")
    rate = 22050
    audio = np.concatenate((encode(first, rate), np.zeros(rate), encode(second, rate)))
    decoded, report = decode(audio, rate)
    assert decoded == first + second and report.files == 2


def test_a_lost_leader_start_is_rounded_up() -> None:
    cas = tape()
    rate = 22050
    audio = encode(cas, rate)
    start = round(0.25 * rate + 3 * 3570 / 1774080 * rate)  # three leader bits cut off
    decoded, report = decode(audio[start:], rate)
    assert decoded == cas and report.leaders == [256]


def pcm(samples: np.ndarray, rate: int, bits: int, channels: int = 1, tag: int = 1) -> bytes:
    frames = np.repeat(samples[:, None], channels, axis=1)
    frames[:, 1:] *= 0.1  # the other channels quieter
    if tag == 3:
        body = frames.astype("<f4").tobytes()
    elif bits == 8:
        body = np.round(frames * 127 + 128).astype(np.uint8).tobytes()
    elif bits == 24:
        v = np.round(frames * 8388607).astype(np.int32).ravel()
        body = np.stack([v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF], 1).astype(np.uint8).tobytes()
    else:
        body = np.round(frames * (2 ** (bits - 1) - 1)).astype(f"<i{bits // 8}").tobytes()
    width = bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * width * channels,
                      width * channels, bits)
    return (b"RIFF" + struct.pack("<I", 36 + len(body)) + b"WAVE" + b"fmt "
            + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(body)) + body)


@pytest.mark.parametrize("bits, channels, tag", [(8, 1, 1), (16, 2, 1), (24, 1, 1),
                                                 (32, 1, 1), (32, 2, 3)])
def test_wav_sample_formats(bits: int, channels: int, tag: int) -> None:
    cas = write_system_cas([Segment(0x7000, b"\xC9")], 0x7000, "HI")
    rate = 22050
    data = pcm(encode(cas, rate), rate, bits, channels, tag)
    samples, got_rate, got_channels = read_wav(data)
    assert got_rate == rate and got_channels == channels
    assert decode_wav(data, "x.wav")[0] == cas


def test_encode_wav_is_16_bit_mono_and_reads_back() -> None:
    cas = write_system_cas([Segment(0x7000, b"\xC9")], 0x7000, "HI")
    data = encode_wav(cas, 11025)
    assert data[:4] == b"RIFF" and struct.unpack_from("<HHI", data, 20) == (1, 1, 11025)
    assert decode_wav(data, "hi.wav")[0] == cas
    assert read_wav(write_wav(np.zeros(10), 8000))[1] == 8000


def test_truncated_data_chunk_is_read_as_far_as_it_goes() -> None:
    cas = write_system_cas([Segment(0x7000, b"\xC9")], 0x7000, "HI")
    data = encode_wav(cas, 22050)
    assert decode_wav(data[:-4000], "cut.wav")[0] == cas  # only silence lost


@pytest.mark.parametrize("data, fault", [
    (b"not a wav file", "not a WAV file"),
    (b"RIFF\x04\x00\x00\x00WAVE", "no fmt chunk"),
    (pcm(np.zeros(100), 22050, 16)[:44 - 8], "no data chunk"),
    (pcm(np.zeros(100), 22050, 16).replace(b"\x01\x00\x01\x00", b"\x55\x00\x01\x00", 1),
     "unsupported sample format 85"),
    (write_wav(np.zeros(22050), 22050), "no 500-baud tape found"),
])
def test_bad_wav_files(data: bytes, fault: str) -> None:
    with pytest.raises(FormatError) as info:
        decode_wav(data, "bad.wav")
    assert str(info.value).startswith("bad.wav: ") and fault in str(info.value)
