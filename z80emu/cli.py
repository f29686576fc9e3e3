"""The ``z80emu`` command: a click group whose subcommands live in their own modules.

Each subcommand is named in ``COMMANDS`` as ``"module:attribute"`` and imported only
when it is listed or invoked, so ``z80emu --help`` stays fast and a part of the
project that is missing (not written yet, or an optional dependency absent) hides
its own command without breaking the others. To add a command, write a
``click.Command`` in your module and append one line to ``COMMANDS``.
"""

from __future__ import annotations

import importlib

import click

from z80emu import __version__

# Command name -> "module:attribute" of a click.Command. Append a line to add one.
COMMANDS: dict[str, str] = {
    "cpm": "z80emu.cpm:cpm_command",
    "bench": "z80emu.bench:bench_command",
    "run": "z80emu.run_cmd:run_command",
    "asm": "z80emu.asm.cli:asm_command",
    "disasm": "z80emu.disasm:disasm_command",
    "ref": "z80emu.opref:ref_command",
    "monitor": "z80emu.monitor.cli:monitor_command",
    "printer": "z80emu.printer_cmd:printer_command",
    "basic": "z80emu.files_cmd:basic_group",
    "cas": "z80emu.files_cmd:cas_group",
    "cmd": "z80emu.files_cmd:cmd_group",
    "wav": "z80emu.files_cmd:wav_group",
}


class _Unavailable:
    """Why a command in the table could not be loaded."""

    def __init__(self, target: str, error: BaseException, missing: bool) -> None:
        self.target = target
        self.error = error
        # True when the module (or the package above it) simply is not there; False
        # when it is there but failed to import, which is a bug worth showing.
        self.missing = missing


def _load(target: str) -> click.Command | _Unavailable:
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # Missing only if the module that is absent is the target or a parent of it;
        # a module that imports something else that is absent is broken, not missing.
        absent = exc.name or ""
        missing = module_name == absent or module_name.startswith(absent + ".")
        return _Unavailable(target, exc, missing)
    except Exception as exc:  # a broken module must not take the other commands down
        return _Unavailable(target, exc, missing=False)
    command = getattr(module, attribute, None)
    if not isinstance(command, click.Command):
        error = AttributeError(f"{module_name} has no click command named {attribute!r}")
        return _Unavailable(target, error, missing=False)
    return command


class LazyGroup(click.Group):
    """A click group that imports the commands of ``table`` on demand."""

    def __init__(self, *args, table: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.table = COMMANDS if table is None else table
        self._loaded: dict[str, click.Command | _Unavailable] = {}

    def _resolve(self, name: str) -> click.Command | _Unavailable | None:
        if name not in self.table:
            return None
        if name not in self._loaded:
            self._loaded[name] = _load(self.table[name])
        return self._loaded[name]

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        names.update(n for n in self.table if isinstance(self._resolve(n), click.Command))
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        resolved = self._resolve(cmd_name)
        if resolved is None or isinstance(resolved, click.Command):
            return resolved
        if resolved.missing:
            raise click.UsageError(
                f"the '{cmd_name}' command is not available in this installation "
                f"({resolved.target.partition(':')[0]} is not installed)",
                ctx,
            )
        raise click.ClickException(
            f"the '{cmd_name}' command failed to load from {resolved.target}: "
            f"{type(resolved.error).__name__}: {resolved.error}"
        )


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="z80emu")
def main() -> None:
    """z80emu: a Z80 emulator and TRS-80 Model I toolkit."""
