"""End to end: ``z80emu monitor`` in a pseudo-terminal, typed at as a person would
(readline history, the asm prompt, Ctrl-C stopping a run, quit)."""

from __future__ import annotations

import os
import sys
import time

import pytest

pexpect = pytest.importorskip("pexpect")


def spawn(tmp_path, *args: str):
    env = dict(os.environ, Z80EMU_HISTORY=str(tmp_path / "history"), TERM="dumb",
               PYTHONIOENCODING="utf-8")
    child = pexpect.spawn(sys.executable, ["-m", "z80emu", "monitor", *args], env=env,
                          encoding="utf-8", timeout=30, dimensions=(40, 160))
    return child


def test_a_session_in_a_terminal(tmp_path) -> None:
    child = spawn(tmp_path)
    child.expect("Type help for the commands")
    child.expect_exact("z80> ")
    child.sendline("poke 7F00 3E 41 32 00 3C C9")
    child.expect_exact("7F00: 3E 41 32 00 3C C9")
    child.expect_exact("z80> ")
    child.sendline("asm 7F10")
    child.expect_exact("7F10: ")
    child.sendline("JR 7F10")
    child.expect_exact("7F10  18 FE          JR 7F10H                 12")
    child.expect_exact("7F12: ")
    child.sendline("")
    child.expect_exact("z80> ")
    child.sendline("regs SP=8000")
    child.expect_exact("z80> ")
    child.sendline("time 7F00")
    child.expect_exact("30 T-states = 16.91 \u00b5s at 1.77408 MHz")
    child.expect_exact("z80> ")
    child.send("\x1b[A")  # up arrow: the last command again, from readline's history
    child.sendline("")
    child.expect_exact("30 T-states")
    child.expect_exact("z80> ")
    child.sendline("jump 7F10")  # JR $ forever, until Ctrl-C
    child.expect_exact("jump 7F10")
    # Give the run a moment to start (a busy host may be slow to get there), then
    # press Ctrl-C until the run reports it stopped.
    for _ in range(10):
        time.sleep(0.5)
        child.sendintr()
        if child.expect_exact(["stopped by Ctrl-C at 7F10h", pexpect.TIMEOUT], timeout=3) == 0:
            break
    else:
        pytest.fail("Ctrl-C did not stop the run")
    child.expect_exact("z80> ")
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "time 7F00" in (tmp_path / "history").read_text()


def test_a_trs80_session(tmp_path) -> None:
    child = spawn(tmp_path, "--machine", "trs80", "--ram", "16")
    child.expect_exact("trs80> ")
    child.sendline("poke 0 00")
    child.expect_exact("error: 0000h is ROM on the TRS-80")
    child.sendline("poke 3C00 \"HI\"")
    child.expect_exact("3C00: 48 49")
    child.sendline("screen")
    child.expect_exact("|HI")
    child.expect_exact("trs80> ")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
