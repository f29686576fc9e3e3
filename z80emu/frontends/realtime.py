"""Real-time pacing for the interactive frontends: run the machine in step with
the wall clock, frame by frame, and decide which frames are drawn.

The Model I's clock is 1.77408 MHz and its display runs at 60 Hz, 29,568 T a
frame (TRS80-REFERENCE.md §3.1, §11). :class:`Pacer` schedules by absolute
deadlines: frame ``k`` after the last anchor must have run ``k * tpf`` T-states
(``tpf`` = T-states per frame at the chosen speed) by wall time ``t0 + k /
fps``. Sleeping until a deadline, rather than sleeping a frame's length, means
the error of each sleep never accumulates, so emulated time and wall time stay
in step however long the machine runs.

When the host is busy and a frame finishes after its deadline, the frontend is
told not to draw it (a dropped frame), so the time goes to the emulation and
the machine keeps its speed; at least one frame in ``max_skip + 1`` is still
drawn. Only when the emulation itself falls more than ``max_lag`` seconds
behind does the pacer re-anchor (a "slip"): the machine then runs slower than
asked instead of racing afterwards to catch up.

Speeds: a number (1 = a real Model I, N = N times faster) or None ("max": as
fast as the host allows, drawing at most ``fps`` frames a second). Turbo and a
paste in progress both run at max speed; the paste ends when the machine's
typing queue is empty, and the chosen speed returns.

A frontend's loop is::

    pacer = Pacer(machine, speed=1.0)
    while running:
        handle_events()
        if pacer.advance():
            draw()
        pacer.wait()

>>> class Machine:                      # any object with run(tstates=) and typing
...     typing = False
...     def run(self, tstates): return tstates
>>> fake = FakeClock()
>>> pacer = Pacer(Machine(), 1.0, clock=fake.clock, sleep=fake.sleep)
>>> for _ in range(600):
...     pacer.advance() and pacer.wait()
>>> pacer.tstates, round(fake.now, 6)   # ten seconds of a Model I, ten seconds of wall time
(17740800, 10.0)
"""

from __future__ import annotations

import time
from collections.abc import Callable

from z80emu.devices.timing import CLOCK_HZ, FRAME_TSTATES

FPS = CLOCK_HZ / FRAME_TSTATES  # 60.0: the Model I's frame rate

__all__ = ["FPS", "FakeClock", "Pacer", "speed_label"]


def speed_label(speed: float | None) -> str:
    """How a speed is shown: "1x", "2.5x" or "max".

    >>> speed_label(1.0), speed_label(2.5), speed_label(None)
    ('1x', '2.5x', 'max')
    """
    if speed is None:
        return "max"
    return f"{speed:g}x"


