"""Sound: the cassette output bits of port FFh, played through pygame's mixer.

The Model I has no speaker; games made sound by toggling the cassette output
(port FFh bits 1-0: 01 high, 10 low, 00 rest; TRS80-REFERENCE.md §4.1) into
an amplifier. The machine's port reports each change of the level with the
CPU's T-state count; this module turns those edges into samples at the
mixer's rate and plays them in real time.

:class:`EdgeResampler` is the conversion, pure numpy: each output sample is the
average level over its sample period (the exact integral of the square wave,
which keeps the pitch right to a fraction of a sample and avoids the worst
aliasing), followed by a one-pole high-pass filter at 20 Hz that takes out the
DC of the "rest" level as a real amplifier's coupling capacitor does. Emulated
time maps to wall time through the speed: at ``--speed 2`` a tune plays twice
as fast and an octave higher, as on a machine with a doubled clock.

:class:`SoundOutput` feeds a ring buffer from the resampler after each slice of
emulation; chunks are taken from the ring and queued on one mixer channel
whenever its queue slot is free. If the emulation falls behind (the ring runs
dry), the chunk is completed by letting the last sample decay to zero, so an
underrun is a short fade, not a click. If the ring grows beyond
``max_latency`` (wall clock and sound card drifting apart), the oldest samples
are dropped. At max speed (turbo, a paste, ``--speed max``) sound is muted.

Sound is silent, with one notice and no error, when there is no audio device.

>>> r = EdgeResampler(rate=1000, clock_hz=1_000_000, start=0, highpass_hz=None)
>>> r.edge(2500, 1.0)                   # high from T-state 2500 (sample 2.5)
>>> r.render(5000).tolist()
[0.0, 0.0, 0.5, 1.0, 1.0]
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import numpy as np

from z80emu.devices.cassette import LEVEL_HIGH, LEVEL_LOW, LEVEL_REST
from z80emu.devices.timing import CLOCK_HZ

__all__ = ["LEVELS", "EdgeResampler", "SoundOutput"]

# Output level -> signal. Rest (about 0.46 V) lies between high (0.85 V) and low (0 V).
LEVELS = {LEVEL_REST: 0.0, LEVEL_HIGH: 1.0, LEVEL_LOW: -1.0}

MIXER_RATE = 44_100
CHUNK = 1024          # samples queued on the mixer at a time (23 ms at 44.1 kHz)
VOLUME = 0.3          # of full scale: a square wave is loud
_BLOCK = 2048         # samples the high-pass filter does in one vectorised step


class EdgeResampler:
    """Turn level changes at T-state times into samples at ``rate`` per second.

    ``clock_hz`` is how many T-states make one second of output (the Model I
    clock times the speed). ``start`` is the T-state of output sample 0.
    """

    def __init__(self, rate: int = MIXER_RATE, clock_hz: float = CLOCK_HZ, start: int = 0,
                 level: float = 0.0, highpass_hz: float | None = 20.0) -> None:
        self.rate = rate
        self.clock_hz = clock_hz
        self.start = start
        self.level = level            # the level at the next sample to render
        self.position = 0             # index of the next sample to render
        self._edges: list[tuple[float, float]] = []  # (sample position, new level)
        self._last_edge = 0.0
        if highpass_hz:
            self._decay = math.exp(-2 * math.pi * highpass_hz / rate)
        else:
            self._decay = None
        self._lowpass = level         # the high-pass filter's running average

    def samples_at(self, tstate: int) -> float:
        """The (fractional) sample position of a T-state."""
        return (tstate - self.start) * self.rate / self.clock_hz

    def edge(self, tstate: int, level: float) -> None:
        """The level changed at ``tstate``; edges must come in time order."""
        position = max(self.samples_at(tstate), float(self.position), self._last_edge)
        self._last_edge = position
        self._edges.append((position, level))

    def render(self, tstate: int) -> np.ndarray:
        """The samples (float64, about -1..1) from the last render up to ``tstate``."""
        end = math.floor(self.samples_at(tstate))
        count = end - self.position
        if count <= 0:
            return np.zeros(0)
        base = self.position
        edges = self._edges
        split = len(edges)
        for i, (pos, _) in enumerate(edges):
            if pos >= end:
                split = i
                break
        now, self._edges = edges[:split], edges[split:]
        if not now:
            out = np.full(count, self.level)
        else:
            # Segments of constant level: starts (relative to base) and levels.
            starts = np.array([0.0] + [p - base for p, _ in now])
            values = np.array([self.level] + [v for _, v in now])
            lengths = np.diff(np.append(starts, count))
            area = np.concatenate(([0.0], np.cumsum(values * lengths)))
            bounds = np.arange(count + 1, dtype=np.float64)
            seg = np.searchsorted(starts, bounds, side="right") - 1
            integral = area[seg] + values[seg] * (bounds - starts[seg])
            out = np.diff(integral)
            self.level = now[-1][1]
        self.position = end
        return self._highpass(out) if self._decay is not None else out

    def _highpass(self, x: np.ndarray) -> np.ndarray:
        # lp[n] = d*lp[n-1] + (1-d)*x[n]; y = x - lp. Solved in closed form per block:
        # lp[n] = d^(n+1)*lp[-1] + (1-d) * d^n * cumsum(x[k] * d^-k).
        d = self._decay
        out = np.empty_like(x)
        for first in range(0, len(x), _BLOCK):
            block = x[first:first + _BLOCK]
            n = np.arange(len(block))
            power = d ** n
            lp = d * power * self._lowpass + (1 - d) * power * np.cumsum(block / power)
            out[first:first + len(block)] = block - lp
            self._lowpass = lp[-1]
        return out

    def rebase(self, tstate: int, clock_hz: float | None = None) -> None:
        """Start the timeline again at ``tstate`` (after a change of speed or a
        loaded state); pending edges are applied at once."""
        if self._edges:
            self.level = self._edges[-1][1]
        self._edges = []
        self._last_edge = 0.0
        self.start = tstate
        self.position = 0
        if clock_hz is not None:
            self.clock_hz = clock_hz


class SoundOutput:
    """Plays a machine's cassette output through pygame's mixer.

    ``notify`` receives the one notice given when no audio device opens. Call
    :meth:`update` with the CPU's T-state count after each slice of emulation
    and :meth:`set_speed` when the speed changes.
    """

    def __init__(self, machine, notify: Callable[[str], None] = print, *,
                 rate: int = MIXER_RATE, chunk: int = CHUNK, max_latency: float = 0.15,
                 volume: float = VOLUME) -> None:
        self.machine = machine
        self.notify = notify
        self.rate = rate
        self.chunk = chunk
        self.volume = volume
        self.max_samples = int(max_latency * rate)
        self.enabled = False          # a mixer is open
        self.muted = False            # at max speed
        self.channels = 1
        self.underruns = 0
        self.dropped = 0
        self._resampler: EdgeResampler | None = None
        self._ring = np.zeros(0, dtype=np.float32)
        self._last = 0.0              # the last sample queued, for fading out
        self._channel = None
        self._mixer = None
        self._pygame = None
        self._port = None
        self._fading = False

    # -- opening and closing --------------------------------------------------------
    def open(self) -> bool:
        """Open the mixer and listen to port FFh; False (after one notice) when
        there is no audio device."""
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        try:
            import pygame
            import pygame.mixer as mixer
            import pygame.sndarray  # noqa: F401 - needs numpy; checked here, used later

            if mixer.get_init() is None:
                mixer.init(frequency=self.rate, size=-16, channels=1, buffer=512)
            rate, _, channels = mixer.get_init()
        except Exception as exc:  # pygame.error, ImportError, no device, no driver
            self.notify(f"no sound: no audio device ({exc or type(exc).__name__})")
            return False
        self._mixer = mixer
        self._pygame = pygame
        self.rate = rate
        self.channels = channels
        self._channel = mixer.Channel(0)
        self.enabled = True
        self.attach()
        return True

    def attach(self) -> None:
        """Listen to the machine's port FFh (again: a loaded state rebuilds it).

        Any listener already on the port (a tape recorder) keeps being called.
        """
        port = self.machine.port_ff
        if port is self._port:
            return
        previous = port.listener

        def listener(level: int, motor: bool, tstates: int) -> None:
            if not self.muted:
                self._resampler.edge(tstates, LEVELS.get(level, 0.0))
            if previous is not None:
                previous(level, motor, tstates)

        port.listener = listener
        self._port = port
        level = LEVELS.get(port.level, 0.0)
        self._resampler = EdgeResampler(self.rate, CLOCK_HZ, self.machine.cpu.cycles,
                                        level=level)

    def close(self) -> None:
        """Stop playing and let the mixer go."""
        if self._channel is not None:
            self._channel.stop()
        if self._mixer is not None:
            self._mixer.quit()
        self.enabled = False
        self._channel = None
        self._mixer = None

    # -- feeding the mixer ----------------------------------------------------------
    def set_speed(self, speed: float | None) -> None:
        """The machine now runs at ``speed`` (None: max, which mutes)."""
        if self._resampler is None:
            return
        self.muted = speed is None
        self._resampler.rebase(self.machine.cpu.cycles, CLOCK_HZ * (speed or 1.0))
        self._resampler.level = LEVELS.get(self.machine.port_ff.level, 0.0)
        if self.muted:
            self._ring = np.zeros(0, dtype=np.float32)

    def pause(self) -> None:
        """Stop the sound while the machine is stopped (it resumes on update)."""
        if self._channel is not None:
            self._channel.stop()
        self._ring = np.zeros(0, dtype=np.float32)
        if self._resampler is not None:
            self._resampler.rebase(self.machine.cpu.cycles)

    def update(self, tstates: int | None = None) -> None:
        """Render the edges up to ``tstates`` (default: now) and keep the mixer fed."""
        if not self.enabled or self._resampler is None:
            return
        if self._port is not self.machine.port_ff:
            self.attach()
        now = self.machine.cpu.cycles if tstates is None else tstates
        if now < self._resampler.start:  # a loaded state turned the clock back
            self._resampler.rebase(now)
        samples = self._resampler.render(now)
        if self.muted:
            return
        ring = np.concatenate((self._ring, samples.astype(np.float32)))
        if len(ring) > self.max_samples:
            self.dropped += len(ring) - self.max_samples
            ring = ring[-self.max_samples:]
        self._ring = ring
        self._pump()

    def _pump(self) -> None:
        channel = self._channel
        if not channel.get_busy():
            # Starting, or after an underrun: wait for three chunks (one to play,
            # one queued, one in hand), so the ring does not run dry between two
            # frames of emulation.
            if len(self._ring) < 3 * self.chunk:
                return
            self._fading = False
            channel.play(self._sound(self._take()))
        if channel.get_queue() is None and not self._fading:
            if len(self._ring) < self.chunk:
                # The emulation fell behind: end with a fade, not a click, and
                # buffer again before the next chunk.
                self._fading = True
                self.underruns += 1
            channel.queue(self._sound(self._take()))

    def _sound(self, chunk: np.ndarray):
        return self._pygame.sndarray.make_sound(self._pcm(chunk))

    def _take(self) -> np.ndarray:
        """One chunk from the ring; an underrun is completed with a fade to zero."""
        size = self.chunk
        ring = self._ring
        if len(ring) >= size:
            chunk, self._ring = ring[:size], ring[size:]
        else:
            start = ring[-1] if len(ring) else self._last
            fade = start * np.exp(-np.arange(1, size - len(ring) + 1) / (self.rate * 0.002))
            chunk = np.concatenate((ring, fade.astype(np.float32)))
            self._ring = np.zeros(0, dtype=np.float32)
        self._last = float(chunk[-1])
        return chunk

    def _pcm(self, chunk: np.ndarray) -> np.ndarray:
        pcm = np.clip(chunk * (self.volume * 32767), -32768, 32767).astype(np.int16)
        if self.channels > 1:
            pcm = np.repeat(pcm[:, None], self.channels, axis=1)
        return np.ascontiguousarray(pcm)
