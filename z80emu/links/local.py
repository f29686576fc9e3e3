"""Links that need no hardware: ``file:PATH`` (raw bytes out, appended and flushed
one by one), ``pty`` (a pseudo-terminal another program opens, POSIX only) and
``listen://HOST:PORT`` (a TCP server that takes one connection at a time).

None of them has modem-control wires, so they report the far end ready (CTS,
DSR and CD asserted) whenever something can receive: always for a file and a
pty, while a client is connected for ``listen://``.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import sys

from z80emu.links.base import NOTHING, READY, Frame, Link, LinkError, LinkLost, ModemLines

log = logging.getLogger(__name__)

READ_CHUNK = 4096


class FileLink(Link):
    """Every character the TRS-80 sends is appended to ``path`` (nothing comes back)."""

    def __init__(self, path: str) -> None:
        self.name = f"file:{path}"
        self.path = path
        try:
            self._file = open(path, "ab")  # noqa: SIM115 - open for the whole run
        except OSError as exc:
            raise LinkError(f"{path}: cannot open for writing: {exc.strerror}") from None

    def send(self, byte: int, t: float, frame: Frame) -> None:
        try:
            self._file.write(bytes((byte,)))
            self._file.flush()
        except (OSError, ValueError) as exc:
            raise LinkLost(f"{self.path}: {exc}") from None

    def lines(self) -> ModemLines:
        return READY

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()


class PtyLink(Link):
    """A pseudo-terminal: other programs open :attr:`device` (or the symlink
    ``link_path``, when given) as if it were the TRS-80's serial port.

    The terminal is in raw mode, so bytes pass through unchanged. When nobody
    reads the other side and its buffer fills, characters are lost (a serial
    line does not wait either)."""

    polled = True

    def __init__(self, link_path: str | None = None) -> None:
        if sys.platform == "win32":
            raise LinkError("pty: pseudo-terminals need Linux, macOS or another POSIX system")
        import tty

        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        self.device = os.ttyname(self._slave)
        self.link_path = link_path
        self.name = f"pty {self.device}"
        self.lost = 0
        if link_path:
            if os.path.islink(link_path):
                os.unlink(link_path)
            elif os.path.exists(link_path):
                self.close()
                raise LinkError(f"pty:{link_path}: a file is already there (not replacing it)")
            os.symlink(self.device, link_path)
            self.name = f"pty {link_path} -> {self.device}"

    def send(self, byte: int, t: float, frame: Frame) -> None:
        try:
            os.write(self._master, bytes((byte,)))
        except BlockingIOError:
            self.lost += 1
        except OSError as exc:
            raise LinkLost(f"{self.name}: {exc.strerror}") from None

    def receive(self) -> bytes:
        try:
            return os.read(self._master, READ_CHUNK)
        except BlockingIOError:
            return b""
        except OSError as exc:
            if exc.errno == errno.EIO:  # nobody has the other side open
                return b""
            raise LinkLost(f"{self.name}: {exc.strerror}") from None

    def lines(self) -> ModemLines:
        return READY

    def close(self) -> None:
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.link_path and os.path.islink(self.link_path):
            os.unlink(self.link_path)


class ListenLink(Link):
    """A TCP server on ``host:port`` (port 0: any free port, see :attr:`address`).
    One client at a time; when it hangs up, the server waits for the next."""

    polled = True

    def __init__(self, host: str, port: int) -> None:
        try:
            self._server = socket.create_server((host, port))
        except OSError as exc:
            raise LinkError(f"listen://{host}:{port}: cannot listen: {exc.strerror}") from None
        self._server.setblocking(False)
        self.address = self._server.getsockname()[:2]
        self.name = f"listen://{self.address[0]}:{self.address[1]}"
        self._client: socket.socket | None = None

    def _accept(self) -> socket.socket | None:
        if self._client is None:
            try:
                client, peer = self._server.accept()
            except BlockingIOError:
                return None
            client.setblocking(False)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._client = client
            log.info("%s: connection from %s:%s", self.name, *peer[:2])
        return self._client

    def _hang_up(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
            log.info("%s: the client hung up; waiting for the next", self.name)

    def send(self, byte: int, t: float, frame: Frame) -> None:
        client = self._accept()
        if client is None:
            return  # nobody on the line
        try:
            client.sendall(bytes((byte,)))
        except BlockingIOError:
            pass  # the client is not reading: the character is lost
        except OSError:
            self._hang_up()

    def receive(self) -> bytes:
        client = self._accept()
        if client is None:
            return b""
        try:
            data = client.recv(READ_CHUNK)
        except BlockingIOError:
            return b""
        except OSError:
            data = b""
        if not data:
            self._hang_up()
        return data

    def lines(self) -> ModemLines:
        return READY if self._accept() is not None else NOTHING

    @property
    def connected(self) -> bool:
        return self._client is not None

    def close(self) -> None:
        self._hang_up()
        self._server.close()
