"""Z80 programs that use the cassette port the way the Level II ROM does, for the
authentic tape tests (tests/test_load_tape.py); assembled by z80emu's assembler."""
