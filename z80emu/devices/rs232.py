"""The Radio Shack RS-232-C interface (26-1145) on ports E8h-EBh: a TR1602 UART
(AY-3-1015 compatible), a BR1941 dual baud-rate generator, eight sense
switches, the modem-status buffer and the handshake latch, with every
character taking its real time on the line in emulated T-states.

Facts from TRS80-REFERENCE.md §9 (port map §9.2, UART behaviour §9.3, how
software drives it §9.4) and §11 (the 1.77408 MHz clock). The reference's
UNVERIFIED points are settings here:

====================================  =========================================
switch bits 2-0 -> rate               ``SWITCH_RATES``: 0 = 110, 1 = 150,
                                      2 = 300 ... 7 = 9600 (the reference's
                                      inferred order; only 7 = 9600 is sourced)
default switches                      6Ah: 300 baud, 8 data bits, no parity,
                                      1 stop bit (set for a TermiNet)
modem status polarity (E8h read)      ``modem_active_high=True``: 1 = asserted
                                      (xtrs: E0h with CTS, DSR and CD on)
raw receive line bit (E8h read)       ``rx_line_bit=1`` (xtrs and MAME; the
                                      modern re-creation uses bit 0); it reads
                                      1 for mark (idle), 0 for space
DTR/RTS polarity (EAh bits 1, 0)      ``control_active_low=True``: 0 asserts
                                      (inverting drivers; the usual 6Ch then
                                      raises both); bit 1 = DTR, bit 0 = RTS
power-on state                        control 6Ch (8N1, no break), rates 55h
                                      (300/300): the chip's own power-up
                                      contents are undefined
====================================  =========================================

Timing. The generator divides a 5.0688 MHz crystal by the COM8116/BR1941
divisors (6336 for 50 baud ... 16 for 19200) and feeds the UART a 16x clock, so
one bit lasts 16 x divisor / 5.0688 MHz = exactly 5.6 x divisor T-states at
the Model I clock. The board keeps time in fifths of a T-state (a bit is
28 x divisor of them), so frames never drift: ten bits at 300 baud are
59,136 T, 33.33 ms. A port access is stamped with the CPU's T-state count
(the start of the IN or OUT instruction); the start bit of a character begins
at the OUT that hands it to an idle transmitter (the phase of the 16x clock,
under 1/16 bit, is not modelled).

Transmit: double-buffered as in §9.3. A write to EBh fills the holding
register; if the shift register is idle the byte moves there at once and
THRE reads 1 again, so a second byte can wait while the first is shifted out.
Each character reaches the link when its last stop bit ends. With break on
(EAh bit 2 = 0) the line is held spacing and characters shifted out are lost.

Receive: bytes from the far end go on the line one after another at the
receive rate; at the end of each stop bit the character goes into the receive
buffer, DR is set, and OE is set if DR was still set (the old character is
overwritten). FE flags a character sent at a speed more than 3 % off the
receive rate. Reading EBh clears DR; error flags follow each character.
Master reset (any OUT to E8h) empties the transmitter (THRE = 1), drops the
character in progress in either direction and clears DR, OE, FE and PE; the
control register is kept.

The board tells the machine's scheduler its next :attr:`deadline` (a T-state
count): a character finishing in either direction, or the next look for input
on a link from outside (once a character time, at least every 60 Hz frame).
If the link fails, one warning says so and the line is dropped; the machine
runs on.

>>> t = [0]
>>> board = RS232Board(clock=lambda: t[0])
>>> board.write_data(0xEB, 0x41); hex(board.read_status(0xEA))      # shifting, THRE = 1
'0x40'
>>> board.write_data(0xEB, 0x42); hex(board.read_status(0xEA))      # holding: THRE = 0
'0x0'
>>> board.deadline                                                   # 10 bits at 300 baud
59136
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

from z80emu.devices.timing import CLOCK_HZ, FRAME_TSTATES
from z80emu.links.base import DroppedLink, Frame, Link, LinkLost, ModemLines

if TYPE_CHECKING:
    from z80emu.bus import Bus

log = logging.getLogger(__name__)

PORT_MODEM = 0xE8  # read: modem status; write: UART master reset
PORT_SWITCHES = 0xE9  # read: sense switches; write: baud-rate generator
PORT_STATUS = 0xEA  # read: UART status; write: control register + handshake latch
PORT_DATA = 0xEB  # read: received character; write: character to send

CRYSTAL_HZ = 5_068_800
# Rate code (a nibble of the E9h write) -> divisor and nominal rate (§9.2 table)
DIVISORS = (6336, 4224, 2880, 2355, 2112, 1056, 528, 264, 176, 158, 132, 88, 66, 44, 33, 16)
NOMINAL_BAUD = (50, 75, 110, 134.5, 150, 300, 600, 1200, 1800, 2000, 2400, 3600, 4800,
                7200, 9600, 19200)
# Sense switch bits 2-0 -> rate. UNVERIFIED ordering (§9.2); only 7 = 9600 is sourced.
SWITCH_RATES = (110, 150, 300, 600, 1200, 2400, 4800, 9600)

TICKS_PER_T = 5  # the board's time unit: a fifth of a T-state
_BIT = Fraction(16 * CLOCK_HZ * TICKS_PER_T, CRYSTAL_HZ)  # ticks per bit, per divisor unit
assert _BIT.denominator == 1, "a bit must be a whole number of ticks"
BIT_TICKS = tuple(int(_BIT) * d for d in DIVISORS)

# EAh read (status)
DR, THRE, OE, FE, PE = 0x80, 0x40, 0x20, 0x10, 0x08
# EAh write (control)
EVEN, WORD, STOP2, NO_PARITY, NO_BREAK, DTR, RTS = 0x80, 0x60, 0x10, 0x08, 0x04, 0x02, 0x01
WORD_BITS = {0x00: 5, 0x40: 6, 0x20: 7, 0x60: 8}  # the hardware encoding (§9.2)
# E8h read (modem status)
CTS, DSR, CD, RI = 0x80, 0x40, 0x20, 0x10

POWER_ON_CONTROL = 0x6C
POWER_ON_RATES = 0x55
DEFAULT_SWITCHES = 0x6A
NEVER = 1 << 62
BAUD_TOLERANCE = 0.03


def actual_baud(code: int) -> float:
    """The rate the generator really makes for a rate code (0-15).

    >>> actual_baud(5), round(actual_baud(9), 1), round(actual_baud(15))
    (300.0, 2005.1, 19800)
    """
    return CRYSTAL_HZ / 16 / DIVISORS[code & 15]


def rate_code(baud: float) -> int:
    """The rate code (0-15) for a nominal rate such as 300 or 9600."""
    try:
        return NOMINAL_BAUD.index(baud)
    except ValueError:
        raise ValueError(f"the BR1941 makes {NOMINAL_BAUD} baud, not {baud}") from None


def switches_for(baud: int = 300, data_bits: int = 8, parity: str = "N",
                 stop_bits: int = 1) -> int:
    """The sense-switch byte for a setting, in the layout of §9.2 (bits 6-5 use the
    control register's word-length encoding, so software can copy them).

    >>> hex(switches_for(300)), hex(switches_for(9600))
    ('0x6a', '0x6f')
    """
    word = {v: k for k, v in WORD_BITS.items()}[data_bits]
    value = SWITCH_RATES.index(baud) | word | (0x10 if stop_bits == 2 else 0)
    if parity == "N":
        value |= NO_PARITY
    elif parity == "E":
        value |= EVEN
    return value


class RS232Board:
    """The 26-1145 board. ``clock`` returns the CPU's T-state count; ``link``
    is what the cable is plugged into (see z80emu.links)."""

    def __init__(self, clock: Callable[[], int] = lambda: 0, link: Link | None = None,
                 switches: int = DEFAULT_SWITCHES, modem_active_high: bool = True,
                 control_active_low: bool = True, rx_line_bit: int = 1) -> None:
        self.clock = clock
        self.link = link if link is not None else Link()
        self.switches = switches & 0xFF
        self.modem_active_high = modem_active_high
        self.control_active_low = control_active_low
        if rx_line_bit not in (0, 1):
            raise ValueError("the raw receive line is on bit 0 or bit 1")
        self.rx_line_bit = rx_line_bit
        self.deadline = NEVER  # T-state count of the next thing the board must do
        self.sent = 0  # characters that reached the link
        self.received = 0  # characters put in the receive buffer
        self.power_on()

    # -- wiring ---------------------------------------------------------------------------
    def map(self, bus: Bus) -> None:
        """Claim ports E8h-EBh on ``bus`` (a z80emu.bus.Bus)."""
        bus.map_port(PORT_MODEM, read=self.read_modem, write=self.write_reset)
        bus.map_port(PORT_SWITCHES, read=self.read_switches, write=self.write_rates)
        bus.map_port(PORT_STATUS, read=self.read_status, write=self.write_control)
        bus.map_port(PORT_DATA, read=self.read_data, write=self.write_data)

    def connect(self, link: Link) -> None:
        """Plug the cable into ``link`` (the old one is closed)."""
        old, self.link = self.link, link
        if old is not link:
            old.close()
        self._lines_at = -NEVER
        self._apply_control()
        self._schedule()

    def power_on(self) -> None:
        """The state at switch-on (see the module docstring for the choices)."""
        self.control = POWER_ON_CONTROL
        self.tx_code = POWER_ON_RATES >> 4
        self.rx_code = POWER_ON_RATES & 15
        self.status = THRE
        self._thr: int | None = None  # transmitter holding register
        self._tsr: int | None = None  # character being shifted out
        self._tx_end = NEVER  # (ticks) when its last stop bit ends
        self._tx_frame = self.frame()
        self.data = 0  # receive buffer
        self._rx_queue: deque[tuple[int, float | None]] = deque()  # (byte, sender's baud)
        self._rx: tuple[int, float | None] | None = None  # character on the line now
        self._rx_start = self._rx_end = NEVER
        self._rx_bit_ticks = BIT_TICKS[self.rx_code]
        self._next_poll = NEVER
        self._now = 0
        self._lines = ModemLines()
        self._lines_at = -NEVER
        self._dropped_reported = False
        self._apply_control()
        self._schedule()

    # -- time -----------------------------------------------------------------------------
    def _ticks(self) -> int:
        return self.clock() * TICKS_PER_T

    def fire(self, now: int) -> None:
        """The scheduler's call: do everything due up to T-state ``now``."""
        self.advance(now * TICKS_PER_T)

    def advance(self, t: int) -> None:
        """Let everything due up to ``t`` (ticks) happen, in time order."""
        while True:
            tx, rx, poll = self._tx_end, self._rx_end, self._next_poll
            first = min(tx, rx, poll)
            if first > t:
                break
            if tx == first:
                self._tx_done(tx)
            elif rx == first:
                self._rx_done(rx)
            else:
                self._poll(poll, t)
        self._now = max(self._now, t)
        self._schedule()

    def _schedule(self) -> None:
        first = min(self._tx_end, self._rx_end, self._next_poll)
        self.deadline = NEVER if first >= NEVER else -(-first // TICKS_PER_T)

    def seconds(self, ticks: int) -> float:
        """Emulated seconds at board time ``ticks``."""
        return ticks / (CLOCK_HZ * TICKS_PER_T)

    # -- configuration ----------------------------------------------------------------------
    def frame(self, code: int | None = None) -> Frame:
        """The character format the control register sets, at rate ``code``
        (default: the transmit rate)."""
        c = self.control
        data = WORD_BITS[c & WORD]
        parity = "N" if c & NO_PARITY else ("E" if c & EVEN else "O")
        stop = (1.5 if data == 5 else 2) if c & STOP2 else 1
        return Frame(actual_baud(self.tx_code if code is None else code), data, parity, stop)

    def _frame_ticks(self, frame: Frame, code: int) -> int:
        return int(BIT_TICKS[code] * frame.bits)

    @property
    def dtr(self) -> bool:
        """The TRS-80's DTR output is asserted."""
        return bool(self.control & DTR) != self.control_active_low

    @property
    def rts(self) -> bool:
        return bool(self.control & RTS) != self.control_active_low

    @property
    def breaking(self) -> bool:
        """The transmit line is forced to spacing (a break)."""
        return not self.control & NO_BREAK

    def _apply_control(self) -> None:
        self._link_call(self.link.configure, self.frame())
        self._link_call(self.link.set_control, self.dtr, self.rts, self.breaking)
        if self.link.polled and self._next_poll >= NEVER:
            self._next_poll = self._now + self._poll_ticks()
        elif not self.link.polled:
            self._next_poll = NEVER

    def _poll_ticks(self) -> int:
        char = self._frame_ticks(self.frame(self.rx_code), self.rx_code)
        return max(char, FRAME_TSTATES * TICKS_PER_T)

    # -- the link -------------------------------------------------------------------------
    def _link_call(self, fn, *args):
        try:
            return fn(*args)
        except (LinkLost, OSError) as exc:
            self._drop_link(exc)
            return None

    def _drop_link(self, exc: Exception) -> None:
        name = self.link.name
        log.warning("z80emu: serial link lost: %s; the line is dropped and the machine "
                    "keeps running", exc if str(exc).startswith(name) else f"{name}: {exc}")
        try:
            self.link.close()
        except Exception:  # noqa: BLE001 - already lost; nothing more to report
            pass
        self.link = DroppedLink(name)
        self._next_poll = NEVER
        self._lines = self.link.lines()

    def modem_lines(self, t: int | None = None) -> ModemLines:
        """The far end's control lines (read from the link at most once a millisecond)."""
        t = self._now if t is None else t
        if not self.link.polled or t - self._lines_at >= CLOCK_HZ // 1000 * TICKS_PER_T:
            lines = self._link_call(self.link.lines)
            self._lines = lines if lines is not None else self.link.lines()
            self._lines_at = t
        return self._lines

    # -- ports ----------------------------------------------------------------------------
    def read_modem(self, port: int) -> int:
        """E8h: CTS, DSR, CD, RI and the raw receive line."""
        t = self._ticks()
        self.advance(t)
        lines = self.modem_lines(t)
        value = (CTS if lines.cts else 0) | (DSR if lines.dsr else 0) | (
            CD if lines.cd else 0) | (RI if lines.ri else 0)
        if not self.modem_active_high:
            value ^= CTS | DSR | CD | RI
        return value | (self.rx_line(t) << self.rx_line_bit)

    def read_switches(self, port: int) -> int:
        """E9h: the sense switches (open = 1)."""
        return self.switches

    def read_status(self, port: int) -> int:
        """EAh: DR, THRE, OE, FE, PE (bits 2-0 read 0, as in xtrs)."""
        self.advance(self._ticks())
        return self.status

    def read_data(self, port: int) -> int:
        """EBh: the received character; DR clears."""
        self.advance(self._ticks())
        self.status &= ~DR
        return self.data

    def write_reset(self, port: int, value: int) -> None:
        """E8h: master reset (the value does not matter)."""
        t = self._ticks()
        self.advance(t)
        self._thr = self._tsr = None
        self._tx_end = NEVER
        self.status = THRE
        if self._rx is not None:  # the character coming in is lost
            self._rx = None
            self._rx_end = self._rx_start = NEVER
            self._start_rx(t)
        self._schedule()

    def write_rates(self, port: int, value: int) -> None:
        """E9h: transmit rate in the high nibble, receive rate in the low one."""
        self.advance(self._ticks())
        self.tx_code, self.rx_code = (value >> 4) & 15, value & 15
        self._link_call(self.link.configure, self.frame())

    def write_control(self, port: int, value: int) -> None:
        """EAh: word length, parity, stop bits, break, DTR and RTS."""
        t = self._ticks()
        self.advance(t)
        self.control = value & 0xFF
        self._apply_control()
        self._schedule()

    def write_data(self, port: int, value: int) -> None:
        """EBh: a character for the transmitter."""
        t = self._ticks()
        self.advance(t)
        if self._tsr is None:
            self._load_shift(value & 0xFF, t)
        else:
            self._thr = value & 0xFF  # overwrites one already waiting
            self.status &= ~THRE
        self._schedule()

    # -- transmitter ----------------------------------------------------------------------
    def _load_shift(self, value: int, start: int) -> None:
        frame = self.frame()
        self._tsr = value & ((1 << frame.data_bits) - 1)
        self._tx_frame = frame
        self._tx_end = start + self._frame_ticks(frame, self.tx_code)
        self.status |= THRE

    def _tx_done(self, t: int) -> None:
        value, frame = self._tsr, self._tx_frame
        self._tsr, self._tx_end = None, NEVER
        if not self.breaking:
            self.sent += 1
            self._link_call(self.link.send, value, self.seconds(t), frame)
            if not self.link.polled:  # an in-process far end may answer at once
                reply = self._link_call(self.link.receive)
                if reply:
                    self.feed(reply, t, getattr(self.link, "frame", None))
        if self._thr is not None:
            value, self._thr = self._thr, None
            self._load_shift(value, t)

    # -- receiver -------------------------------------------------------------------------
    def feed(self, data: bytes, t: int | None = None, frame: Frame | None = None) -> None:
        """Characters from the far end, going onto the line at board time ``t``
        (ticks; default now), sent in ``frame`` (default: the receiver's own)."""
        baud = None if frame is None else frame.baud
        self._rx_queue.extend((b, baud) for b in data)
        if self._rx is None:
            self._start_rx(self._now if t is None else t)
        self._schedule()

    def _start_rx(self, t: int) -> None:
        if not self._rx_queue:
            return
        self._rx = self._rx_queue.popleft()
        frame = self.frame(self.rx_code)
        self._rx_bit_ticks = BIT_TICKS[self.rx_code]
        self._rx_start = t
        self._rx_end = t + self._frame_ticks(frame, self.rx_code)

    def _rx_done(self, t: int) -> None:
        byte, baud = self._rx
        self._rx, self._rx_end, self._rx_start = None, NEVER, NEVER
        frame = self.frame(self.rx_code)
        status = self.status & ~(OE | FE | PE)
        if status & DR:
            status |= OE
        if baud is not None and abs(baud - frame.baud) > BAUD_TOLERANCE * frame.baud:
            status |= FE
        self.data = byte & ((1 << frame.data_bits) - 1)
        self.status = status | DR
        self.received += 1
        self._start_rx(t)

    def _poll(self, when: int, t: int) -> None:
        data = self._link_call(self.link.receive)
        self._next_poll = when + self._poll_ticks() if self.link.polled else NEVER
        if self._next_poll <= t:  # the machine skipped ahead: no catching up
            self._next_poll = t + self._poll_ticks()
        if data:
            self._rx_queue.extend((b, None) for b in data)
            if self._rx is None:
                self._start_rx(when)

    def rx_line(self, t: int) -> int:
        """The receive line at board time ``t``: 1 = mark (idle), 0 = space."""
        if self._rx is None or not self._rx_start <= t < self._rx_end:
            return 1
        bit = (t - self._rx_start) // self._rx_bit_ticks
        frame = self.frame(self.rx_code)
        if bit == 0:
            return 0  # start bit
        if bit <= frame.data_bits:
            return (self._rx[0] >> (bit - 1)) & 1
        if frame.parity != "N" and bit == frame.data_bits + 1:
            ones = bin(self._rx[0] & ((1 << frame.data_bits) - 1)).count("1")
            return (ones & 1) ^ (frame.parity == "O")
        return 1  # stop bits

    # -- state ----------------------------------------------------------------------------
    def close(self) -> None:
        """Unplug the cable: the link is closed (a printer's paper record is flushed)."""
        self.link.close()

    def get_state(self) -> dict:
        """The registers, switches, the characters in flight and their timing
        (not the link: what is on the far end belongs to the host)."""
        return {
            "control": self.control, "tx_code": self.tx_code, "rx_code": self.rx_code,
            "status": self.status, "data": self.data, "switches": self.switches,
            "thr": self._thr, "tsr": self._tsr, "tx_end": self._tx_end,
            "rx": None if self._rx is None else list(self._rx),
            "rx_start": self._rx_start, "rx_end": self._rx_end,
            "rx_queue": [list(x) for x in self._rx_queue], "now": self._now,
            "tx_frame": [self._tx_frame.baud, self._tx_frame.data_bits,
                         self._tx_frame.parity, self._tx_frame.stop_bits],
            "sent": self.sent, "received": self.received,
        }

    def set_state(self, state: dict) -> None:
        self.control = int(state["control"]) & 0xFF
        self.tx_code, self.rx_code = int(state["tx_code"]) & 15, int(state["rx_code"]) & 15
        self.status = int(state["status"]) & 0xF8
        self.data = int(state["data"]) & 0xFF
        self.switches = int(state["switches"]) & 0xFF
        self._thr, self._tsr = _byte_or_none(state["thr"]), _byte_or_none(state["tsr"])
        self._tx_end = int(state["tx_end"])
        baud, data_bits, parity, stop_bits = state["tx_frame"]  # the character shifting out
        self._tx_frame = Frame(float(baud), int(data_bits), str(parity), float(stop_bits))
        self.sent, self.received = int(state["sent"]), int(state["received"])
        self._rx = None if state["rx"] is None else tuple(state["rx"])
        self._rx_start, self._rx_end = int(state["rx_start"]), int(state["rx_end"])
        self._rx_bit_ticks = BIT_TICKS[self.rx_code]
        self._rx_queue = deque(tuple(x) for x in state["rx_queue"])
        self._now = int(state["now"])
        self._next_poll = NEVER
        self._lines_at = -NEVER  # read the far end's lines afresh
        self._apply_control()
        self._schedule()


def _byte_or_none(value) -> int | None:
    return None if value is None else int(value) & 0xFF
