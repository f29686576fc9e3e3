"""Sound from port FFh: edges to samples (pure numpy), the pitch of a Z80 program's
square wave by FFT, the ring buffer's fade on underrun, and silence without an
audio device."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from z80emu.asm import assemble
from z80emu.devices.timing import CLOCK_HZ
from z80emu.frontends.sound import LEVELS, EdgeResampler, SoundOutput
from z80emu.machines.trs80 import TRS80

RATE = 44_100

# A square wave on the cassette output: high for one half, low for the other.
# One period: OUT, LD B, DJNZ loop, LD A (twice), plus JP = 26*N + 50 T-states.
SQUARE = """
        ORG     5000H
START:  DI                      ; no heartbeat: the loop's timing is exact
LOOP:   LD      A,1             ;  7  output high
        OUT     (0FFH),A        ; 11
        LD      B,{n}           ;  7
D1:     DJNZ    D1              ; 13 x (N-1) + 8
        LD      A,2             ;  7  output low
        OUT     (0FFH),A        ; 11
        LD      B,{n}           ;  7
D2:     DJNZ    D2              ; 13 x (N-1) + 8
        JP      LOOP            ; 10
        END     START
"""


def square_wave_machine(n: int) -> TRS80:
    m = TRS80()
    m.run(seconds=0.1)
    result = assemble(SQUARE.format(n=n))
    assert result.ok, result.errors
    for segment in result.segments:
        m.poke(segment.address, segment.data)
    m.cpu.pc = result.start
    return m


def record(machine: TRS80, seconds: float, speed: float = 1.0) -> np.ndarray:
    """Run the machine, turning its port FFh edges into samples at RATE."""
    r = EdgeResampler(RATE, CLOCK_HZ * speed, start=machine.cpu.cycles)
    machine.port_ff.listener = lambda level, motor, t: r.edge(t, LEVELS[level])
    chunks = []
    for _ in range(round(seconds * 60)):
        machine.run(frames=1)
        chunks.append(r.render(machine.cpu.cycles))
    return np.concatenate(chunks)


def peak_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    k = int(np.argmax(spectrum[1:])) + 1
    # Parabolic interpolation between the bins around the peak.
    a, b, c = spectrum[k - 1], spectrum[k], spectrum[k + 1]
    k += 0.5 * (a - c) / (a - 2 * b + c)
    return k * RATE / len(samples)


@pytest.mark.parametrize("n", [60, 25])
def test_square_wave_program_has_the_right_pitch(n: int) -> None:
    expected = CLOCK_HZ / (26 * n + 50)       # 1101.9 Hz for N=60, 2534.4 Hz for N=25
    samples = record(square_wave_machine(n), seconds=1.0)
    assert len(samples) == pytest.approx(RATE, rel=0.001)  # frames end on whole instructions
    assert peak_hz(samples) == pytest.approx(expected, abs=1.0)
    # Levels high and low: a full-swing wave around zero once the filter settles.
    settled = samples[RATE // 10:]
    assert settled.max() > 0.8 and settled.min() < -0.8


def test_double_speed_doubles_the_pitch() -> None:
    expected = CLOCK_HZ / (26 * 60 + 50)
    samples = record(square_wave_machine(60), seconds=1.0, speed=2.0)
    assert peak_hz(samples) == pytest.approx(2 * expected, abs=2.0)


def test_resampler_averages_each_sample_period() -> None:
    r = EdgeResampler(rate=1000, clock_hz=1_000_000, start=0, highpass_hz=None)
    r.edge(1250, 1.0)      # high a quarter into sample 1
    r.edge(3500, -1.0)     # low half-way through sample 3
    out = r.render(5000)
    assert out.tolist() == [0.0, 0.75, 1.0, 0.0, -1.0]
    r.edge(5000, 0.0)
    assert r.render(6999).tolist() == [0.0]     # only whole samples are rendered
    assert r.render(7000).tolist() == [0.0]


def test_resampler_keeps_count_over_many_renders() -> None:
    r = EdgeResampler(RATE, CLOCK_HZ, start=123)
    total = sum(len(r.render(123 + t)) for t in range(0, 10 * CLOCK_HZ + 1, 29_568))
    assert total == int(10 * CLOCK_HZ * RATE / CLOCK_HZ) == 10 * RATE


def test_highpass_removes_the_dc_of_a_held_level() -> None:
    r = EdgeResampler(RATE, CLOCK_HZ, start=0)
    r.edge(0, 1.0)
    out = r.render(CLOCK_HZ)        # one second held high
    assert out[0] == pytest.approx(1.0, abs=0.01)
    assert abs(out[-1]) < 0.01      # decayed: silence, not a constant offset


class FakeChannel:
    def __init__(self) -> None:
        self.playing = None
        self.queued = None
        self.started = 0

    def get_busy(self) -> bool:
        return self.playing is not None

    def get_queue(self):
        return self.queued

    def play(self, sound) -> None:
        self.playing = sound
        self.started += 1

    def queue(self, sound) -> None:
        self.queued = sound

    def finish(self) -> None:
        """The mixer finished the playing chunk and moved on to the queued one."""
        self.playing, self.queued = self.queued, None

    def stop(self) -> None:
        self.playing = self.queued = None


class FakeSndarray:
    @staticmethod
    def make_sound(pcm):
        return pcm


def fake_output(machine: TRS80) -> tuple[SoundOutput, FakeChannel]:
    out = SoundOutput(machine, notify=lambda m: None)
    channel = FakeChannel()
    out._channel = channel
    out._pygame = type("pg", (), {"sndarray": FakeSndarray})
    out.enabled = True
    out.rate = RATE
    out.attach()
    return out, channel


def test_ring_buffer_feeds_the_mixer_and_fades_on_underrun() -> None:
    m = square_wave_machine(60)
    out, channel = fake_output(m)
    for _ in range(6):               # 100 ms: enough to start (three chunks)
        m.run(frames=1)
        out.update()
    assert channel.started == 1 and channel.queued is not None
    played = [channel.playing]
    for _ in range(60):              # steady: the mixer takes a chunk per 23 ms
        for _ in range(3):
            m.run(frames=1)
            out.update()
        for _ in range(2):
            channel.finish()
            out.update()
            played.append(channel.playing)
    assert out.underruns == 0 and channel.started == 1
    # The emulation stops (a long pause): the mixer drains, then a fade, not a click.
    while channel.queued is not None or not out._fading:
        channel.finish()
        out.update(m.cpu.cycles)
    tail = channel.queued if channel.queued is not None else channel.playing
    assert out.underruns == 1
    assert abs(int(tail[-1])) < 50   # int16: faded to (almost) nothing
    assert all(len(p) == out.chunk for p in played if p is not None)


def test_max_speed_mutes() -> None:
    m = square_wave_machine(60)
    out, channel = fake_output(m)
    out.set_speed(None)
    for _ in range(30):
        m.run(frames=1)
        out.update()
    assert channel.started == 0
    out.set_speed(1.0)
    for _ in range(10):
        m.run(frames=1)
        out.update()
    assert channel.started == 1


def test_no_audio_device_gives_one_notice_and_no_error() -> None:
    code = textwrap.dedent("""
        from z80emu.frontends.sound import SoundOutput
        from z80emu.machines.trs80 import TRS80
        notes = []
        out = SoundOutput(TRS80(), notify=notes.append)
        assert out.open() is False
        out.update(); out.set_speed(1.0); out.pause(); out.close()
        assert len(notes) == 1 and notes[0].startswith("no sound"), notes
        print("ok")
    """)
    env = dict(os.environ, SDL_AUDIODRIVER="no-such-driver", PYGAME_HIDE_SUPPORT_PROMPT="1")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
