"""The terminal frontend: plain-character stand-ins for block graphics, keys and
pastes (unit tests), and the real thing in tmux: start ``z80emu run --frontend
terminal``, send keys, capture the pane, check the text."""

from __future__ import annotations

import curses
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from z80emu.devices.video import sextant
from z80emu.frontends.terminal import TerminalFrontend, plain_char, plain_text
from z80emu.machines.trs80 import TRS80

REPO = Path(__file__).resolve().parents[1]


# -- plain characters -----------------------------------------------------------------

def test_every_block_graphic_has_a_plain_stand_in() -> None:
    seen = {plain_char(sextant(bits)) for bits in range(64)}
    assert all(c.isascii() and c.isprintable() and len(c) == 1 for c in seen)
    assert plain_char(sextant(0)) == " " and plain_char(sextant(63)) == "#"
    assert plain_char(sextant(0b000011)) == '"'          # top pair
    assert plain_char(sextant(0b110000)) == "_"          # bottom pair
    assert plain_char(sextant(0b010101)) == "["          # left column
    assert plain_text("A\u2191\u2192B") == "A^>B"


def test_sextant_bits_round_trip() -> None:
    from z80emu.frontends.terminal import _sextant_bits

    assert [_sextant_bits(sextant(b)) for b in range(64)] == list(range(64))


# -- keys -------------------------------------------------------------------------------

class Recorder:
    """A stand-in session that records what the frontend asks of it."""

    def __init__(self) -> None:
        self.machine = TRS80()
        self.typed: list[str] = []
        self.pasted: list[str] = []
        self.calls: list[str] = []
        self.machine.type = self.typed.append

    def type_keys(self, text: str) -> None:
        self.typed.append(text)

    def paste(self, text: str) -> None:
        self.pasted.append(text)

    def __getattr__(self, name: str):
        return lambda *args: self.calls.append(name)


def frontend() -> tuple[TerminalFrontend, Recorder]:
    session = Recorder()
    return TerminalFrontend(session, stdscr=None), session


def test_keys_typed_one_by_one() -> None:
    f, s = frontend()
    f.handle_keys(["a", "\r"])
    f.handle_keys([curses.KEY_LEFT, "\x1b", curses.KEY_HOME, "\x7f"])
    assert s.typed == ["a", "\r", "\u2190", "\x01", "\x1f", "\u2190"]
    assert s.pasted == []


def test_a_burst_of_text_is_a_paste() -> None:
    f, s = frontend()
    f.handle_keys(list("10 PRINT 1\r20 END\r"))
    assert s.pasted == ["10 PRINT 1\r20 END\r"] and s.typed == []


def test_bracketed_paste_across_polls() -> None:
    f, s = frontend()
    f.handle_keys(list("x\x1b[200~li"))
    f.handle_keys(list("st\x1b[201~"))
    assert s.typed == ["x"] and s.pasted == ["list"]


def test_hotkeys() -> None:
    f, s = frontend()
    for key in (curses.KEY_F9, "\x14", curses.KEY_F5, "\x13", "\x0f", "\x10", "\x11"):
        f.key(key)
    assert s.calls == ["toggle_turbo", "toggle_turbo", "reset", "save_state", "load_state",
                       "screenshot", "quit"]
    f.key(curses.KEY_F1)
    assert f.help_shown


def test_needs_a_terminal() -> None:
    from click.testing import CliRunner

    from z80emu.run_cmd import run_command

    result = CliRunner().invoke(run_command, ["--frontend", "terminal"])
    assert result.exit_code == 1
    assert "needs a terminal" in result.output


# -- in tmux ------------------------------------------------------------------------------

class Tmux:
    """A private tmux server running one command in an 80x24 pane."""

    def __init__(self, tmp_path: Path, command: list[str], cwd: Path) -> None:
        self.socket = str(tmp_path / "tmux.sock")
        env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color",
                   PYTHONPATH=str(REPO))
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        self.env = env
        shell = " ".join(_quote(part) for part in command)
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "80", "-y", "24",
                  "-c", str(cwd), shell)
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-S", self.socket, *args], env=self.env,
                              capture_output=True, text=True, timeout=30)
        return done.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "t", *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared in the pane:\n{screen}")
            time.sleep(0.1)

    def wait_dead(self, timeout: float = 30.0) -> str:
        """Wait for the command to end; returns the pane as it left it."""
        deadline = time.monotonic() + timeout
        while self.tmux("display-message", "-p", "-t", "t", "#{pane_dead}").strip() != "1":
            if time.monotonic() > deadline:
                raise AssertionError(f"z80emu did not end; the pane shows:\n{self.screen()}")
            time.sleep(0.1)
        return self.screen()

    def close(self) -> None:
        self.tmux("kill-server")


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


@pytest.fixture
def tmux(tmp_path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux not found: install tmux (apt-get install tmux) to run the "
                    "terminal frontend end-to-end tests")
    sessions = []

    def start(*args: str) -> Tmux:
        t = Tmux(tmp_path, [sys.executable, "-m", "z80emu", "run", *args], tmp_path)
        sessions.append(t)
        return t

    yield start
    for t in sessions:
        t.close()


def test_terminal_frontend_in_tmux(tmux) -> None:
    # No --frontend and no display: z80emu run chooses the terminal itself.
    t = tmux("--screen")
    t.wait_for("READY")
    t.keys("hello", literal=True)
    t.keys("Enter")
    t.keys("1 2 3", literal=True)        # a burst: typed as a paste, at full speed
    screen = t.wait_for("1 2 3")
    rows = screen.splitlines()
    assert any(row.strip() == "\u2502>HELLO" + " " * 58 + "\u2502" for row in rows)
    status = [row for row in rows if row.strip()][-1]
    assert "MHz" in status                   # the status line
    t.keys("F1")
    t.wait_for("break into the monitor")
    t.keys("x", literal=True)            # any key closes the help
    screen = t.wait_for("READY")
    assert "break into the monitor" not in screen
    t.keys("C-q")
    screen = t.wait_dead()
    lines = [line.rstrip() for line in screen.splitlines()]
    assert ">HELLO" in lines and ">1 2 3_" in lines    # --screen printed at the end


@pytest.mark.parametrize("ascii_only", [False, True])
def test_block_graphics_in_tmux(tmux, tmp_path, ascii_only: bool) -> None:
    machine = TRS80()
    machine.wait_for("READY", timeout=2.0)
    machine.poke(0x3C00 + 5 * 64, bytes(range(0x80, 0xC0)))
    machine.save_state(tmp_path / "graphics.state")
    t = tmux("--frontend", "terminal", "--load-state", "graphics.state",
             *(["--ascii"] if ascii_only else []))
    expected = "".join(sextant(b) for b in range(64))
    if ascii_only:
        expected = plain_text(expected)
    screen = t.wait_for(expected[1:20])
    assert expected.rstrip() in screen
    assert ("+----" in screen) == ascii_only      # the frame: plain or box drawing
    t.keys("C-q")
    t.wait_dead()
