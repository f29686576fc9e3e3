"""The cassette recorder on port FFh: plays a .CAS image into the cassette input
flip-flop with the real 500-baud pulse timing, so the ROM's own CLOAD and
SYSTEM read it, and records the pulses the CPU writes (CSAVE) back into a
.CAS image.

Facts from TRS80-REFERENCE.md §4.1 (the motor relay is port FFh bit 2; each
pulse from the tape sets the input flip-flop, read as bit 7), §4.2 (the pulse
timing, taken from :func:`z80emu.formats.cas.pulse_times`) and §4.5 (a .CAS
image is the bits; recording decodes pulse spacing back into bits, as xtrs
does: :class:`z80emu.formats.cas.PulseDecoder`).

The tape moves only while the motor runs: stopping and starting the motor
keeps the place on the tape, as a real recorder does (CLOAD of the second
program on a tape continues where the first ended). The deck is one of the
machine's scheduled devices: :attr:`TapeDeck.deadline` is the T-state of the
next pulse, and :meth:`TapeDeck.fire` sets the flip-flop when it is due, so
the CPU is never polled per instruction. Motor and output changes come from
the port's listener, with their T-state time. Only cassette #1 is emulated.

A recording is written to :attr:`TapeDeck.record_path` at each motor stop;
:meth:`TapeDeck.close` (called by the machine's ``close``) also writes one
still in progress when the session ends. Save states keep the deck's place,
motor, the tape image and the recording in progress
(:meth:`TapeDeck.get_state`).

>>> from z80emu.devices.cassette import CassettePort
>>> from z80emu.devices.video import Video
>>> port = CassettePort(Video(bytearray(65536)))
>>> deck = TapeDeck(port, clock=lambda: 0)
>>> deck.insert(bytes(2) + b"\\xA5")
>>> deck.deadline == NEVER               # the motor is off: nothing is due
True
>>> port.write(0x04); deck.deadline      # motor on: the first pulse after the lead-in
177408
>>> deck.fire(177408); port.read() & 0x80
128
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from z80emu.devices.cassette import LEVEL_HIGH
from z80emu.formats.cas import LEAD_IN_T, PulseDecoder, pulse_times

NEVER = 1 << 62  # a deadline that never comes

log = logging.getLogger(__name__)


class TapeDeck:
    """A cassette recorder wired to the port FFh device ``port``; ``clock``
    gives the CPU's T-state count."""

    def __init__(self, port, clock: Callable[[], int]) -> None:
        self.clock = clock
        self.port = None
        self.data = b""  # the tape image being played
        self.name = ""
        self.deadline = NEVER
        self.recording = bytearray()  # .CAS bytes of everything recorded so far
        self.record_path: str | None = None  # written at each motor stop, when set
        self._times = None  # pulse start times on the tape, T-states (numpy int64)
        self._index = 0  # next pulse to play
        self._pos = 0  # tape time (T-states) when the motor last started or stopped
        self._since: int | None = None  # CPU time the motor started (None: stopped)
        self._level = 0
        self._decoder = PulseDecoder()
        self._chained: Callable[[int, bool, int], None] | None = None
        self._flushed: bytes | None = None  # what close() last wrote
        self.attach(port)

    # -- wiring -----------------------------------------------------------------------
    def attach(self, port) -> None:
        """Listen to ``port`` (a CassettePort), keeping any listener already there."""
        self.port = port
        previous = port.listener
        if previous is not self._listen:
            self._chained = previous
        port.listener = self._listen
        self._level = port.level
        if port.motor and self._since is None:
            self._since = self.clock()
        self._schedule()

    def _listen(self, level: int, motor: bool, t: int) -> None:
        running = self._since is not None
        if motor and not running:
            self._since = t
            self._decoder = PulseDecoder()
            self._schedule()
        elif running and not motor:
            self._pos += t - self._since
            self._since = None
            self.deadline = NEVER
            self._end_recording()
        if motor and level == LEVEL_HIGH and self._level != LEVEL_HIGH:
            self._decoder.pulse(t)  # the CPU starts a pulse: record it
        self._level = level
        if self._chained is not None:
            self._chained(level, motor, t)

    # -- the tape -----------------------------------------------------------------------
    def insert(self, data: bytes, name: str = "") -> None:
        """Put a .CAS image in the deck, wound back to its start."""
        self.data = bytes(data)
        self.name = name
        self._times = pulse_times(self.data)[0] + LEAD_IN_T
        self.rewind()

    def eject(self) -> None:
        """Take the tape out."""
        self.data = b""
        self.name = ""
        self._times = None
        self.rewind()

    def rewind(self) -> None:
        """Wind the tape back to its start."""
        self._index = 0
        self._pos = 0
        if self._since is not None:
            self._since = self.clock()
        self._schedule()

    @property
    def motor(self) -> bool:
        """True while the motor relay is on (the tape moves)."""
        return self._since is not None

    @property
    def loaded(self) -> bool:
        """True when a tape is in the deck."""
        return self._times is not None

    @property
    def at_end(self) -> bool:
        """True when every pulse on the tape has been played."""
        return self._times is None or self._index >= len(self._times)

    @property
    def position(self) -> float:
        """How far the tape has been played, 0.0 to 1.0."""
        if self._times is None or not len(self._times):
            return 0.0
        return self._index / len(self._times)

    # -- the scheduler ------------------------------------------------------------------
    def _schedule(self) -> None:
        if self._since is None or self.at_end:
            self.deadline = NEVER
        else:
            self.deadline = self._since + int(self._times[self._index]) - self._pos

    def fire(self, now: int) -> None:
        """Play the pulses due by ``now``: each one sets the input flip-flop."""
        if self._since is None or self.at_end:
            self.deadline = NEVER
            return
        tape_now = self._pos + (now - self._since)
        times = self._times
        index = self._index
        if int(times[index]) <= tape_now:
            while index < len(times) and int(times[index]) <= tape_now:
                index += 1
            self._index = index
            self.port.pulse()
        self._schedule()

    # -- recording ----------------------------------------------------------------------
    def _end_recording(self) -> None:
        decoder = self._decoder
        decoder.finish()
        data = decoder.take()
        decoder.bits.clear()
        if data.strip(b"\x00"):
            self.recording += data
            if self.record_path:
                self.save_recording(self.record_path)

    def save_recording(self, path: str | os.PathLike) -> None:
        """Write everything recorded so far as a .CAS file."""
        with open(path, "wb") as f:
            f.write(bytes(self.recording))

    def close(self) -> None:
        """The end of the session: a recording still in progress (the motor on,
        a CSAVE unfinished) is written to :attr:`record_path` as it stands, with
        a warning that it may be incomplete. The deck itself is left as it is,
        so a state saved afterwards still holds the recording in progress."""
        if self._since is None or not self.record_path:
            return
        decoder = PulseDecoder()
        decoder.set_state(self._decoder.get_state())
        # Only whole bytes of settled bits: a clock pulse still waiting for its
        # data pulse may yet turn out a 1, so it is not guessed at here.
        data = decoder.take()
        content = bytes(self.recording) + data
        if not data.strip(b"\x00") or content == self._flushed:
            return
        self._flushed = content
        try:
            with open(self.record_path, "wb") as f:
                f.write(content)
        except OSError as exc:
            log.error("%s: cannot write the recording: %s", self.record_path,
                      exc.strerror or exc)
            return
        log.warning("%s: the cassette motor was still on at the end; what was recorded "
                    "so far is written, and may be incomplete", self.record_path)

    # -- save states --------------------------------------------------------------------
    def get_state(self) -> dict:
        """The deck's place, motor and recording in progress, ready for JSON. The
        tape image (:attr:`data`) and what was recorded (:attr:`recording`) are
        bytes, kept by the caller (z80emu.machines.state stores them as files)."""
        return {"loaded": self.loaded, "name": self.name, "index": self._index,
                "pos": self._pos, "since": self._since, "level": self._level,
                "decoder": self._decoder.get_state()}

    def set_state(self, state: dict, data: bytes | None = None,
                  recording: bytes = b"") -> None:
        """Restore :meth:`get_state`'s dict with the tape image ``data`` (needed
        when a tape was loaded) and ``recording``; a bad field raises ValueError
        (or KeyError, TypeError) before anything changes."""
        loaded = bool(state["loaded"])
        if loaded and data is None:
            raise ValueError("a tape was in the deck but its image is missing")
        times = pulse_times(bytes(data))[0] + LEAD_IN_T if loaded else None
        index, pos = int(state["index"]), int(state["pos"])
        since = None if state["since"] is None else int(state["since"])
        if index < 0 or index > (len(times) if loaded else 0):
            raise ValueError(f"tape position {index} is past the end of the tape")
        decoder = PulseDecoder()
        decoder.set_state(state["decoder"])
        self.data = bytes(data) if loaded else b""
        self.name = str(state["name"])
        self._times = times
        self._index, self._pos, self._since = index, pos, since
        self._level = int(state["level"])
        self._decoder = decoder
        self.recording = bytearray(recording)
        self._flushed = None
        self._schedule()
