"""What the RS-232-C board can be plugged into: ``loop://`` and a local
``socket://`` server carry bytes both ways, ``file:`` keeps what is sent, a
``pty`` is a port other programs open, ``listen://`` takes a client, and a
socket that vanishes mid-run is dropped with one message while the machine
runs on. The Z80 side is a program assembled by z80emu's assembler.

Sockets are on 127.0.0.1 only, with short time limits; emulated time decides
everything the Z80 sees, and the wall clock only bounds how long a test may
wait for the other thread.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time

import pytest

from tests.printhelp import DONE, load, table_program
from z80emu.links import LinkError, open_link
from z80emu.machines.trs80 import TRS80

WALL_LIMIT = 20.0  # seconds a test may wait for the other end

# Send each of MESSAGE's characters, wait for one to come back, store it.
ECHO = f"""
        ORG     6000H
START:  DI
        OUT     (0E8H),A
        LD      A,0EEH          ; 9600 baud both ways
        OUT     (0E9H),A
        LD      A,6CH
        OUT     (0EAH),A
        LD      HL,MESSAGE
        LD      DE,6100H
        LD      B,LENGTH
NEXT:   LD      A,(HL)
        OUT     (0EBH),A
WAIT:   IN      A,(0EAH)
        BIT     7,A             ; DR
        JR      Z,WAIT
        IN      A,(0EBH)
        LD      (DE),A
        INC     DE
        INC     HL
        DJNZ    NEXT
        LD      A,0AAH
        LD      ({DONE}),A
STOP:   JR      STOP
MESSAGE: DB     "HELLO"
LENGTH  EQU     $-MESSAGE
        END     START
"""

# Send HELLO, then store five characters that come back (whatever they are).
SEND_THEN_RECEIVE = f"""
        ORG     6000H
START:  DI
        OUT     (0E8H),A
        LD      A,0EEH
        OUT     (0E9H),A
        LD      A,6CH
        OUT     (0EAH),A
        LD      HL,MESSAGE
        LD      B,5
SEND:   IN      A,(0EAH)
        BIT     6,A             ; THRE
        JR      Z,SEND
        LD      A,(HL)
        OUT     (0EBH),A
        INC     HL
        DJNZ    SEND
        LD      DE,6100H
        LD      B,5
RECV:   IN      A,(0EAH)
        BIT     7,A
        JR      Z,RECV
        IN      A,(0EBH)
        LD      (DE),A
        INC     DE
        DJNZ    RECV
        LD      A,0AAH
        LD      ({DONE}),A
STOP:   JR      STOP
MESSAGE: DB     "HELLO"
        END     START
"""


def booted(**kwargs) -> TRS80:
    m = TRS80(**kwargs)
    m.wait_for("READY", timeout=2.0)
    return m


def run_until_done(m: TRS80) -> None:
    """Run in small slices (so other threads get their turn) until DONE, with a
    wall-clock bound."""
    give_up = time.monotonic() + WALL_LIMIT
    while m.memory[DONE] != 0xAA:
        assert time.monotonic() < give_up, "the program did not finish"
        m.run(seconds=0.05, until=lambda: m.memory[DONE] == 0xAA)


def test_loop_carries_bytes_out_and_back() -> None:
    m = booted(serial="loop://")
    load(m, ECHO)
    run_until_done(m)
    assert m.peek(0x6100, 5) == b"HELLO"
    assert m.rs232.sent == 5 and m.rs232.received == 5
    m.close()


class Server:
    """A one-connection TCP server on 127.0.0.1 that records what it gets and
    answers with ``reply`` once ``expect`` bytes have come."""

    def __init__(self, expect: int, reply: bytes, hang_up: bool = False) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(WALL_LIMIT)
        self.port = self.sock.getsockname()[1]
        self.expect, self.reply, self.hang_up = expect, reply, hang_up
        self.got = b""
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
            with conn:
                conn.settimeout(WALL_LIMIT)
                while len(self.got) < self.expect:
                    data = conn.recv(64)
                    if not data:
                        break
                    self.got += data
                if self.hang_up:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    return
                conn.sendall(self.reply)
                time.sleep(0.5)  # stay up while the machine reads
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            self.sock.close()

    def join(self) -> None:
        self.thread.join(WALL_LIMIT)
        assert self.error is None, self.error


def test_socket_carries_bytes_both_ways() -> None:
    server = Server(expect=5, reply=b"WORLD")
    m = booted(serial=f"socket://127.0.0.1:{server.port}")
    load(m, SEND_THEN_RECEIVE)
    run_until_done(m)
    m.close()
    server.join()
    assert server.got == b"HELLO"
    assert m.peek(0x6100, 5) == b"WORLD"


def test_a_vanished_socket_is_dropped_and_the_machine_runs_on(caplog) -> None:
    server = Server(expect=3, reply=b"", hang_up=True)
    m = booted(serial=f"socket://127.0.0.1:{server.port}")
    load(m, table_program(b"ABCDEFGHIJ" * 3, setup="""
        OUT     (0E8H),A
        LD      A,0EEH
        OUT     (0E9H),A
        LD      A,6CH
        OUT     (0EAH),A
