"""Match instruction operands written in source against the operand patterns
of ``z80emu.isa`` and produce the instruction bytes.

Every fact about an instruction (which operand shapes exist, the opcode, the
length, the T-states) comes from ``z80emu.isa.ENCODINGS``; this module only
builds an index over the canonical encodings and reads source operands into
the same shapes: a register or condition name, an indirection such as
``(HL)``, an indexed ``(IX+#)``, a memory operand ``(#)`` or a bare value ``#``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import product

from ..isa import ENCODINGS, Encoding
from .expr import Expr, parse_expr
from .lexer import COL, KIND, TEXT, VALUE, Token

VALUE_SHAPE = "#"
MEMORY_SHAPE = "(#)"

# Spellings some assemblers use for the undocumented index-register halves.
REGISTER_SYNONYMS = {
    "HX": "IXH",
    "XH": "IXH",
    "IXU": "IXH",
    "LX": "IXL",
    "XL": "IXL",
    "HY": "IYH",
    "YH": "IYH",
    "IYU": "IYH",
    "LY": "IYL",
    "YL": "IYL",
}
MNEMONIC_SYNONYMS = {"SLI": "SLL", "SL1": "SLL"}
# Mnemonics whose accumulator operand is implicit in the table ('SUB B');
# sources also write it out ('SUB A,B').
IMPLICIT_A = frozenset({"SUB", "AND", "XOR", "OR", "CP"})


class MatchError(Exception):
    """No encoding fits; ``operand`` is the index of the operand to blame (or None)."""

    def __init__(self, message: str, operand: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.operand = operand


@dataclass(frozen=True)
class Operand:
    """A source operand read into a shape (with the value expression it carries),
    plus the shape it has when a register-like name is really a symbol."""

    shape: str
    expr: Expr | None
    column: int
    alt_shape: str | None = None
    alt_expr: Expr | None = None


@dataclass
class Form:
    """All canonical encodings sharing a mnemonic and operand shapes; they differ
    only in literal operands (bit number, RST target, IM mode), so share a length."""

    mnemonic: str
    shapes: tuple[str, ...]
    candidates: list[tuple[Encoding, tuple]]  # (encoding, per-operand spec)
    length: int
    literal: bool


def _pattern_spec(pattern: str) -> tuple[str, object]:
    """Map a table operand pattern to (source shape, spec) where spec is None for
    a fixed operand, a field kind ('n', 'nn', 'd', 'e') or a literal int."""
    if pattern in ("n", "nn", "e"):
        return VALUE_SHAPE, pattern
    if pattern in ("(n)", "(nn)"):
        return MEMORY_SHAPE, pattern[1:-1]
    if pattern.endswith("+d)"):
        return pattern[:-2] + "#)", "d"
    if pattern[0].isdigit():
        text = pattern.upper()
        return VALUE_SHAPE, int(text[:-1], 16) if text.endswith("H") else int(text)
    return pattern, None


class _Index:
    def __init__(self) -> None:
        forms: dict[tuple[str, tuple[str, ...]], Form] = {}
        names: set[str] = set()
        indirect: set[str] = set()
        by_mnemonic: dict[str, list[str]] = {}
        for enc in ENCODINGS:
            for p in enc.operands:
                if p[0].isalpha() and p not in ("n", "nn", "e"):
                    names.add(p)
                elif (
                    p.startswith("(")
                    and p[1:-1]
                    and p[1:-1][0].isalpha()
                    and "+" not in p
                    and p not in ("(n)", "(nn)")
                ):
                    indirect.add(p[1:-1])
            if not enc.canonical:
                continue
            specs = [_pattern_spec(p) for p in enc.operands]
            shapes = tuple(s for s, _ in specs)
            key = (enc.mnemonic, shapes)
            form = forms.get(key)
            literal = any(type(spec) is int for _, spec in specs)
            if form is None:
                form = forms[key] = Form(enc.mnemonic, shapes, [], enc.length, literal)
            elif form.length != enc.length:
                raise ValueError(f"z80emu.isa: forms of {key} differ in length")
            form.candidates.append((enc, tuple(spec for _, spec in specs)))
            by_mnemonic.setdefault(enc.mnemonic, []).append(enc.text)
        self.forms = forms
        self.names = frozenset(names)
        self.indirect = frozenset(indirect)
        self.by_mnemonic = by_mnemonic
        self.mnemonics = frozenset(by_mnemonic) | frozenset(MNEMONIC_SYNONYMS)


@functools.lru_cache(maxsize=1)
def index() -> _Index:
    """The lookup index over canonical encodings (built once)."""
    return _Index()


def is_mnemonic(name: str) -> bool:
    """True if ``name`` (uppercase) is an instruction mnemonic or accepted synonym."""
    return name in index().mnemonics


def _register_name(value: str) -> str | None:
    names = index().names
    if value in names:
        return value
    synonym = REGISTER_SYNONYMS.get(value)
    return synonym if synonym in names else None


def _matching_paren(tokens: list[Token]) -> int:
    depth = 0
    for i, tok in enumerate(tokens):
        if tok[KIND] == "op":
            if tok[VALUE] == "(":
                depth += 1
            elif tok[VALUE] == ")":
                depth -= 1
                if depth == 0:
                    return i
    return -1


def _no_registers(tokens: list[Token]) -> list[Token]:
    """Refuse a register name inside an expression ('(DE+1)', 'A*2')."""
    names = index().names
    for tok in tokens:
        if tok[KIND] == "id" and tok[VALUE] in names:
            raise MatchError(f"register {tok[TEXT]} cannot be part of an expression")
    return tokens


def parse_operand(tokens: list[Token], end_col: int) -> Operand:
    """Read one operand's tokens into an :class:`Operand`.

    Raises ``ExprError`` when an expression inside it is malformed and
    :class:`MatchError` when it mixes a register into an expression.
    """
    first = tokens[0]
    col = first[COL]
    if len(tokens) == 1 and first[KIND] == "id":
        reg = _register_name(first[VALUE])
        if reg is not None:
            # 'XL' may be a register synonym or a symbol; a real register name is never a symbol.
            if first[VALUE] in index().names:
                return Operand(reg, None, col)
            return Operand(reg, None, col, VALUE_SHAPE, parse_expr(tokens, end_col))
    if first[KIND] == "op" and first[VALUE] == "(" and _matching_paren(tokens) == len(tokens) - 1:
        inner = tokens[1:-1]
        close_col = tokens[-1][COL]
        if len(inner) == 1 and inner[0][KIND] == "id" and inner[0][VALUE] in index().indirect:
            return Operand(f"({inner[0][VALUE]})", None, col)
        if (
            len(inner) > 1
            and inner[0][KIND] == "id"
            and inner[0][VALUE] in ("IX", "IY")
            and inner[1][KIND] == "op"
            and inner[1][VALUE] in ("+", "-")
        ):
            return Operand(
                f"({inner[0][VALUE]}+#)", parse_expr(_no_registers(inner[1:]), close_col), col
            )
        return Operand(MEMORY_SHAPE, parse_expr(_no_registers(inner), close_col), col)
    return Operand(VALUE_SHAPE, parse_expr(_no_registers(tokens), end_col), col)


def _candidate_keys(mnemonic: str, operands: list[Operand]):
    """Yield (key, exprs) pairs to try, most literal reading first."""
    choices = []
    for op in operands:
        options = [(op.shape, op.expr)]
        if op.shape in ("(IX)", "(IY)"):
            options.append((op.shape[:-1] + "+#)", 0))
        if op.alt_shape is not None:
            options.append((op.alt_shape, op.alt_expr))
        choices.append(options)
    for combo in product(*choices):
        yield (mnemonic, tuple(s for s, _ in combo)), [e for _, e in combo]


def match(mnemonic: str, operands: list[Operand]) -> tuple[Form, list[Expr | None], list[int]]:
    """Find the form for ``mnemonic`` (uppercase) with ``operands``.

    Returns the form and, for each of the form's operands, the expression that
    supplies its value (None for register operands) and its source column.
    Raises :class:`MatchError`.
    """
    idx = index()
    mnemonic = MNEMONIC_SYNONYMS.get(mnemonic, mnemonic)
    attempts = [operands]
    shapes = [op.shape for op in operands]
    if mnemonic in IMPLICIT_A and len(operands) == 2 and shapes[0] == "A":
        attempts.append(operands[1:])
    if mnemonic == "IN" and shapes == ["(C)"]:
        attempts.append([Operand("F", None, operands[0].column), operands[0]])
    if mnemonic == "EX" and shapes == ["AF", "AF"]:
        attempts.append([operands[0], Operand("AF'", None, operands[1].column)])
    for ops in attempts:
        for key, exprs in _candidate_keys(mnemonic, ops):
            form = idx.forms.get(key)
            if form is not None:
                return form, exprs, [op.column for op in ops]
    first = operands[0].shape if operands and operands[0].expr is None else None
    raise MatchError(expected_forms(mnemonic, len(operands), first), 0 if operands else None)


def expected_forms(mnemonic: str, count: int, first: str | None = None) -> str:
    """The error message for operands that fit no form: the forms that exist,
    narrowed to those starting with the register ``first`` when there are any."""
    mnemonic = MNEMONIC_SYNONYMS.get(mnemonic, mnemonic)
    texts = index().by_mnemonic.get(mnemonic, [])
    wanted = [t for t in texts if (t.count(",") + 1 if " " in t else 0) == count]
    narrowed = [t for t in wanted if t.partition(" ")[2].split(",")[0] == first]
    wanted = narrowed or wanted
    if not texts:
        return f"unknown instruction {mnemonic}"
    if not wanted:
        counts = sorted({t.count(",") + 1 if " " in t else 0 for t in texts})
        takes = " or ".join(str(c) for c in counts)
        return f"{mnemonic} takes {takes} operand{'s' if counts != [1] else ''}, not {count}"
    shown = ", ".join(wanted[:12]) + (", ..." if len(wanted) > 12 else "")
    return f"invalid operands for {mnemonic}; expected one of: {shown}"


_LIMITS = {
    "n": (-128, 255, "8-bit value"),
    "nn": (-32768, 65535, "16-bit value"),
    "d": (-128, 127, "index displacement"),
}


def encode(form: Form, values: list[int | None], address: int) -> tuple[bytes, Encoding]:
    """Encode ``form`` at ``address`` with the evaluated operand values.

    Raises :class:`MatchError` (blaming an operand) for a value out of range or
    a literal operand (bit number, RST target, IM mode) the table lacks.
    """
    if form.literal:
        for candidate in form.candidates:
            if all(type(s) is not int or s == v for s, v in zip(candidate[1], values)):
                enc, specs = candidate
                break
        else:
            i = next(i for i, s in enumerate(form.candidates[0][1]) if type(s) is int)
            choices = sorted({specs[i] for _, specs in form.candidates})
            shown = ", ".join(f"{c:02X}H" if form.mnemonic == "RST" else str(c) for c in choices)
            raise MatchError(f"{form.mnemonic} operand must be one of {shown}, not {values[i]}", i)
    else:
        enc, specs = form.candidates[0]
    fields: dict[str, int] = {}
    for i, (spec, value) in enumerate(zip(specs, values)):
        if spec is None or type(spec) is int:
            continue
        assert value is not None
        if spec == "e":
            offset = value - (address + enc.length)
            if not -128 <= offset <= 127:
                raise MatchError(
                    f"relative jump out of range: target {value & 0xFFFF:04X}h is {offset:+d} "
                    f"bytes away, {form.mnemonic} reaches -128..+127",
                    i,
                )
            fields["e"] = offset
            continue
        low, high, what = _LIMITS[spec]
        if not low <= value <= high:
            raise MatchError(f"{what} out of range: {value} (expected {low}..{high})", i)
        fields[spec] = value if spec == "d" else value & (0xFF if spec == "n" else 0xFFFF)
    return enc.encode(**fields), enc
