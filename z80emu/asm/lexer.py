"""Split one line of assembly source into tokens (identifiers, numbers,
strings, operators) with their columns, and read numbers in the notations
Z80 sources use: ``0FFh``, ``$FF``, ``0xFF``, ``%1010``, ``1010b``, ``17o``,
``0b1010``, ``'A'``.

A token is a tuple ``(kind, text, column, value)``: ``kind`` is ``"id"``,
``"num"``, ``"str"`` or ``"op"``; ``column`` counts from 0; ``value`` is the
number for ``"num"``, the decoded text for ``"str"``, the uppercased name for
``"id"`` and the operator for ``"op"``.
"""

from __future__ import annotations

import re

KIND, TEXT, COL, VALUE = 0, 1, 2, 3

Token = tuple  # (kind, text, column, value)


class LexError(Exception):
    """A malformed token; ``column`` (from 0) points at it."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


_TOKEN = re.compile(
    r"""
     (?P<ws>[ \t\f\r\v]+)
    |(?P<comment>;.*)
    |(?P<afp>[Aa][Ff]')
    |(?P<num>(?:\$|0[xX])[0-9A-Fa-f]+\b|%[01]+\b|[0-9][0-9A-Za-z]*)
    |(?P<id>[A-Za-z_.@?][A-Za-z0-9_.@?]*)
    |(?P<str>'(?:[^']|'')*'|"(?:[^"]|"")*")
    |(?P<op><<|>>|<=|>=|<>|==|!=|[-+*/%&|^~!()<>=,:\#$\[\]])
    |(?P<bad>.)
    """,
    re.VERBOSE,
)

_BINARY = frozenset("01")
_OCTAL = frozenset("01234567")
_DECIMAL = frozenset("0123456789")
_HEX = frozenset("0123456789ABCDEF")


def parse_number(text: str) -> int:
    """Read a numeric literal; raise ValueError with a reason when it is malformed.

    >>> [parse_number(t) for t in ("0FFh", "$FF", "0xff", "%1010", "1010b", "17o", "0b101", "42d")]
    [255, 255, 255, 10, 10, 15, 5, 42]
    """
    upper = text.upper()
    digits, base, name = upper, 10, "decimal"
    last = upper[-1]
    if upper[0] == "$":
        digits, base, name = upper[1:], 16, "hexadecimal"
    elif upper[0] == "%":
        digits, base, name = upper[1:], 2, "binary"
    elif upper.startswith("0X"):
        digits, base, name = upper[2:], 16, "hexadecimal"
    elif last == "H":
        digits, base, name = upper[:-1], 16, "hexadecimal"
    elif upper.startswith("0B") and len(upper) > 2 and set(upper[2:]) <= _BINARY:
        digits, base, name = upper[2:], 2, "binary"
    elif last == "B":
        digits, base, name = upper[:-1], 2, "binary"
    elif last in "OQ":
        digits, base, name = upper[:-1], 8, "octal"
    elif last == "D":
        digits = upper[:-1]
    allowed = {16: _HEX, 10: _DECIMAL, 8: _OCTAL, 2: _BINARY}[base]
    if not digits or not set(digits) <= allowed:
        raise ValueError(f"malformed {name} number '{text}'")
    return int(digits, base)


def _ends_value(prev: Token, col: int) -> bool:
    """Whether '%' at ``col`` follows a value (so is MOD) rather than starting a
    binary number: after a number, string or ')' always; after a name only when
    written against it ('X%10'), since in 'EQU %1010' or 'AND %1' it is binary."""
    if prev[0] in ("num", "str") or prev[1] == ")":
        return True
    return prev[0] == "id" and prev[2] + len(prev[1]) == col


def _string_value(text: str) -> str:
    quote = text[0]
    return text[1:-1].replace(quote + quote, quote)


def tokenize(line: str) -> list[Token]:
    """Return the tokens of one source line, stopping at a ``;`` comment.

    >>> [t[1] for t in tokenize("loop: LD A,(IX+5) ; comment")]
    ['loop', ':', 'LD', 'A', ',', '(', 'IX', '+', '5', ')']
    >>> tokenize("EX AF,AF'")[-1][3]
    "AF'"
    """
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN.finditer(line):
        kind = m.lastgroup
        text = m.group()
        col = m.start()
        if kind == "ws":
            continue
        if kind == "comment":
            break
        if kind == "id" or kind == "afp":
            append(("id", text, col, text.upper()))
        elif kind == "num":
            if text[0] == "%" and tokens and _ends_value(tokens[-1], col):
                # After a value '%' is the modulo operator: 'X%10' is X mod 10.
                append(("op", "%", col, "%"))
                text, col = text[1:], col + 1
            try:
                append(("num", text, col, parse_number(text)))
            except ValueError as exc:
                raise LexError(col, str(exc)) from None
        elif kind == "str":
            append(("str", text, col, _string_value(text)))
        elif kind == "op":
            append(("op", text, col, text))
        else:
            if text in "'\"":
                raise LexError(col, f"unterminated string (missing closing {text})")
            raise LexError(col, f"unexpected character '{text}'")
    return tokens