"""))
    with caplog.at_level(logging.WARNING):
        run_until_done(m)
        server.join()
        give_up = time.monotonic() + WALL_LIMIT
        while "dropped" not in m.rs232.link.name:
            assert time.monotonic() < give_up, "the hang-up was never noticed"
            m.run(seconds=0.05)
        m.run(seconds=0.5)
    lost = [r.getMessage() for r in caplog.records if "serial link lost" in r.getMessage()]
    assert len(lost) == 1
    assert f"socket://127.0.0.1:{server.port}" in lost[0]
    assert "the machine keeps running" in lost[0]
    assert m.rs232.sent == 30  # the UART went on sending, into nothing
    m.close()


def test_file_link_appends_what_is_sent(tmp_path) -> None:
    out = tmp_path / "raw.bin"
    out.write_bytes(b"OLD")
    m = booted(serial=f"file:{out}")
    load(m, table_program(b"NEW\r"))
    run_until_done(m)
    m.run(seconds=0.1)
    m.close()
    assert out.read_bytes() == b"OLDNEW\r"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty links: Linux")
def test_pty_is_a_port_other_programs_open(tmp_path) -> None:
    link_path = tmp_path / "trs80"
    m = booted(serial=f"pty:{link_path}")
    device = m.rs232.link.device
    assert os.path.realpath(link_path) == os.path.realpath(device)
    fd = os.open(link_path, os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, b"WORLD")
        load(m, SEND_THEN_RECEIVE)
        run_until_done(m)
        m.run(seconds=0.1)
        got = b""
        give_up = time.monotonic() + WALL_LIMIT
        while len(got) < 5 and time.monotonic() < give_up:
            got += os.read(fd, 16)
    finally:
        os.close(fd)
        m.close()
    assert got == b"HELLO"
    assert m.peek(0x6100, 5) == b"WORLD"
    assert not os.path.lexists(link_path)  # the symlink goes with the link


def test_listen_link_takes_a_client() -> None:
    link = open_link("listen://127.0.0.1:0")
    host, port = link.address
    m = booted(serial=link)
    client = socket.create_connection((host, port), timeout=WALL_LIMIT)
    try:
        client.sendall(b"WORLD")
        load(m, SEND_THEN_RECEIVE)
        run_until_done(m)
        m.run(seconds=0.1)
        got = b""
        client.settimeout(WALL_LIMIT)
        while len(got) < 5:
            got += client.recv(16)
    finally:
        client.close()
        m.close()
    assert got == b"HELLO"
    assert m.peek(0x6100, 5) == b"WORLD"


@pytest.mark.parametrize("target, message", [
    ("bogus://x", "cannot open"),
    ("/dev/z80emu-no-such-port", "cannot open"),
    ("terminet:cps=20", "10, 15 or 30"),
    ("terminet:colour=red", "unknown option"),
    ("listen:5000", "listen://HOST:PORT"),
    ("file:", "needs a path"),
])
def test_bad_targets_get_one_line_messages(target: str, message: str) -> None:
    with pytest.raises(LinkError) as info:
        open_link(target)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
