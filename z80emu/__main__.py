"""``python -m z80emu``: the same as the ``z80emu`` command."""

from z80emu.cli import main

if __name__ == "__main__":
    main()
