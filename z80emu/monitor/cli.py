"""The ``z80emu monitor`` command: the monitor on a bare Z80 or a TRS-80, at the
terminal (with readline history) or running a script of commands (``-c``)."""

from __future__ import annotations

import os
import sys

import click

HISTORY_ENV = "Z80EMU_HISTORY"  # where the command history is kept (default ~/.z80emu_history)


@click.command("monitor")
@click.option("--machine", type=click.Choice(["z80", "trs80"]), default="z80",
              show_default=True, help="A bare 64 KB Z80, or a TRS-80 Model I.")
@click.option("--rom", type=click.Path(dir_okay=False), default=None,
              help="TRS-80 ROM image (default: the project's own ROM).")
@click.option("--ram", "ram_kb", type=click.Choice(["4", "16", "32", "48"]), default="48",
              show_default=True, help="TRS-80 RAM in KB.")
@click.option("--boot", type=float, default=1.0, show_default=True,
              help="TRS-80: emulated seconds to run the ROM before the first prompt.")
@click.option("-c", "--commands", "script", type=click.Path(dir_okay=False, allow_dash=True),
              default=None, help="Run the commands in this file (- for standard input), "
              "then exit; the status is 1 if any failed.")
@click.option("--limit", type=float, default=None,
              help="Stop any run after this many emulated seconds (default: none; "
              "60 with -c).")
def monitor_command(machine, rom, ram_kb, boot, script, limit):
    """The hand-assembly monitor: poke, peek, asm, dis, step, go, time, basic...
    Type help at its prompt. Numbers are hex; #decimal."""
    from .shell import Monitor

    if machine == "trs80":
        from z80emu.machines.trs80 import TRS80
        from z80emu.roms.lookup import RomError

        try:
            target = TRS80(rom=rom, ram_kb=int(ram_kb))
        except (RomError, OSError, ValueError) as e:
            raise click.ClickException(str(e)) from None
        if boot > 0:
            target.run(seconds=boot)
    else:
        if rom is not None:
            raise click.UsageError("--rom needs --machine trs80")
        target = None
    if script is not None:
        try:
            stream = sys.stdin if script == "-" else open(script, encoding="utf-8")
        except OSError as e:
            raise click.ClickException(f"{script}: cannot read: {e.strerror}") from None
        with stream:
            monitor = Monitor(target, stdin=stream, stdout=sys.stdout, echo=True,
                              run_limit=60.0 if limit is None else limit)
            monitor.repeat_empty = False
            monitor.cmdloop()
        sys.stdout.flush()
        if monitor.failures:
            click.echo(f"{script}: {monitor.failures} command"
                       f"{'s' if monitor.failures != 1 else ''} failed", err=True)
            sys.exit(1)
        return
    monitor = Monitor(target, run_limit=limit)
    interactive = sys.stdin.isatty()
    if not interactive:
        monitor.use_rawinput = False
        monitor.echo = True
    history = _start_history() if interactive else None
    try:
        monitor.cmdloop(f"z80emu monitor on a {monitor.target.name}. "
                        f"Type help for the commands, quit to leave.")
    finally:
        if history:
            history()
    if not interactive and monitor.failures:
        sys.exit(1)


def _start_history():
    """Load the readline history; returns the function that saves it (or None)."""
    try:
        import readline
    except ImportError:  # no readline (Windows without pyreadline): no history
        return None
    path = os.environ.get(HISTORY_ENV) or os.path.join(os.path.expanduser("~"),
                                                       ".z80emu_history")
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(1000)

    def save() -> None:
        try:
            readline.write_history_file(path)
        except OSError:
            pass

    return save
