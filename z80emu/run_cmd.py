"""``z80emu run``: boot a TRS-80 Model I, optionally load a program, and run it in
a frontend or headless.

The headless frontend is a batch mode for scripts and tests (DESIGN.md, "The
machine contract"): it types ``--type`` text through the typing queue, runs
until ``--until`` text is on the screen (exit status 1 if it never appears)
or for ``--seconds`` emulated seconds, then prints the screen (``--screen``)
and/or saves a picture (``--screenshot``). Time is emulated time; without
``--speed`` the batch mode runs as fast as the host allows.

The interactive frontends live in ``z80emu.frontends.<name>``; each provides
``main(machine, speed, **options)`` and gets the options of
``z80emu.frontends.frontend_options``. ``--screen``, ``--screenshot`` and
``--save-state`` act when the frontend ends, whichever it is.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys

import click

from z80emu.frontends import frontend_module, frontend_options

FRONTENDS = ("pygame", "terminal", "headless")
DEFAULT_SECONDS = 10.0
BOOT_SECONDS = 1.0  # emulated time the ROM gets to start before FILE is loaded
FILE_KINDS = (".cmd", ".hex", ".ihx", ".bas", ".cas", ".wav")

_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|.)")
_SIMPLE = {"r": "\r", "n": "\n", "t": "\t", "\\": "\\", "e": "\x1b", "0": "\x00"}


def unescape(text: str) -> str:
    r"""Turn backslash escapes typed on a command line into characters.

    >>> unescape(r"PRINT 2+2\r") == "PRINT 2+2\r"
    True
    >>> unescape(r"A\x41\\B\q")
    'AA\\B\\q'
    """
    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code.startswith("x") and len(code) == 3:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, "\\" + code)

    return _ESCAPE.sub(replace, text)


def parse_speed(value: str) -> float | None:
    """'max' -> None (no limit), '1' -> 1.0 (the real 1.77408 MHz), 'N' -> N times."""
    if value.lower() == "max":
        return None
    try:
        speed = float(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not 1, a number or 'max'") from None
    if speed <= 0:
        raise click.BadParameter("the speed must be above 0")
    return speed


def _default_frontend() -> str:
    from z80emu.frontends import choose_frontend

    return choose_frontend()


@click.command("run")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--rom", type=click.Path(dir_okay=False), default=None,
              help="ROM image you own (else $Z80EMU_ROM, the config folder, the free ROM).")
@click.option("--ram", type=click.Choice(["4", "16", "32", "48"]), default="48",
              show_default=True, help="RAM in KB.")
@click.option("--expansion/--no-expansion", default=True, show_default=True,
              help="Expansion Interface (heartbeat interrupt, printer port).")
@click.option("--lowercase", is_flag=True, help="Fit the lowercase modification.")
@click.option("--frontend", type=click.Choice(FRONTENDS), default=None,
              help="pygame, terminal or headless (default: pygame with a display).")
@click.option("--speed", default=None, metavar="1|N|max",
              help="1 = a real Model I, N = N times faster, max = no limit.")
@click.option("--type", "type_text", default=None, metavar="TEXT",
              help=r"Keys to type (\r or \n is ENTER, \xHH any code, ^ the up arrow).")
@click.option("--until", default=None, metavar="TEXT",
              help="Run until TEXT is on the screen; exit status 1 if it never appears.")
@click.option("--seconds", type=float, default=None,
              help=f"Emulated seconds to run (with --until: the time limit) "
                   f"[default: {DEFAULT_SECONDS:g}].")
@click.option("--screen", is_flag=True, help="Print the screen text at the end.")
@click.option("--screenshot", type=click.Path(dir_okay=False), default=None,
              help="Save the screen as a PNG at the end.")
@click.option("--load-state", type=click.Path(dir_okay=False), default=None,
              help="Start from a state file saved by save_state.")
@click.option("--save-state", type=click.Path(dir_okay=False), default=None,
              help="Save the machine's state at the end.")
@click.option("--serial", default=None, metavar="TARGET",
              help="Plug the RS-232-C board into: terminet[:options], a serial port or "
                   "pyserial URL (socket://, rfc2217://, loop://), listen://HOST:PORT, "
                   "file:PATH or pty (docs/printing.md).")
@click.option("--printer", "printer_out", default=None, metavar="OUT",
              help="Paper record of the parallel-port printer (text, written through; "
                   ".pdf or .png: also rendered at the end).")
@click.option("--tape", "play_tape", is_flag=True,
              help="Play a .cas/.wav FILE into the cassette port for the ROM's CLOAD or "
                   "SYSTEM (default: load it straight into memory).")
@click.option("--no-autorun", is_flag=True,
              help="Load FILE but do not RUN it or jump to its entry point.")
@click.option("--record", type=click.Path(dir_okay=False), default=None,
              help="Write what the machine saves to tape (CSAVE) to this .cas file.")
@click.option("--real-tape", is_flag=True,
              help="Keep the chosen speed while the cassette motor runs "
                   "(default: full speed then).")
@click.option("--engine", type=click.Choice(["translate", "interpret"]), default="translate",
              show_default=True,
              help="CPU engine: translated traces, or one instruction at a time "
                   "(same results, for checking).")
@frontend_options
def run_command(file, rom, ram, expansion, lowercase, frontend, speed, type_text, until,
                seconds, screen, screenshot, load_state, save_state, serial, printer_out,
                play_tape, no_autorun, record, real_tape, engine, **ui) -> None:
    """Run a TRS-80 Model I, optionally with FILE: a BASIC program (.bas listing or
    tokenized, BASIC .cas) is loaded and RUN; a .cmd, .hex or SYSTEM .cas is
    loaded and started; a .wav tape recording is decoded first (docs/files.md)."""
    from z80emu.formats import FormatError
    from z80emu.loader import LoadError, start_file
    from z80emu.machines.state import StateError
    from z80emu.machines.trs80 import TRS80
    from z80emu.roms.lookup import RomError

    speed_value = parse_speed(speed) if speed is not None else None
    frontend = frontend or _default_frontend()
    module = None
    if frontend != "headless":
        name = frontend_module(frontend)
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            raise click.UsageError(
                f"the {frontend} frontend is not built yet; use --frontend headless")
        module = importlib.import_module(name)

    from z80emu.links import LinkError
    from z80emu.printer_cmd import describe, serial_target

    try:
        machine = TRS80(rom=rom, ram_kb=int(ram), expansion=expansion, lowercase=lowercase,
                        serial=serial_target(serial), printer=printer_out or True,
                        engine=engine)
    except (RomError, LinkError) as exc:
        raise click.ClickException(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"--serial/--printer: {exc}") from None
    click.get_current_context().call_on_close(machine.close)  # flush the paper, free links
    note = "" if machine.rom.known else "; running it anyway"
    click.echo(f"z80emu: {machine.rom.name} ({machine.rom.source}){note}", err=True)
    for line in describe(machine):
        click.echo(f"z80emu: {line}", err=True)

    machine.fast_tape = not real_tape
    if record:
        machine.tape.record_path = record
    try:
        if load_state:
            machine.load_state(load_state)
        if file:
            if not load_state:
                machine.run(seconds=BOOT_SECONDS)
            if not file.lower().endswith(FILE_KINDS):
                raise click.UsageError(f"{file}: give a .cmd, .hex, .bas, .cas or .wav file")
            note = start_file(machine, file, tape=play_tape, autorun=not no_autorun)
            click.echo(f"z80emu: {note}", err=True)
    except (FormatError, StateError, LoadError, OSError) as exc:
        raise click.ClickException(str(exc)) from None

    if module is not None:
        machine.speed = speed_value if speed is not None else 1.0
        if type_text:
            machine.type(unescape(type_text))
        module.main(machine, machine.speed, **ui)
        _finish(machine, screen, screenshot, save_state)
        return

    machine.speed = speed_value
    if type_text:
        machine.type(unescape(type_text))
    limit = DEFAULT_SECONDS if seconds is None else seconds
    status = 0
    if until is not None:
        try:
            machine.wait_for(until, timeout=limit)
        except TimeoutError:
            click.echo(f"z80emu: {until!r} did not appear within {limit:g} emulated seconds",
                       err=True)
            status = 1
    else:
        machine.run(seconds=limit)
    _finish(machine, screen, screenshot, save_state)
    sys.exit(status)


def _finish(machine, screen: bool, screenshot: str | None, save_state: str | None) -> None:
    """The end of a run, in any frontend: print the screen, save a picture and the state."""
    if screen:
        click.echo("\n".join(line.rstrip() for line in machine.screen_text().splitlines()))
    if screenshot:
        try:
            machine.screenshot(screenshot)
        except OSError as exc:
            raise click.ClickException(f"{screenshot}: cannot write: {exc.strerror}") from None
    if save_state:
        try:
            machine.save_state(save_state)
        except OSError as exc:
            raise click.ClickException(f"{save_state}: cannot write: {exc.strerror}") from None
