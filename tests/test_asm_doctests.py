"""The examples in the docstrings of the assembler, disassembler, reference and
file-format modules run as doctests, so the documentation cannot drift."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["z80emu.asm", "z80emu.asm.lexer", "z80emu.asm.expr", "z80emu.disasm", "z80emu.opref",
           "z80emu.formats.ihex", "z80emu.formats.cmd", "z80emu.formats.cas"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0
