"""The Model I keyboard: the 8x8 matrix at 3800h-3BFFh, host input, the typing queue.

Facts from TRS80-REFERENCE.md §2: each row is selected by one low address
line (A0 = row 0 ... A7 = row 7), a held key reads 1, several selected rows are
ORed, 3900h-3BFFh mirror 3800h-38FFh; the key layout of the table in §2.1; the
characters the Level II driver makes of each key (§2.2), which z80emu uses to
find the keys that produce a typed character.

The matrix is served from the machine's bytearray: whenever a key changes, all
256 row combinations are recomputed and written to 3800h-3BFFh, so reading the
keyboard costs the CPU nothing. The bus calls :meth:`Keyboard.scanned` for
reads of the window only while text is being typed.

Typing queue: ``type(text)`` turns each character into the key combination that
produces it, holds it down until the program has read that key's row
``press_scans`` times, then holds it released for ``release_scans`` reads of the
row before the next character. Counting reads (not time) means nothing is lost
while a program is busy and not scanning, and nothing is doubled.

>>> kb = Keyboard(bytearray(65536))
>>> kb.press("A"); kb.press("SHIFT")
>>> hex(kb.memory[0x3801]), hex(kb.memory[0x3880]), hex(kb.memory[0x3881])
('0x2', '0x1', '0x3')
>>> keys_for("!")
('SHIFT', '1')
"""

from __future__ import annotations

import logging
from collections import deque

KEYBOARD = 0x3800
WINDOW_SIZE = 0x400

log = logging.getLogger(__name__)

# The matrix (§2.1): row -> the keys on D0..D7 (None: no key there).
MATRIX: tuple[tuple[str | None, ...], ...] = (
    ("@", "A", "B", "C", "D", "E", "F", "G"),
    ("H", "I", "J", "K", "L", "M", "N", "O"),
    ("P", "Q", "R", "S", "T", "U", "V", "W"),
    ("X", "Y", "Z", None, None, None, None, None),
    ("0", "1", "2", "3", "4", "5", "6", "7"),
    ("8", "9", ":", ";", ",", "-", ".", "/"),
    ("ENTER", "CLEAR", "BREAK", "UP", "DOWN", "LEFT", "RIGHT", "SPACE"),
    ("SHIFT", None, None, None, None, None, None, None),
)

# Key name -> (row, column bit).
KEYS: dict[str, tuple[int, int]] = {
    name: (row, bit)
    for row, names in enumerate(MATRIX)
    for bit, name in enumerate(names)
    if name is not None
}

# Level II's codes for row 6 (§2.2): (unshifted, shifted). DOWN shifted is the
# v1.2 value.
_ROW6_CODES = ((0x0D, 0x0D), (0x1F, 0x1F), (0x01, 0x01), (0x5B, 0x1B),
               (0x0A, 0x1A), (0x08, 0x18), (0x09, 0x19), (0x20, 0x20))


def key_code(key: str, shift: bool = False) -> int:
    """The character code the Level II keyboard driver makes of a key (§2.2).

    >>> hex(key_code("A")), hex(key_code("A", True)), hex(key_code("1", True))
    ('0x41', '0x61', '0x21')
    >>> hex(key_code(",", True)), hex(key_code("UP")), hex(key_code("0", True))
    ('0x3c', '0x5b', '0x20')
    """
    row, bit = KEYS[key]
    if row <= 3:
        return 0x40 + row * 8 + bit + (0x20 if shift else 0)
    if row <= 5:
        index = (row - 4) * 8 + bit
        code = 0x30 + index if index < 12 else 0x2C + index - 12
        return code ^ 0x10 if shift else code  # SHIFT flips bit 4 for these keys
    if row == 6:
        return _ROW6_CODES[bit][1 if shift else 0]
    raise ValueError(f"{key} produces no character by itself")


def _build_char_keys() -> dict[str, tuple[str, ...]]:
    """Character -> keys to hold, derived from key_code (unshifted keys first)."""
    table: dict[str, tuple[str, ...]] = {}
    keys = [k for k in KEYS if k != "SHIFT"]
    for shift in (False, True):
        for key in keys:
            ch = chr(key_code(key, shift))
            table.setdefault(ch, ("SHIFT", key) if shift else (key,))
    # SHIFT + DOWN + a letter key gives the control codes 00h-1Ah (§2.2).
    for key in keys:
        row, _ = KEYS[key]
        if row <= 3:
            table.setdefault(chr(key_code(key, True) - 0x60), ("SHIFT", "DOWN", key))
    # Host conveniences: newline is ENTER, ^ and the Unicode arrows are the
    # arrow keys (^ is BASIC's exponent sign, the up-arrow key, 5Bh).
    table["\n"] = ("ENTER",)
    table["^"] = ("UP",)
    table["\u2191"] = ("UP",)
    table["\u2193"] = ("DOWN",)
    table["\u2190"] = ("LEFT",)
    table["\u2192"] = ("RIGHT",)
    return table


CHAR_KEYS: dict[str, tuple[str, ...]] = _build_char_keys()


def keys_for(ch: str) -> tuple[str, ...] | None:
    """The keys to hold down to type ``ch``, or None if no key produces it."""
    return CHAR_KEYS.get(ch)


