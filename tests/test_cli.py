"""The ``z80emu`` command: help, version, and the lazily loaded command table."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import click
import pytest
from click.testing import CliRunner

import z80emu
from z80emu.cli import COMMANDS, LazyGroup, main


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    for name in ("cpm", "bench"):
        assert name in result.output


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"z80emu, version {z80emu.__version__}"


def test_python_dash_m_runs_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "z80emu", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert z80emu.__version__ in done.stdout


def test_command_table_names_the_commands_we_ship() -> None:
    assert COMMANDS["cpm"] == "z80emu.cpm:cpm_command"
    assert COMMANDS["bench"] == "z80emu.bench:bench_command"


@pytest.fixture
def fake_commands(tmp_path, monkeypatch):
    """A package with one good, one broken and one non-command module, importable."""
    pkg = tmp_path / "fakecmds"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "good.py").write_text(
        textwrap.dedent(
            """
            import click

            @click.command()
            def hello():
                "Say hello."
                click.echo("hello from good")
            """
        )
    )
    (pkg / "broken.py").write_text("import no_such_dependency_for_z80emu_tests\n")
    (pkg / "notcmd.py").write_text("hello = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    table = {
        "good": "fakecmds.good:hello",
        "missing": "fakecmds.not_written_yet:command",
        "broken": "fakecmds.broken:command",
        "notcmd": "fakecmds.notcmd:hello",
    }

    @click.group(cls=LazyGroup, table=table)
    def cli() -> None:
        """Test group."""

    return cli


def test_lazy_group_lists_only_commands_that_load(fake_commands) -> None:
    result = CliRunner().invoke(fake_commands, ["--help"])
    assert result.exit_code == 0
    assert "good" in result.output
    for name in ("missing", "broken", "notcmd"):
        assert name not in result.output


def test_lazy_group_runs_a_command_beside_missing_ones(fake_commands) -> None:
    result = CliRunner().invoke(fake_commands, ["good"])
    assert result.exit_code == 0
    assert result.output == "hello from good\n"


def test_missing_command_module_says_it_is_not_installed(fake_commands) -> None:
    result = CliRunner().invoke(fake_commands, ["missing"])
    assert result.exit_code == 2
    assert "not available" in result.output
    assert "fakecmds.not_written_yet" in result.output
    assert "Traceback" not in result.output


def test_broken_command_module_reports_its_error(fake_commands) -> None:
    result = CliRunner().invoke(fake_commands, ["broken"])
    assert result.exit_code == 1
    assert "failed to load" in result.output
    assert "no_such_dependency_for_z80emu_tests" in result.output


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_lazy_package_attributes() -> None:
    assert "TRS80" in dir(z80emu) and "Z80" in dir(z80emu)
    with pytest.raises(AttributeError):
        z80emu.no_such_thing  # noqa: B018
