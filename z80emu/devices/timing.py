"""Model I timing constants and the wall-clock throttle.

Facts from TRS80-REFERENCE.md §3.1 and §11: the CPU clock is 10.6445 MHz / 6 =
1.77408 MHz; a 60 Hz video frame is 29,568 T; the Expansion Interface
heartbeat comes every 25 ms, 44,352 T.

Scheduling itself is simple and lives in the machine: each device that acts
at a time exposes ``deadline`` (a T-state count) and ``fire(now)``; the
machine runs the CPU up to the nearest deadline and lets that device act.
:class:`Throttle` keeps emulated time in step with the wall clock for the
real-time speeds.

>>> CLOCK_HZ, FRAME_TSTATES, HEARTBEAT_TSTATES
(1774080, 29568, 44352)
"""

from __future__ import annotations

import time

CLOCK_HZ = 1_774_080
FRAME_TSTATES = 29_568  # one 60 Hz frame: 264 lines of 112 T
HEARTBEAT_TSTATES = CLOCK_HZ // 40  # 25 ms


def tstates(seconds: float) -> int:
    """Emulated seconds to T-states at the Model I clock.

    >>> tstates(1.0), tstates(0.025)
    (1774080, 44352)
    """
    return round(seconds * CLOCK_HZ)


class Throttle:
    """Hold the emulation to ``speed`` times the real clock (None: no limit).

    Call :meth:`sync` with the CPU's T-state count after each slice; it sleeps
    until the wall clock catches up. When the host falls behind by more than
    ``max_lag`` seconds the reference point moves, so the machine does not race
    afterwards to catch up (frames are dropped instead).
    """

    def __init__(self, speed: float | None = 1.0, max_lag: float = 0.25) -> None:
        self.speed = speed
        self.max_lag = max_lag
        self._t0: float | None = None
        self._c0 = 0

    def reset(self, cycles: int) -> None:
        self._t0 = time.perf_counter()
        self._c0 = cycles

    def sync(self, cycles: int) -> None:
        if self.speed is None:
            return
        if self._t0 is None:
            self.reset(cycles)
            return
        due = self._t0 + (cycles - self._c0) / (CLOCK_HZ * self.speed)
        now = time.perf_counter()
        if due > now:
            time.sleep(due - now)
        elif now - due > self.max_lag:
            self.reset(cycles)
