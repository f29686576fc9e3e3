"""A link through pyserial: a real serial port (``/dev/ttyUSB0``, ``COM3``) or any
pyserial URL (``socket://host:port``, ``rfc2217://host:port``, ``loop://``...).

The port follows the TRS-80: its bit rate, word length, parity and stop bits
are set from the UART's (pyserial has one rate for both directions, so the
transmit rate is used), DTR, RTS and break follow the board's handshake latch,
and CTS, DSR, CD and RI are read from the port where it has them (a socket
reports them asserted; ``loop://`` loops RTS to CTS and DTR to DSR).

Reads never wait: the board polls for input on its schedule. Writes wait at
most ``write_timeout`` seconds (a far end that stops reading loses characters,
with one warning). A port that fails raises LinkLost.
"""

from __future__ import annotations

import logging

from z80emu.links.base import Frame, Link, LinkError, LinkLost, ModemLines

log = logging.getLogger(__name__)

READ_CHUNK = 4096
PARITY = {"N": "N", "E": "E", "O": "O"}


class SerialLink(Link):
    """The pyserial port or URL ``url``."""

    polled = True

    def __init__(self, url: str, frame: Frame | None = None,
                 write_timeout: float = 2.0) -> None:
        import serial

        self._serial = serial
        self.name = url
        frame = frame or Frame(300)
        try:
            self.port = serial.serial_for_url(
                url, baudrate=round(frame.baud), timeout=0, write_timeout=write_timeout)
        except (serial.SerialException, ValueError, OSError) as exc:
            raise LinkError(f"{url}: cannot open: {exc}") from None
        self._warned_write = False
        self._warned_config = False

    def _lost(self, exc: Exception) -> LinkLost:
        return LinkLost(f"{self.name}: {exc}")

    def send(self, byte: int, t: float, frame: Frame) -> None:
        try:
            self.port.write(bytes((byte,)))
        except self._serial.SerialTimeoutException:
            if not self._warned_write:
                self._warned_write = True
                log.warning("%s: the far end is not reading; characters are being lost",
                            self.name)
        except (self._serial.SerialException, OSError) as exc:
            raise self._lost(exc) from None

    def receive(self) -> bytes:
        try:
            return self.port.read(READ_CHUNK)
        except (self._serial.SerialException, OSError) as exc:
            raise self._lost(exc) from None

    def lines(self) -> ModemLines:
        port = self.port
        try:
            return ModemLines(bool(port.cts), bool(port.dsr), bool(port.cd), bool(port.ri))
        except (self._serial.SerialException, OSError) as exc:
            raise self._lost(exc) from None

    def set_control(self, dtr: bool, rts: bool, brk: bool) -> None:
        port = self.port
        try:
            if port.dtr != dtr:
                port.dtr = dtr
            if port.rts != rts:
                port.rts = rts
            if port.break_condition != brk:
                port.break_condition = brk
        except (self._serial.SerialException, OSError) as exc:
            raise self._lost(exc) from None

    def configure(self, frame: Frame) -> None:
        port = self.port
        serial = self._serial
        stop = {1: serial.STOPBITS_ONE, 1.5: serial.STOPBITS_ONE_POINT_FIVE,
                2: serial.STOPBITS_TWO}[frame.stop_bits]
        try:
            port.baudrate = round(frame.baud)
            port.bytesize = frame.data_bits
            port.parity = PARITY[frame.parity]
            port.stopbits = stop
        except ValueError as exc:  # a rate or format this port cannot do
            if not self._warned_config:
                self._warned_config = True
                log.warning("%s: cannot set %g bit/s %d%s%g (%s); keeping %s", self.name,
                            frame.baud, frame.data_bits, frame.parity, frame.stop_bits, exc,
                            port.get_settings())
        except (serial.SerialException, OSError) as exc:
            raise self._lost(exc) from None

    def close(self) -> None:
        try:
            self.port.close()
        except (self._serial.SerialException, OSError):
            pass