class Pacer:
    """Runs ``machine`` at ``speed`` times the real Model I clock (None: max).

    ``machine`` needs ``run(tstates=...)`` returning the T-states it ran, and a
    ``typing`` flag (true while its typing queue holds keys). ``clock`` and
    ``sleep`` default to the real ones; tests pass a :class:`FakeClock`.
    """

    def __init__(self, machine, speed: float | None = 1.0, *, fps: float = FPS,
                 max_lag: float = 0.25, max_skip: int = 5,
                 clock: Callable[[], float] = time.perf_counter,
                 sleep: Callable[[float], None] = time.sleep,
                 process_clock: Callable[[], float] = time.process_time) -> None:
        if speed is not None and speed <= 0:
            raise ValueError("the speed must be above 0 (or None for max)")
        self.machine = machine
        self.speed = speed          # the speed asked for
        self.turbo = False          # run at max speed (a hotkey toggles it)
        self.fast_typing = False    # run at max speed until the typing queue is empty
        self.paused = False
        self.fps = fps
        self.max_lag = max_lag
        self.max_skip = max_skip
        self._clock = clock
        self._sleep = sleep
        self._process_clock = process_clock
        # Counters.
        self.tstates = 0            # T-states run since the pacer was made
        self.frames = 0             # frames run
        self.drawn = 0              # frames the frontend was told to draw
        self.dropped = 0            # frames not drawn because the host was late
        self.slips = 0              # times the emulation fell behind and re-anchored
        # Measurements over the last half second or so.
        self.mhz = 0.0              # emulated MHz
        self.load = 0.0             # host CPU used, in cores (process time / wall time)
        self._anchor_speed: float | None = None
        self._anchored = False
        self._t0 = 0.0
        self._c0 = 0
        self._k = 0
        self._tpf = 0.0
        self._skipped = 0
        self._measure_at = (clock(), process_clock(), 0)

    # -- speed ------------------------------------------------------------------
    @property
    def effective_speed(self) -> float | None:
        """The speed the machine runs at now: None (max) in turbo, while a paste
        is being typed, while the cassette motor runs (unless the machine's
        ``fast_tape`` is off), or when the speed asked for is max."""
        if self.fast_typing and not self.machine.typing:
            self.fast_typing = False
        if self.turbo or self.fast_typing or getattr(self.machine, "tape_running_fast", False):
            return None  # (the machine asks for full speed while its tape motor runs)
        return self.speed

    def set_speed(self, speed: float | None) -> None:
        """Change the speed asked for (a number above 0, or None for max)."""
        if speed is not None and speed <= 0:
            raise ValueError("the speed must be above 0 (or None for max)")
        self.speed = speed

    def toggle_turbo(self) -> bool:
        """Turbo on or off; returns the new state."""
        self.turbo = not self.turbo
        return self.turbo

    def type_fast(self) -> None:
        """Run at max speed until the machine's typing queue is empty (a paste)."""
        self.fast_typing = True

    def pause(self) -> None:
        """Stop running the machine (the monitor has it)."""
        self.paused = True

    def resume(self) -> None:
        """Run again from now, without catching up the time spent paused."""
        self.paused = False
        self._anchored = False

    def _anchor(self, speed: float | None) -> None:
        self._anchor_speed = speed
        self._anchored = True
        self._t0 = self._clock()
        self._c0 = self.tstates
        self._k = 0
        self._skipped = 0
        self._tpf = 0.0 if speed is None else CLOCK_HZ * speed / self.fps

    # -- the frame loop -----------------------------------------------------------
    def advance(self) -> bool:
        """Run the machine for the next frame; True if the frontend should draw it.

        At a real-time speed this runs up to the frame's T-state target; at max
        speed it runs whole frames for one frame's worth of wall time.
        """
        if self.paused:
            self._measure()
            return True
        speed = self.effective_speed
        if not self._anchored or speed != self._anchor_speed:
            self._anchor(speed)
        if speed is None:
            draw = self._advance_max()
        else:
            draw = self._advance_timed()
        self.frames += 1
        if draw:
            self.drawn += 1
        self._measure()
        return draw

    def _advance_timed(self) -> bool:
        self._k += 1
        target = self._c0 + round(self._k * self._tpf)
        if target > self.tstates:
            self.tstates += self.machine.run(tstates=target - self.tstates)
        late = self._clock() - (self._t0 + self._k / self.fps)
        if late > self.max_lag:
            # The host cannot keep up even without drawing: let the machine slip.
            self.slips += 1
            self._anchor(self._anchor_speed)
            self._skipped = 0
            return True
        if late > 0 and self._skipped < self.max_skip:
            self._skipped += 1
            self.dropped += 1
            return False
        self._skipped = 0
        return True

    def _advance_max(self) -> bool:
        end = self._clock() + 1.0 / self.fps
        run = self.machine.run
        while True:
            self.tstates += run(tstates=FRAME_TSTATES)
            if self._clock() >= end or self.effective_speed is not None:
                break
        return True

    def wait(self) -> None:
        """Sleep until the current frame's deadline (at a real-time speed)."""
        if self.paused:
            self._sleep(1.0 / self.fps)
            return
        if self._anchor_speed is None or not self._anchored:
            return
        delay = self._t0 + self._k / self.fps - self._clock()
        if delay > 0:
            self._sleep(delay)

    @property
    def frame_tstates(self) -> float:
        """T-states in one frame at the current anchor speed (0 at max speed)."""
        return self._tpf

    def _measure(self) -> None:
        now = self._clock()
        t, p, c = self._measure_at
        if now - t >= 0.5:
            self.mhz = (self.tstates - c) / (now - t) / 1e6
            cpu = self._process_clock()
            self.load = (cpu - p) / (now - t)
            self._measure_at = (now, cpu, self.tstates)


class FakeClock:
    """A clock for tests: time passes only when someone sleeps or calls ``advance``.

    >>> c = FakeClock(); c.sleep(0.5); c.advance(0.25); c.clock()
    0.75
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self.sleeps = 0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        self.now += seconds
