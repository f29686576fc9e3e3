"""Assembler expressions: parse a token list into either a constant ``int`` or a
function of the assembler's state, so that constants fold once and symbols
are looked up at the point of use.

Operators, loosest first (the word and symbol forms are the same operator;
shifts bind like multiplication, as in M-80 and pasmo)::

    OR |    XOR ^    AND &    = == EQ  <> != NE    < <= > >= LT LE GT GE
    + -    * / MOD % SHL << SHR >>    unary: - + NOT ~ ! HIGH LOW

Comparisons give -1 (all bits set) for true and 0 for false, so that NOT, AND
and OR combine them as in M-80.  Division truncates toward zero.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, Union

from .lexer import COL, KIND, TEXT, VALUE, Token


class Context(Protocol):
    """What an expression needs from the assembler at evaluation time."""

    here: int

    def lookup(self, name: str, column: int) -> int: ...


Expr = Union[int, Callable[[Context], int]]  # noqa: UP007 (a runtime alias: no '|' on Callable)


class ExprError(Exception):
    """A malformed or unevaluable expression; ``column`` (from 0) points at the culprit."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class Undefined(Exception):
    """A symbol that has no value (yet): the caller decides whether that is an error."""

    def __init__(self, name: str, column: int) -> None:
        super().__init__(name)
        self.name = name
        self.column = column


def _div(a: int, b: int, col: int) -> int:
    if b == 0:
        raise ExprError(col, "division by zero")
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _mod(a: int, b: int, col: int) -> int:
    if b == 0:
        raise ExprError(col, "division by zero (MOD)")
    return a - b * _div(a, b, col)


def _shl(a: int, b: int, col: int) -> int:
    if not 0 <= b < 64:
        raise ExprError(col, f"shift count {b} out of range 0..63")
    return a << b


def _shr(a: int, b: int, col: int) -> int:
    if not 0 <= b < 64:
        raise ExprError(col, f"shift count {b} out of range 0..63")
    return a >> b


def _bool(v: bool) -> int:
    return -1 if v else 0


_BINARY_OPS: dict[str, tuple[int, Callable[[int, int, int], int]]] = {}
for _names, _prec, _fn in (
    (("OR", "|"), 1, lambda a, b, c: a | b),
    (("XOR", "^"), 2, lambda a, b, c: a ^ b),
    (("AND", "&"), 3, lambda a, b, c: a & b),
    (("=", "==", "EQ"), 4, lambda a, b, c: _bool(a == b)),
    (("<>", "!=", "NE"), 4, lambda a, b, c: _bool(a != b)),
    (("<", "LT"), 5, lambda a, b, c: _bool(a < b)),
    (("<=", "LE"), 5, lambda a, b, c: _bool(a <= b)),
    ((">", "GT"), 5, lambda a, b, c: _bool(a > b)),
    ((">=", "GE"), 5, lambda a, b, c: _bool(a >= b)),
    (("SHL", "<<"), 8, _shl),
    (("SHR", ">>"), 8, _shr),
    (("+",), 7, lambda a, b, c: a + b),
    (("-",), 7, lambda a, b, c: a - b),
    (("*",), 8, lambda a, b, c: a * b),
    (("/",), 8, _div),
    (("MOD", "%"), 8, _mod),
):
    for _name in _names:
        _BINARY_OPS[_name] = (_prec, _fn)

_UNARY_OPS: dict[str, Callable[[int], int]] = {
    "-": lambda a: -a,
    "+": lambda a: a,
    "~": lambda a: ~a,
    "NOT": lambda a: ~a,
    "!": lambda a: _bool(a == 0),
    "HIGH": lambda a: (a >> 8) & 0xFF,
    "LOW": lambda a: a & 0xFF,
}

#: Words that are operators, so never symbol names.
RESERVED_WORDS = frozenset(name for name in list(_BINARY_OPS) + list(_UNARY_OPS) if name.isalpha())


def _binary(fn: Callable[[int, int, int], int], left: Expr, right: Expr, col: int) -> Expr:
    if type(left) is int and type(right) is int:
        return fn(left, right, col)
    if type(left) is int:
        return lambda c: fn(left, right(c), col)
    if type(right) is int:
        return lambda c: fn(left(c), right, col)
    return lambda c: fn(left(c), right(c), col)


def _unary(fn: Callable[[int], int], operand: Expr) -> Expr:
    if type(operand) is int:
        return fn(operand)
    return lambda c: fn(operand(c))


def _symbol(name: str, col: int) -> Expr:
    return lambda c: c.lookup(name, col)


def _here(c: Context) -> int:
    return c.here


class _Parser:
    def __init__(self, tokens: list[Token], end_col: int) -> None:
        self.tokens = tokens
        self.pos = 0
        self.end_col = end_col

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def binary(self, min_prec: int) -> Expr:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok is None:
                return left
            op = tok[VALUE] if tok[KIND] in ("op", "id") else None
            entry = _BINARY_OPS.get(op) if op is not None else None
            if entry is None or entry[0] < min_prec:
                return left
            self.pos += 1
            right = self.binary(entry[0] + 1)
            left = _binary(entry[1], left, right, tok[COL])

    def unary(self) -> Expr:
        tok = self.peek()
        if tok is None:
            raise ExprError(self.end_col, "expected a value (number, symbol, '$' or '(')")
        kind, value = tok[KIND], tok[VALUE]
        if kind in ("op", "id") and value in _UNARY_OPS:
            self.pos += 1
            return _unary(_UNARY_OPS[value], self.unary())
        return self.primary()

    def primary(self) -> Expr:
        tok = self.peek()
        assert tok is not None
        kind, value, col = tok[KIND], tok[VALUE], tok[COL]
        self.pos += 1
        if kind == "num":
            return value
        if kind == "id":
            if value in RESERVED_WORDS:
                raise ExprError(col, f"expected a value, found operator '{tok[TEXT]}'")
            return _symbol(value, col)
        if kind == "str":
            if len(value) != 1:
                raise ExprError(
                    col, f"a string in an expression must be one character, got {tok[TEXT]}"
                )
            return ord(value)
        if value == "$":
            return _here
        if value in ("(", "["):
            inner = self.binary(0)
            close = ")" if value == "(" else "]"
            nxt = self.peek()
            if nxt is None or nxt[VALUE] != close:
                raise ExprError(nxt[COL] if nxt else self.end_col, f"expected '{close}'")
            self.pos += 1
            return inner
        raise ExprError(col, f"expected a value, found '{tok[TEXT]}'")


def parse_expr(tokens: list[Token], end_col: int = 0) -> Expr:
    """Parse ``tokens`` (all of them) as one expression.

    ``end_col`` is the column to blame when the expression ends too early.

    >>> from .lexer import tokenize
    >>> parse_expr(tokenize("(1 SHL 4) + 0FH AND NOT 3"))
    28
    >>> parse_expr(tokenize("HIGH 1234H"))
    18
    """
    if not tokens:
        raise ExprError(end_col, "expected an expression")
    parser = _Parser(tokens, end_col)
    result = parser.binary(0)
    extra = parser.peek()
    if extra is not None:
        raise ExprError(extra[COL], f"unexpected '{extra[TEXT]}' after expression")
    return result


def evaluate(expr: Expr, context: Context) -> int:
    """The value of a parsed expression (raises :class:`Undefined` or :class:`ExprError`)."""
    return expr if type(expr) is int else expr(context)
