"""The interactive frontends of ``z80emu run``: the pygame window and the terminal.

Each frontend module provides ``main(machine, speed, **options)`` and talks to
the machine only through its public API (DESIGN.md). This package chooses the
frontend when none is asked for and declares the command-line options the
frontends share; importing it does not import pygame or curses.

* :mod:`z80emu.frontends.pygame_ui`: the window (pygame-ce).
* :mod:`z80emu.frontends.terminal`: curses, for SSH, tmux and the console.
* :mod:`z80emu.frontends.session`: what both share (hotkey actions, paste, status).
* :mod:`z80emu.frontends.realtime`: the wall-clock pacing loop.
* :mod:`z80emu.frontends.sound`: port FFh's cassette output played as sound.

>>> choose_frontend({"DISPLAY": ":0"}, "linux")
'pygame'
>>> choose_frontend({}, "linux")
'terminal'
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Mapping

import click

__all__ = ["FRONTENDS", "PHOSPHORS", "choose_frontend", "frontend_module", "frontend_options",
           "has_display"]

# Frontend name (as --frontend takes it) -> the module providing main().
FRONTENDS = {"pygame": "z80emu.frontends.pygame_ui", "terminal": "z80emu.frontends.terminal"}
PHOSPHORS = ("white", "green", "amber")
DEFAULT_STATE_FILE = "z80emu.state"


def has_display(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a window can be opened: an X11 or Wayland display is named, or
    the platform always has one (Windows, macOS)."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return True
    return platform.startswith(("win32", "cygwin", "darwin"))


def choose_frontend(environ: Mapping[str, str] | None = None,
                    platform: str | None = None) -> str:
    """The frontend ``z80emu run`` uses when ``--frontend`` is not given: the
    pygame window with a display (and pygame installed), else the terminal."""
    if not has_display(environ, platform):
        return "terminal"
    if importlib.util.find_spec("pygame") is None:
        return "terminal"
    return "pygame"


def frontend_module(name: str) -> str:
    """The module that provides frontend ``name``'s ``main``.

    >>> frontend_module("pygame")
    'z80emu.frontends.pygame_ui'
    """
    return FRONTENDS.get(name, f"z80emu.frontends.{name}")


def frontend_options(command: Callable) -> Callable:
    """Add the interactive frontends' options to a click command (``z80emu run``).

    They arrive as keyword arguments that the command passes on to the
    frontend's ``main``; each frontend uses the ones that concern it.
    """
    options = [
        click.option("--scale", type=click.IntRange(1, 16), default=None,
                     help="pygame: pixels per dot (default: the largest that fits "
                          "the display, 3 if unknown)."),
        click.option("--fullscreen", is_flag=True, help="pygame: start full screen."),
        click.option("--phosphor", type=click.Choice(PHOSPHORS), default="white",
                     show_default=True, help="pygame: the colour of the screen."),
        click.option("--scanlines", is_flag=True,
                     help="pygame: dark gaps between the scan lines."),
        click.option("--keyboard", type=click.Choice(["logical", "physical"]),
                     default="logical", show_default=True,
                     help="pygame: logical types the characters of your keyboard; "
                          "physical maps keys by position (for games that hold keys)."),
        click.option("--paper/--no-paper", default=None,
                     help="pygame: show the printer's paper strip below the screen "
                          "(default: once something prints; F7 toggles it)."),
        click.option("--ascii", "ascii_only", is_flag=True,
                     help="terminal: plain characters for block graphics "
                          "(automatic when the locale is not UTF-8)."),
        click.option("--sound/--no-sound", default=None,
                     help="Play the cassette port as sound (default: on in the "
                          "window, off in the terminal)."),
        click.option("--state-file", type=click.Path(dir_okay=False),
                     default=DEFAULT_STATE_FILE, show_default=True,
                     help="Where the save/load state hotkeys keep the machine."),
    ]
    for option in reversed(options):
        command = option(command)
    return command
