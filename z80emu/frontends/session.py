"""What the pygame and terminal frontends share: the machine with its pacer and
sound, the actions behind the hotkeys, typed and pasted text, and the status.

A frontend owns the screen and the keyboard of the host; it turns host events
into calls here (``session.paste(text)``, ``session.reset()``...) and draws
what the machine shows. Everything goes through the machine's public API:
``run``, ``type``, ``typing``, ``screen_text``, ``screenshot``, ``reset``,
``power_on``, ``save_state``, ``load_state``, ``port_ff``, ``close``.

Typed and pasted text is uppercased unless the machine has the lowercase
modification: a stock Model I shows no lowercase and Level II BASIC only
understands uppercase keywords. A paste runs the machine at full speed until
its typing queue is empty.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from z80emu.frontends.realtime import FPS, Pacer, speed_label

__all__ = ["HOTKEYS", "Session", "host_text", "next_free_path"]

# (what it does, pygame key, terminal keys). Both help screens are made from this.
HOTKEYS: tuple[tuple[str, str, str], ...] = (
    ("this help", "F1", "F1 or Ctrl+K"),
    ("save the machine's state", "F2", "F2 or Ctrl+S"),
    ("load the saved state", "F3", "F3 or Ctrl+O"),
    ("reset (the reset button)", "F5", "F5 or Ctrl+R"),
    ("power off and on", "F6 or Shift+F5", "F6 or Ctrl+N"),
    ("break into the monitor", "F8", "F8 or Ctrl+G"),
    ("turbo on/off", "F9", "F9 or Ctrl+T"),
    ("full screen on/off", "F11", "-"),
    ("paper strip on/off (the printer's last lines)", "F7", "-"),
    ("screenshot (PNG)", "F12", "F12 or Ctrl+P"),
    ("paste the clipboard", "Ctrl+V", "your terminal's paste"),
    ("copy the screen text", "Ctrl+C", "your terminal's selection"),
    ("quit", "Ctrl+Q, close the window", "F10, Ctrl+Q or Ctrl+C"),
)

# Model I keys on the host keyboard (logical mode), for the help screens.
KEY_NOTES: tuple[tuple[str, str], ...] = (
    ("BREAK", "Esc"),
    ("CLEAR", "Home or Delete"),
    ("ENTER", "Enter"),
    ("arrows", "the arrow keys (Backspace is the left arrow)"),
)


def host_text(text: str, lowercase: bool = False) -> str:
    """Host text as the Model I should receive it: line ends become ENTER, tabs
    spaces, and letters uppercase unless the lowercase modification is fitted.

    >>> host_text('10 print "hi"\\r\\n20 goto 10\\n')
    '10 PRINT "HI"\\r20 GOTO 10\\r'
    >>> host_text("Hello", lowercase=True)
    'Hello'
    """
    text = text.replace("\r\n", "\r").replace("\n", "\r").replace("\t", " ")
    return text if lowercase else text.upper()


def next_free_path(stem: str, suffix: str, folder: str | os.PathLike = ".") -> Path:
    """The first ``stem-NNN.suffix`` in ``folder`` that does not exist yet."""
    folder = Path(folder)
    for n in range(1, 100_000):
        path = folder / f"{stem}-{n:03d}{suffix}"
        if not path.exists():
            return path
    raise FileExistsError(f"no free {stem}-NNN{suffix} name in {folder}")


class Session:
    """A machine being used interactively.

    ``speed`` is 1 for a real Model I, N for N times faster, None for max.
    ``notify`` shows a one-line message to the user (the frontend decides how).
    """

    def __init__(self, machine, speed: float | None = 1.0, *, sound: bool = False,
                 state_file: str | os.PathLike = "z80emu.state",
                 notify: Callable[[str], None] | None = None, fps: float = FPS,
                 pacer: Pacer | None = None) -> None:
        self.machine = machine
        self.notify = notify or (lambda message: print(f"z80emu: {message}",
                                                       file=sys.stderr))
        # The pacer holds the pace; the machine's own throttle must stay off.
        machine.speed = None
        self.pacer = pacer or Pacer(_Watched(self), speed, fps=fps)
        self.want_sound = sound
        self.sound = None
        self.state_file = Path(state_file)
        self.running = True
        # The monitor (F8): made on first use; it runs on the terminal z80emu was
        # started from, or on ``monitor_io`` = (stdin, stdout) when given.
        self.monitor = None
        self.monitor_io: tuple | None = None
        self.monitor_stop = None  # why a breakpoint or watchpoint stopped the machine
        self._sound_speed: object = ()  # the speed the sound was last told

    # -- the loop ------------------------------------------------------------------------
    def start(self) -> None:
        """Open what the session needs beyond the machine (sound)."""
        if self.want_sound and self.sound is None:
            from z80emu.frontends.sound import SoundOutput

            sound = SoundOutput(self.machine, self.notify)
            if sound.open():
                self.sound = sound

    def step(self) -> bool:
        """Run the machine for one frame; True when the frontend should draw."""
        if self.sound is not None:
            speed = self.pacer.effective_speed
            if speed != self._sound_speed:
                self.sound.set_speed(speed)
                self._sound_speed = speed
        draw = self.pacer.advance()
        if self.sound is not None and not self.pacer.paused:
            self.sound.update()
        return draw

    def wait(self) -> None:
        """Sleep until the next frame is due."""
        self.pacer.wait()

    def close(self) -> None:
        """End cleanly: stop the sound, let the machine flush printers and tapes."""
        self.running = False
        if self.sound is not None:
            self.sound.close()
            self.sound = None
        close = getattr(self.machine, "close", None)
        if callable(close):
            close()

    # -- keys ----------------------------------------------------------------------------
    def type_keys(self, text: str) -> None:
        """Keys typed on the host (logical mode), through the typing queue."""
        self.machine.type(host_text(text, self.machine.lowercase))

    def paste(self, text: str) -> None:
        """Pasted text: typed through the queue with the machine at full speed."""
        text = host_text(text, self.machine.lowercase)
        if not text:
            return
        self.machine.type(text)
        self.pacer.type_fast()
        lines = text.count("\r")
        self.notify(f"pasting {len(text)} characters"
                    + (f" ({lines} line{'s' if lines > 1 else ''})" if lines else "")
                    + " at full speed")

    def copy_text(self) -> str:
        """The screen as text for the clipboard: trailing spaces and blank lines gone."""
        lines = [line.rstrip() for line in self.machine.screen_text().splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + ("\n" if lines else "")

    # -- hotkey actions ---------------------------------------------------------------------
    def reset(self) -> None:
        self.machine.reset()
        self.notify("reset")

    def power_cycle(self) -> None:
        self.machine.power_on()
        if self.sound is not None:
            self.sound.attach()
        self.notify("power off and on")

    def toggle_turbo(self) -> None:
        on = self.pacer.toggle_turbo()
        self.notify("turbo on" if on else f"turbo off ({speed_label(self.pacer.speed)})")

    def save_state(self) -> None:
        try:
            self.machine.save_state(self.state_file)
        except OSError as exc:
            self.notify(f"{self.state_file}: cannot write: {exc.strerror or exc}")
            return
        self.notify(f"state saved to {self.state_file}")

    def load_state(self) -> None:
        if not self.state_file.exists():
            self.notify(f"no saved state yet ({self.state_file}); F2 saves one")
            return
        try:
            self.machine.load_state(self.state_file)
        except Exception as exc:  # StateError, OSError: the machine is unchanged
            self.notify(str(exc).splitlines()[0])
            return
        if self.sound is not None:
            self.sound.attach()
        self.pacer.resume()
        self.notify(f"state loaded from {self.state_file}")

    def screenshot(self, save: Callable[[Path], None] | None = None,
                   folder: str | os.PathLike = ".") -> Path | None:
        """Save a screenshot as the next free ``z80emu-NNN.png``; ``save(path)``
        writes it (the window's own picture), else the machine's screen is saved."""
        path = next_free_path("z80emu", ".png", folder)
        try:
            if save is not None:
                save(path)
            else:
                self.machine.screenshot(path)
        except (OSError, ValueError) as exc:
            self.notify(f"{path}: cannot write: {exc}")
            return None
        self.notify(f"screenshot saved to {path}")
        return path

    def quit(self) -> None:
        self.running = False

    # -- the monitor ------------------------------------------------------------------------
    def open_monitor(self):
        """The embedded monitor (``z80emu.monitor.Monitor``), made on first use; None
        (with a notice) when this installation has no monitor."""
        if self.monitor is None:
            try:
                from z80emu.monitor import Monitor
            except ImportError:
                self.notify("the monitor is not available in this installation")
                return None
            stdin, stdout = self.monitor_io or (None, None)
            self.monitor = Monitor(self.machine, stdin=stdin, stdout=stdout, embedded=True)
        return self.monitor

    def run_monitor(self, before: Callable[[], None] | None = None,
                    after: Callable[[], None] | None = None) -> bool:
        """Pause the machine and run the monitor until its ``go`` (or ``quit``), then
        resume. ``before`` and ``after`` give the terminal to the monitor and take
        it back. After a breakpoint or watchpoint stopped the machine
        (:attr:`monitor_stop`), the monitor first says why."""
        monitor = self.open_monitor()
        if monitor is None:
            return False
        self.pacer.pause()
        if self.sound is not None:
            self.sound.pause()
        try:
            if before is not None:
                before()
            monitor.cmdloop()
        finally:
            self.monitor_stop = None
            if after is not None:
                after()
            self.pacer.resume()
        self.notify("back from the monitor")
        return True

    # -- status ---------------------------------------------------------------------------
    def speed_text(self) -> str:
        """The speed as the title and status line show it."""
        pacer = self.pacer
        if pacer.paused:
            return "paused"
        if pacer.turbo:
            return "turbo"
        if pacer.fast_typing and self.machine.typing:
            return "pasting"
        if getattr(self.machine, "tape_running_fast", False):
            return "tape"
        return speed_label(pacer.speed)

    def status(self) -> str:
        """ROM, speed and emulated MHz, e.g. ``Level II BASIC · 1x · 1.77 MHz``."""
        return (f"{self.machine.rom.name} \u00b7 {self.speed_text()} \u00b7 "
                f"{self.pacer.mhz:.2f} MHz")


class _Watched:
    """What the pacer runs: the machine, through the monitor while the monitor has
    breakpoints or watchpoints set (or waits for a ``go ADDR`` to return)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def typing(self) -> bool:
        return self.session.machine.typing

    @property
    def tape_running_fast(self) -> bool:
        """The machine asks for full speed while its cassette motor runs."""
        return bool(getattr(self.session.machine, "tape_running_fast", False))

    def run(self, tstates: int) -> int:
        session = self.session
        monitor = session.monitor
        if monitor is None or not monitor.wants_control:
            return session.machine.run(tstates=tstates)
        if session.monitor_stop is not None:
            return 0  # stopped: the frontend is about to open the monitor
        cpu = session.machine.cpu
        start = cpu.cycles
        stop = monitor.run_for(tstates)
        if stop is not None:
            session.monitor_stop = stop
        return max(0, cpu.cycles - start)
