"""End to end: the real pygame window under Xvfb, typed into with xdotool, read
back from the window's own screenshots (decoded cell by cell against the font)
and from ``--screen`` when the window quits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from z80emu.devices.font import cell_atlas

pytest.importorskip("pygame", reason="pygame-ce is not installed")

REPO = Path(__file__).resolve().parents[1]


def need(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not found: install {package} (apt-get install {package}) "
                    f"to run the window end-to-end test")


@pytest.fixture
def xdisplay():
    """A private X server (Xvfb) for the test; yields its DISPLAY name."""
    need("Xvfb", "xvfb")
    need("xdotool", "xdotool")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                               "1024x768x24", "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def decode_screen(path: Path, scale: int) -> list[str]:
    """Read a window screenshot back as text: each 6x12 cell matched to the font."""
    from PIL import Image

    pixels = np.asarray(Image.open(path).convert("L"))
    dots = (pixels[::scale, ::scale] > 40).astype(np.uint8)          # (192, 384)
    atlas = cell_atlas()
    codes = list(range(0x20, 0x60))                                   # what the ROM shows
    glyphs = {atlas[c].tobytes(): chr(c) for c in reversed(codes)}
    lines = []
    for row in range(16):
        line = ""
        for col in range(64):
            cell = dots[row * 12:(row + 1) * 12, col * 6:(col + 1) * 6]
            line += glyphs.get(np.ascontiguousarray(cell).tobytes(), "?")
        lines.append(line.rstrip())
    return lines


def xdotool(display: str, *args: str, timeout: float = 30) -> str:
    done = subprocess.run(["xdotool", *args], env=dict(os.environ, DISPLAY=display),
                          capture_output=True, text=True, timeout=timeout)
    return done.stdout


def test_typing_into_the_window(xdisplay, tmp_path) -> None:
    env = dict(os.environ, DISPLAY=xdisplay, SDL_AUDIODRIVER="dummy",
               PYGAME_HIDE_SUPPORT_PROMPT="1", PYTHONPATH=str(REPO))
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("SDL_VIDEODRIVER", None)
    # No --frontend: with a display, z80emu run chooses the window itself.
    app = subprocess.Popen([sys.executable, "-m", "z80emu", "run", "--scale", "2",
                            "--phosphor", "green", "--screen"],
                           cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        window = xdotool(xdisplay, "search", "--sync", "--pid", str(app.pid)).split()
        assert window, "the window never appeared"
        window = window[0]
        xdotool(xdisplay, "mousemove", "--window", window, "20", "20")
        xdotool(xdisplay, "windowfocus", "--sync", window)
        xdotool(xdisplay, "type", "--delay", "20", "hello 123")
        xdotool(xdisplay, "key", "Return")
        # Read the screen back from the window's screenshots (F12) until the text is
        # there: the keys go through the typing queue at the real Model I's pace.
        lines: list[str] = []
        deadline = time.monotonic() + 30
        shot = 0
        while time.monotonic() < deadline:
            shot += 1
            xdotool(xdisplay, "key", "F12")
            path = tmp_path / f"z80emu-{shot:03d}.png"
            for _ in range(100):
                if path.exists() and path.stat().st_size > 0:
                    break
                time.sleep(0.05)
            time.sleep(0.1)             # let the writer finish the file
            lines = decode_screen(path, 2)
            if any(line.endswith("HELLO 123") for line in lines):
                break
        assert "READY" in lines and any(line.endswith("HELLO 123") for line in lines), lines
        title = xdotool(xdisplay, "getwindowname", window)
        assert "z80emu" in title and "MHz" in title
        xdotool(xdisplay, "key", "ctrl+q")
        out, err = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == 0, err
    assert ">HELLO 123" in out.splitlines()         # --screen, read through the machine
