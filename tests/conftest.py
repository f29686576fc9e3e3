"""Shared test helpers: where the external material in ``../shared`` lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The project's shared folder: ``$Z80EMU_SHARED`` if set, else ``../shared``
    beside the repository. It may not exist (a lone clone); callers check and skip.
    """
    env = os.environ.get("Z80EMU_SHARED")
    if env:
        return Path(env).expanduser().resolve()
    return REPO_ROOT.parent / "shared"


def conformance_dir(name: str) -> Path:
    """A conformance suite folder, or a skip saying where it was looked for."""
    path = shared_dir() / "conformance" / name
    if not path.is_dir():
        pytest.skip(
            f"conformance suite {name!r} not found at {path}: the suites live in "
            f"../shared/conformance beside the repository (or set Z80EMU_SHARED)"
        )
    return path


@pytest.fixture
def shared() -> Path:
    """The shared folder (see ``shared_dir``)."""
    return shared_dir()


@pytest.fixture
def translate_at_once(monkeypatch):
    """Translate code the first time run() reaches it (normally an address is
    stepped until it has been reached z80.HOT times), so that tests comparing
    the engines exercise translated code everywhere."""
    monkeypatch.setattr("z80emu.cpu.z80.HOT", 1)


@pytest.fixture
def pygame_window(monkeypatch, tmp_path):
    """`pygame_window(machine=None, sound=False, **options)` opens a PygameFrontend on
    SDL's dummy drivers (a booted TRS80 unless a machine is given); every window
    it opened is closed after the test."""
    from z80emu.frontends.pygame_ui import PygameFrontend
    from z80emu.frontends.session import Session
    from z80emu.machines.trs80 import TRS80

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.chdir(tmp_path)
    opened = []

    def make_frontend(machine=None, sound=False, **options) -> PygameFrontend:
        if machine is None:
            machine = TRS80()
            machine.wait_for("READY", timeout=2.0)
        session = Session(machine, 1.0, sound=sound, state_file=tmp_path / "m.state")
        frontend = PygameFrontend(session, **options)
        frontend.open()
        opened.append(frontend)
        return frontend

    yield make_frontend
    for frontend in opened:
        frontend.close()
