"""The keyboard device on its own: the matrix window, host keys, the typing queue."""

from __future__ import annotations

import logging

import pytest

from z80emu.devices.keyboard import CHAR_KEYS, KEYS, MATRIX, Keyboard, key_code, keys_for


def kb() -> Keyboard:
    return Keyboard(bytearray(65536))


def test_matrix_layout_matches_reference() -> None:
    assert MATRIX[0] == ("@", "A", "B", "C", "D", "E", "F", "G")
    assert KEYS["Z"] == (3, 2)
    assert KEYS["ENTER"] == (6, 0) and KEYS["SPACE"] == (6, 7)
    assert KEYS["SHIFT"] == (7, 0)
    assert KEYS["/"] == (5, 7)


def test_rows_are_ored_and_mirrored() -> None:
    k = kb()
    k.press("A")      # row 0 bit 1
    k.press("J")      # row 1 bit 2
    k.press("SPACE")  # row 6 bit 7
    mem = k.memory
    assert mem[0x3801] == 0x02
    assert mem[0x3802] == 0x04
    assert mem[0x3803] == 0x06  # rows 0 and 1 together
    assert mem[0x3840] == 0x80
    assert mem[0x38FF] == 0x86
    assert mem[0x3800] == 0x00  # no row selected
    for mirror in (0x3900, 0x3A00, 0x3B00):
        assert mem[mirror:mirror + 256] == mem[0x3800:0x3900]
    k.release("J")
    assert mem[0x3803] == 0x02


def test_level2_codes_of_keys() -> None:
    assert key_code("@") == 0x40 and key_code("Z", True) == 0x7A
    assert key_code("0") == 0x30 and key_code(";") == 0x3B and key_code(",") == 0x2C
    assert key_code("/", True) == 0x3F and key_code("-", True) == 0x3D
    assert key_code("BREAK") == 0x01 and key_code("CLEAR", True) == 0x1F
    assert key_code("LEFT", True) == 0x18


@pytest.mark.parametrize("ch, keys", [
    ("A", ("A",)), ("a", ("SHIFT", "A")), ("!", ("SHIFT", "1")), ("*", ("SHIFT", ":")),
    ("+", ("SHIFT", ";")), ("<", ("SHIFT", ",")), ("?", ("SHIFT", "/")), (" ", ("SPACE",)),
    ("\r", ("ENTER",)), ("\n", ("ENTER",)), ("^", ("UP",)), ("[", ("UP",)),
    ("\b", ("LEFT",)), ("\x1f", ("CLEAR",)), ("\x03", ("SHIFT", "DOWN", "C")),
    ("@", ("@",)), ("`", ("SHIFT", "@")), ("'", ("SHIFT", "7")), ("=", ("SHIFT", "-")),
])
def test_logical_mode_finds_the_keys(ch: str, keys: tuple[str, ...]) -> None:
    assert keys_for(ch) == keys


def test_every_mapped_character_is_produced_by_its_keys() -> None:
    for ch, keys in CHAR_KEYS.items():
        if len(ch) != 1 or ord(ch) > 0x7F or ch in "\n^":
            continue
        shift = "SHIFT" in keys
        code = key_code(keys[-1], shift)
        if "DOWN" in keys and len(keys) == 3:
            code -= 0x60
        assert code == ord(ch), (ch, keys)


def test_physical_mode_maps_host_keys() -> None:
    k = kb()
    assert k.host_key("left shift", True)
    assert k.host_key("2", True)
    assert k.memory[0x3880] == 0x01 and k.memory[0x3810] == 0x04
    assert k.host_key("return", True) and k.memory[0x3840] == 0x01
    assert not k.host_key("f13", True)
    k.host_key("2", False)
    assert k.memory[0x3810] == 0


def scan(k: Keyboard, row: int, times: int = 1) -> None:
    for _ in range(times):
        k.scanned(0x3800 | (1 << row))


def test_typing_queue_holds_until_scanned() -> None:
    k = kb()
    k.type("AB")
    assert k.memory[0x3801] == 0x02  # A held
    scan(k, 1, 10)                   # other rows do not count
    assert k.memory[0x3801] == 0x02
    scan(k, 0, k.press_scans - 1)
    assert k.memory[0x3801] == 0x02
    scan(k, 0)
    assert k.memory[0x3801] == 0x00  # released after press_scans reads
    scan(k, 0, k.release_scans - 1)
    assert k.memory[0x3801] == 0x00
    scan(k, 0)
    assert k.memory[0x3801] == 0x04  # B
    scan(k, 0, k.press_scans + k.release_scans)
    assert not k.typing and k.pending == 0


def test_shifted_character_holds_shift_with_the_key() -> None:
    k = kb()
    k.type("!")
    assert k.memory[0x3810] == 0x02 and k.memory[0x3880] == 0x01
    scan(k, 7, 5)  # reading SHIFT does not count: the key's row does
    assert k.memory[0x3880] == 0x01
    scan(k, 4, k.press_scans)
    assert k.memory[0x3880] == 0 and k.memory[0x3810] == 0


def test_reads_of_all_rows_count() -> None:
    k = kb()
    k.type("Q")
    for _ in range(k.press_scans):
        k.scanned(0x38FF)
    assert k.memory[0x3804] == 0


def test_untypable_character_reported_once_and_skipped(caplog) -> None:
    k = kb()
    with caplog.at_level(logging.WARNING, logger="z80emu.devices.keyboard"):
        k.type("A~B~\u00e9")
        k.type("~")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2  # "~" once, "é" once
    assert k.pending == 2  # A being typed, B queued
    assert list(k.queue) == [("B",)]


def test_release_all_forgets_the_queue() -> None:
    k = kb()
    k.type("HELLO")
    k.press("SHIFT")
    k.release_all()
    assert not k.typing and k.memory[0x38FF] == 0


def test_state_round_trip() -> None:
    k = kb()
    k.type("XYZ")
    scan(k, 3, 2)
    k.press("BREAK")
    state = k.get_state()
    other = kb()
    other.set_state(state)
    assert other.get_state() == state
    assert other.memory[0x3800:0x3C00] == k.memory[0x3800:0x3C00]