# Physical mode: host key (pygame key names) -> the Model I key in that place.
# Letters, digits and the keys with the same legend map to themselves; the rest
# is z80emu's choice, listed in docs/machine.md.
PHYSICAL_KEYS: dict[str, str] = {
    **{c.lower(): c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"},
    "-": "-", ";": ";", ",": ",", ".": ".", "/": "/",
    "'": ":", "=": ":", "[": "@", "`": "@",
    "return": "ENTER", "enter": "ENTER", "backspace": "LEFT",
    "left": "LEFT", "right": "RIGHT", "up": "UP", "down": "DOWN",
    "escape": "BREAK", "pause": "BREAK", "home": "CLEAR", "delete": "CLEAR",
    "space": "SPACE", "left shift": "SHIFT", "right shift": "SHIFT",
    "tab": "RIGHT",
}


class Keyboard:
    """Key state of the matrix, mirrored into ``memory`` at 3800h-3BFFh."""

    def __init__(self, memory: bytearray, press_scans: int = 3,
                 release_scans: int = 2) -> None:
        self.memory = memory
        self.press_scans = press_scans
        self.release_scans = release_scans
        self.held = [0] * 8  # keys held by the host (physical/press API)
        self.typed = [0] * 8  # keys held by the typing queue
        self.queue: deque[tuple[str, ...]] = deque()
        self.typing = False  # True while the queue holds or releases a key
        self.reported: set[str] = set()  # characters no key produces (reported once)
        self._pressing = False
        self._row_mask = 0  # address bits of the row being watched
        self._count = 0
        self._refresh()

    # -- the matrix ----------------------------------------------------------
    def _refresh(self) -> None:
        rows = [a | b for a, b in zip(self.held, self.typed, strict=True)]
        window = bytearray(256)
        for select in range(1, 256):
            low = select & -select
            window[select] = window[select ^ low] | rows[low.bit_length() - 1]
        self.memory[KEYBOARD:KEYBOARD + WINDOW_SIZE] = window * 4

    def row(self, row: int) -> int:
        """Columns of one row as the CPU would read them (host and queue keys)."""
        return self.held[row] | self.typed[row]

    def press(self, key: str) -> None:
        """Hold a key down (names as in :data:`MATRIX`, e.g. "A", "ENTER", "SHIFT")."""
        row, bit = KEYS[key]
        self.held[row] |= 1 << bit
        self._refresh()

    def release(self, key: str) -> None:
        """Let a held key go."""
        row, bit = KEYS[key]
        self.held[row] &= ~(1 << bit)
        self._refresh()

    def release_all(self) -> None:
        """Let every key go and forget the typing queue."""
        self.held = [0] * 8
        self.typed = [0] * 8
        self.queue.clear()
        self.typing = False
        self._refresh()

    def host_key(self, name: str, down: bool) -> bool:
        """Physical mode: a host key (pygame name) went down or up.

        Returns False when the host key has no Model I counterpart.
        """
        key = PHYSICAL_KEYS.get(name.lower())
        if key is None:
            return False
        (self.press if down else self.release)(key)
        return True

    # -- the typing queue ----------------------------------------------------
    def type(self, text: str) -> None:
        """Queue text to be typed; "\\r" and "\\n" are ENTER, "^" the up arrow.

        A character that no Model I key produces is logged once and skipped.
        """
        for ch in text:
            keys = CHAR_KEYS.get(ch)
            if keys is None:
                if ch not in self.reported:
                    self.reported.add(ch)
                    log.warning("no TRS-80 key types %r (U+%04X); skipped", ch, ord(ch))
                continue
            self.queue.append(keys)
        if not self.typing:
            self._next()

    @property
    def pending(self) -> int:
        """Characters not yet completely typed (including the one in progress)."""
        return len(self.queue) + (1 if self.typing else 0)

    def _next(self) -> None:
        if not self.queue:
            self.typing = False
            return
        keys = self.queue.popleft()
        typed = [0] * 8
        for key in keys:
            row, bit = KEYS[key]
            typed[row] |= 1 << bit
        self.typed = typed
        self._row_mask = 1 << KEYS[keys[-1]][0]  # the character key's row
        self._pressing = True
        self._count = 0
        self.typing = True
        self._refresh()

    def scanned(self, address: int) -> None:
        """The CPU read the keyboard window at ``address`` (bus read hook)."""
        if address & self._row_mask:
            self._count += 1
            if self._pressing:
                if self._count >= self.press_scans:
                    self.typed = [0] * 8
                    self._pressing = False
                    self._count = 0
                    self._refresh()
            elif self._count >= self.release_scans:
                self._next()

    # -- save states ---------------------------------------------------------
    def get_state(self) -> dict:
        return {
            "held": list(self.held),
            "typed": list(self.typed),
            "queue": [list(keys) for keys in self.queue],
            "typing": self.typing,
            "pressing": self._pressing,
            "row_mask": self._row_mask,
            "count": self._count,
            "press_scans": self.press_scans,
            "release_scans": self.release_scans,
        }

    def set_state(self, state: dict) -> None:
        self.held = [int(v) & 0xFF for v in state["held"]]
        self.typed = [int(v) & 0xFF for v in state["typed"]]
        self.queue = deque(tuple(str(k) for k in keys) for keys in state["queue"])
        self.typing = bool(state["typing"])
        self._pressing = bool(state["pressing"])
        self._row_mask = int(state["row_mask"])
        self._count = int(state["count"])
        self.press_scans = int(state["press_scans"])
        self.release_scans = int(state["release_scans"])
        self._refresh()
