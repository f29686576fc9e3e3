"""The two-pass Z80 assembler: reads source lines (with INCLUDE, IF/ELSE/ENDIF,
MACRO and REPT expansion), assigns addresses, evaluates expressions and emits
bytes, collecting every error with its file, line and column.

Pass 1 walks the source once, defining labels and emitting every statement
whose values are already known; statements that use a symbol defined further
down get placeholder bytes of the right length (the length of an instruction
depends only on its operand shapes) and are finished in pass 2, once every
symbol has its value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import encoder
from .expr import Expr, ExprError, Undefined, evaluate, parse_expr
from .lexer import COL, KIND, TEXT, VALUE, LexError, Token, tokenize


@dataclass(frozen=True)
class AsmError:
    """One problem in the source, printed as ``file:line:column: error: message``."""

    filename: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.column}: error: {self.message}"


@dataclass(frozen=True)
class SourceLine:
    """A line to assemble, with where it came from (``note`` names the macro
    expansion it belongs to, if any)."""

    text: str
    filename: str
    number: int
    note: str = ""


@dataclass
class Chunk:
    """Bytes emitted at consecutive addresses from ``address`` on."""

    address: int
    data: bytearray
    line: SourceLine


@dataclass
class ListingEntry:
    """One listed source line: where its bytes went and what instruction it was."""

    line: SourceLine
    address: int | None
    chunk: Chunk | None = None
    offset: int = 0
    size: int = 0
    encoding: object = None
    value: int | None = None  # for EQU/DEFL lines


@dataclass
class _Deferred:
    """An EQU whose expression used a symbol not yet defined."""

    expr: Expr
    scope: str
    here: int
    line: SourceLine
    column: int
    busy: bool = False


@dataclass
class _Fixup:
    chunk: Chunk
    offset: int
    size: int
    maker: Callable[[], bytes]
    line: SourceLine
    scope: str
    here: int


@dataclass
class _Macro:
    name: str
    params: list[str]
    locals: list[str]
    body: list[SourceLine]
    line: SourceLine


@dataclass
class _Cond:
    line: SourceLine
    parent_active: bool
    taking: bool
    done: bool  # some branch already taken
    seen_else: bool = False


class _Report(Exception):
    """Raised inside statement handlers: an error at a column of the current line."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


DATA_BYTE = frozenset({"DB", "DEFB", "DEFM", "DM", "TEXT", "BYTE", "DEFT"})
DATA_WORD = frozenset({"DW", "DEFW", "WORD"})
DATA_SPACE = frozenset({"DS", "DEFS", "BLOCK", "RMEM"})
SYMBOL_DEFINERS = frozenset({"EQU", "=", "DEFL", "ASET"})
CONDITIONALS = frozenset({"IF", "IFDEF", "IFNDEF", "ELSE", "ENDIF", "ENDC", "COND", "ENDCOND"})
BLOCK_STARTS = frozenset({"MACRO", "REPT"})
IGNORED = frozenset(
    {"TITLE", "SUBTTL", "EJECT", ".Z80", "Z80", ".LIST", ".XLIST", "LIST", "NOLIST", "PAGE"}
)
DIRECTIVES = (
    DATA_BYTE
    | DATA_WORD
    | DATA_SPACE
    | SYMBOL_DEFINERS
    | CONDITIONALS
    | BLOCK_STARTS
    | IGNORED
    | {"ORG", "END", "INCLUDE", "INCBIN", "ENDM", "LOCAL"}
)
MAX_NESTING = 64

_NAME = re.compile(r"[A-Za-z_.@?][A-Za-z0-9_.@?]*")
_MACRO_WORDS = re.compile(
    r"""[Aa][Ff]'|'(?:[^']|'')*'|"(?:[^"]|"")*"|;.*|[A-Za-z_.@?][A-Za-z0-9_.@?]*"""
)


def _split_args(tokens: list[Token], start: int) -> list[list[Token]]:
    """Split tokens[start:] at commas outside parentheses."""
    groups: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for tok in tokens[start:]:
        if tok[KIND] == "op":
            v = tok[VALUE]
            if v == "," and depth == 0:
                groups.append(current)
                current = []
                continue
            if v in "([":
                depth += 1
            elif v in ")]":
                depth -= 1
        current.append(tok)
    if current or groups:
        groups.append(current)
    return groups


class Assembler:
    """One assembly run. Use :func:`z80emu.asm.assemble` rather than this class."""

    def __init__(
        self, include_paths: list[str] | None = None, defines: dict[str, int] | None = None
    ) -> None:
        self.include_paths = list(include_paths or [])
        self.symbols: dict[str, int | _Deferred] = {}
        self.symbol_lines: dict[str, SourceLine] = {}
        self.redefinable: set[str] = set()
        self.display: dict[str, str] = {}
        self.errors: list[AsmError] = []
        self.chunks: list[Chunk] = []
        self.chunk: Chunk | None = None
        self.fixups: list[_Fixup] = []
        self.listing: list[ListingEntry] = []
        self.macros: dict[str, _Macro] = {}
        self.conds: list[_Cond] = []
        self.active = True
        self.pc = 0
        self.here = 0
        self.scope = ""
        self.scope_name = ""
        self.line = SourceLine("", "<none>", 0)
        self.ended = False
        self.overflowed = False
        self.entry: int | None = None
        self.entry_line: SourceLine | None = None
        self.depth = 0
        self.include_stack: list[str] = []
        self.unique = 0
        self.final = False
        self.entry_expr: tuple | None = None  # (expr, line, scope, address, column) of END
        self._lex_cache: dict[str, list[Token] | LexError] = {}
        for name, value in (defines or {}).items():
            self.symbols[name.upper()] = value
            self.display[name.upper()] = name

    # --- errors --------------------------------------------------------------

    def error(self, column: int, message: str, line: SourceLine | None = None) -> None:
        line = line or self.line
        self.errors.append(AsmError(line.filename, line.number, column + 1, message + line.note))

    # --- symbols -------------------------------------------------------------

    def qualify(self, name: str) -> str:
        """The full key for a symbol name: local labels ('.x') belong to the last global label."""
        return self.scope + name if name[0] == "." else name

    def lookup(self, name: str, column: int) -> int:
        key = self.scope + name if name[0] == "." else name
        value = self.symbols.get(key)
        if value is None:
            raise Undefined(key, column)
        if type(value) is int:
            return value
        return self._resolve(key, value)

    def _resolve(self, key: str, d: _Deferred) -> int:
        if d.busy:
            if not self.final:  # settled (and reported once, at the EQU) after pass 1
                raise Undefined(key, d.column)
            raise ExprError(d.column, f"circular definition of '{self.display.get(key, key)}'")
        saved = self.scope, self.here
        self.scope, self.here = d.scope, d.here
        d.busy = True
        try:
            value = evaluate(d.expr, self)
        finally:
            d.busy = False
            self.scope, self.here = saved
        self.symbols[key] = value
        return value

    def define(
        self, name: str, value: int | _Deferred, column: int, redefinable: bool = False
    ) -> None:
        key = self.qualify(name.upper())
        if key in encoder.index().names:
            raise _Report(column, f"'{name}' is a register or condition name and cannot be a label")
        if key in self.symbols and not (redefinable and key in self.redefinable):
            first = self.symbol_lines.get(key)
            where = f" (first defined at {first.filename}:{first.number})" if first else ""
            raise _Report(column, f"duplicate label '{name}'{where}")
        self.symbols[key] = value
        self.display.setdefault(key, self.scope_name + name if name[0] == "." else name)
        self.symbol_lines.setdefault(key, self.line)
        if redefinable:
            self.redefinable.add(key)

    def spelling(self, u: Undefined) -> str:
        """The name of an undefined symbol as written at its column of the current line."""
        m = _NAME.match(self.line.text, u.column)
        return m.group() if m else self.display.get(u.name, u.name)

    def value_now(self, expr: Expr, column: int, what: str) -> int:
        """Evaluate an expression whose value is needed during pass 1."""
        try:
            return evaluate(expr, self)
        except Undefined as u:
            raise _Report(
                u.column,
                f"{what} needs a value defined before this line; "
                f"'{self.spelling(u)}' is not (yet) defined",
            ) from None

    # --- output --------------------------------------------------------------

    def emit(
        self, size: int, maker: Callable[[], bytes], entry: ListingEntry | None = None
    ) -> None:
        """Place ``size`` bytes at the current address; ``maker`` computes them
        now or, if it uses a symbol defined later, in pass 2."""
        if self.pc + size > 0x10000:
            if self.overflowed:  # said once; every later line would repeat it
                return
            self.overflowed = True
            raise _Report(0, f"code runs past FFFFh (address {self.pc:04X}h + {size} bytes)")
        chunk = self.chunk
        if chunk is None or chunk.address + len(chunk.data) != self.pc:
            chunk = self.chunk = Chunk(self.pc, bytearray(), self.line)
            self.chunks.append(chunk)
        offset = len(chunk.data)
        if entry is not None:
            entry.chunk, entry.offset, entry.size = chunk, offset, size
        self.here = self.pc
        try:
            data = maker()
        except Undefined:
            data = bytes(size)
            self.fixups.append(_Fixup(chunk, offset, size, maker, self.line, self.scope, self.pc))
        except (_Report, ExprError) as r:
            self.error(r.column, r.message)
            data = bytes(size)
        chunk.data += data
        self.pc += size

    # --- source walking ------------------------------------------------------

    def lex(self, text: str) -> list[Token]:
        cached = self._lex_cache.get(text)
        if cached is None:
            try:
                cached = tokenize(text)
            except LexError as e:
                cached = e
            self._lex_cache[text] = cached
        if isinstance(cached, LexError):
            raise cached
        return cached

    def split(self, tokens: list[Token]) -> tuple[Token | None, Token | None, int]:
        """Find the label token, the operation token and where operands start."""
        if not tokens:
            return None, None, 0
        first = tokens[0]
        if first[KIND] != "id":
            raise _Report(first[COL], f"expected a label or an instruction, found '{first[TEXT]}'")
        n = len(tokens)
        second = tokens[1] if n > 1 else None
        if second is not None and second[KIND] == "op" and second[VALUE] == ":":
            third = tokens[2] if n > 2 else None
            if third is None:
                return first, None, 2
            if third[KIND] == "op" and third[VALUE] == "=":
                return first, third, 3
            if third[KIND] != "id":
                raise _Report(
                    third[COL], f"expected an instruction after the label, found '{third[TEXT]}'"
                )
            return first, third, 3
        if second is not None and (
            (second[KIND] == "id" and second[VALUE] in ("EQU", "DEFL", "MACRO", "ASET"))
            or (second[KIND] == "op" and second[VALUE] == "=")
        ):
            return first, second, 2
        name = first[VALUE]
        if first[COL] == 0 and not (
            name in DIRECTIVES or encoder.is_mnemonic(name) or name in self.macros
        ):
            if second is None:
                return first, None, 1
            if second[KIND] != "id":
                raise _Report(
                    second[COL], f"expected an instruction after the label, found '{second[TEXT]}'"
                )
            return first, second, 2
        return None, first, 1

    def run(self, lines: list[SourceLine]) -> None:
        it = iter(lines)
        for line in it:
            if self.ended:
                return
            self.line = line
            was_active = self.active
            try:
                self.statement(line, it)
            except (_Report, ExprError, LexError) as e:
                if was_active or self.active:  # lines in a false IF branch are not checked
                    self.error(e.column, e.message)

    def statement(self, line: SourceLine, it) -> None:
        self.here = self.pc
        tokens = self.lex(line.text)
        label, op, start = self.split(tokens)
        opname = op[VALUE] if op is not None else None
        if opname in CONDITIONALS:
            self.conditional(opname, op, tokens, start, label)
            return
        if not self.active:
            if opname in BLOCK_STARTS:  # skip the whole body, so its ENDIF/ELSE lines stay inside
                self.collect(it, line, opname)
            return
        if opname in SYMBOL_DEFINERS:
            self.symbol_definition(label, op, tokens, start)
            return
        if opname == "MACRO":
            self.macro_definition(label, op, tokens, start, it)
            return
        entry = ListingEntry(line, self.pc if label is not None or op is not None else None)
        self.listing.append(entry)
        if label is not None:
            name = label[TEXT]
            if name[0] != ".":
                self.scope, self.scope_name = name.upper(), name
            self.define(name, self.pc, label[COL])
        if op is None:
            return
        if opname in self.macros:
            self.expand_macro(self.macros[opname], tokens, start, op)
        elif encoder.is_mnemonic(opname):
            self.instruction(opname, op, tokens, start, entry)
        elif opname in DIRECTIVES:
            self.directive(opname, op, tokens, start, entry, it)
        else:
            raise _Report(op[COL], f"unknown instruction or directive '{op[TEXT]}'")

    # --- instructions --------------------------------------------------------

    def instruction(
        self, mnemonic: str, op: Token, tokens: list[Token], start: int, entry: ListingEntry
    ) -> None:
        end_col = len(self.line.text)
        groups = _split_args(tokens, start)
        operands = []
        for g in groups:
            if not g:
                raise _Report(
                    op[COL] if not operands else end_col, f"missing operand for {mnemonic}"
                )
            try:
                operands.append(encoder.parse_operand(g, end_col))
            except encoder.MatchError:
                first = operands[0].shape if operands and operands[0].expr is None else None
                raise _Report(
                    g[0][COL], encoder.expected_forms(mnemonic, len(groups), first)
                ) from None
        try:
            form, exprs, columns = encoder.match(mnemonic, operands)
        except encoder.MatchError as m:
            col = operands[m.operand].column if m.operand is not None and operands else op[COL]
            raise _Report(col, m.message) from None
        address = self.pc
        lookup = self

        def make() -> bytes:
            values = [None if e is None else (e if type(e) is int else e(lookup)) for e in exprs]
            try:
                data, enc = encoder.encode(form, values, address)
            except encoder.MatchError as m:
                raise _Report(
                    columns[m.operand] if m.operand is not None else op[COL], m.message
                ) from None
            entry.encoding = enc
            return data

        entry.encoding = form.candidates[0][0]
        self.emit(form.length, make, entry)

    # --- directives ----------------------------------------------------------

    def directive(
        self, name: str, op: Token, tokens: list[Token], start: int, entry: ListingEntry, it
    ) -> None:
        end_col = len(self.line.text)
        groups = _split_args(tokens, start)
        if name in DATA_BYTE:
            self.data_bytes(name, op, groups, entry)
        elif name in DATA_WORD:
            self.data_words(name, op, groups, entry)
        elif name in DATA_SPACE:
            self.data_space(name, op, groups, end_col, entry)
        elif name == "ORG":
            self.need_args(name, op, groups, 1, 1)
            value = self.value_now(parse_expr(groups[0], end_col), groups[0][0][COL], "ORG")
            if not 0 <= value <= 0xFFFF:
                raise _Report(
                    groups[0][0][COL], f"ORG address out of range: {value} (expected 0..FFFFh)"
                )
            self.pc = value
            entry.address = value
        elif name == "END":
            if groups:
                self.need_args(name, op, groups, 0, 1)
                self.entry_expr = (
                    parse_expr(groups[0], end_col),
                    self.line,
                    self.scope,
                    self.pc,
                    groups[0][0][COL],
                )
            self.ended = True
        elif name == "INCLUDE":
            self.include(op, tokens, start)
        elif name == "INCBIN":
            self.incbin(op, tokens, start, groups, entry)
        elif name == "REPT":
            self.need_args(name, op, groups, 1, 1)
            count = self.value_now(parse_expr(groups[0], end_col), groups[0][0][COL], "REPT")
            body = self.collect(it, self.line, "REPT")
            if body is None:
                return
            if not 0 <= count <= 65535:
                raise _Report(groups[0][0][COL], f"REPT count out of range: {count}")
            self.expand(body, count, "REPT", self.line)
        elif name == "ENDM":
            raise _Report(op[COL], "ENDM without MACRO or REPT")
        elif name == "LOCAL":
            raise _Report(op[COL], "LOCAL outside a macro body")
        # IGNORED directives fall through: listing-control words of other assemblers.

    def need_args(
        self, name: str, op: Token, groups: list[list[Token]], low: int, high: int
    ) -> None:
        if not low <= len(groups) <= high or any(not g for g in groups):
            want = str(low) if low == high else f"{low} to {high}"
            raise _Report(op[COL], f"{name} expects {want} operand{'s' if high != 1 else ''}")

    def data_bytes(
        self, name: str, op: Token, groups: list[list[Token]], entry: ListingEntry
    ) -> None:
        if not groups or any(not g for g in groups):
            raise _Report(
                op[COL], f"{name} expects a list of values or strings separated by commas"
            )
        end_col = len(self.line.text)
        parts: list[bytes | tuple[Expr, int]] = []
        size = 0
        for g in groups:
            if len(g) == 1 and g[0][KIND] == "str":
                try:
                    raw = g[0][VALUE].encode("latin-1")
                except UnicodeEncodeError:
                    raise _Report(g[0][COL], "string contains characters outside 00h-FFh") from None
                parts.append(raw)
                size += len(raw)
            else:
                parts.append((parse_expr(g, end_col), g[0][COL]))
                size += 1

        def make() -> bytes:
            out = bytearray()
            for part in parts:
                if type(part) is bytes:
                    out += part
                else:
                    value = evaluate(part[0], self)
                    if not -128 <= value <= 255:
                        raise _Report(
                            part[1], f"byte value out of range: {value} (expected -128..255)"
                        )
                    out.append(value & 0xFF)
            return bytes(out)

        self.emit(size, make, entry)

    def data_words(
        self, name: str, op: Token, groups: list[list[Token]], entry: ListingEntry
    ) -> None:
        if not groups or any(not g for g in groups):
            raise _Report(op[COL], f"{name} expects a list of values separated by commas")
        end_col = len(self.line.text)
        exprs = [(parse_expr(g, end_col), g[0][COL]) for g in groups]

        def make() -> bytes:
            out = bytearray()
            for expr, col in exprs:
                value = evaluate(expr, self)
                if not -32768 <= value <= 65535:
                    raise _Report(col, f"word value out of range: {value} (expected -32768..65535)")
                out += (value & 0xFFFF).to_bytes(2, "little")
            return bytes(out)

        self.emit(2 * len(exprs), make, entry)

    def data_space(
        self, name: str, op: Token, groups: list[list[Token]], end_col: int, entry: ListingEntry
    ) -> None:
        self.need_args(name, op, groups, 1, 2)
        col = groups[0][0][COL]
        count = self.value_now(parse_expr(groups[0], end_col), col, name)
        if not 0 <= count <= 0x10000 - self.pc:
            raise _Report(
                col, f"{name} size out of range: {count} (expected 0..{0x10000 - self.pc})"
            )
        fill_expr, fill_col = (
            (parse_expr(groups[1], end_col), groups[1][0][COL]) if len(groups) > 1 else (0, 0)
        )

        def make() -> bytes:
            fill = evaluate(fill_expr, self)
            if not -128 <= fill <= 255:
                raise _Report(fill_col, f"fill byte out of range: {fill} (expected -128..255)")
            return bytes([fill & 0xFF]) * count

        self.emit(count, make, entry)

    def symbol_definition(
        self, label: Token | None, op: Token, tokens: list[Token], start: int
    ) -> None:
        if label is None:
            raise _Report(op[COL], f"{op[TEXT]} needs a symbol name before it")
        groups = _split_args(tokens, start)
        self.need_args(op[TEXT].upper(), op, groups, 1, 1)
        expr = parse_expr(groups[0], len(self.line.text))
        redefinable = op[VALUE] != "EQU"
        entry = ListingEntry(self.line, None)
        self.listing.append(entry)
        self.here = self.pc
        try:
            value: int | _Deferred = evaluate(expr, self)
            entry.value = value
        except Undefined:
            if redefinable:
                raise _Report(
                    groups[0][0][COL], f"{op[TEXT]} needs a value defined before this line"
                ) from None
            value = _Deferred(expr, self.scope, self.pc, self.line, groups[0][0][COL])
        self.define(label[TEXT], value, label[COL], redefinable)

    # --- conditionals --------------------------------------------------------

    def conditional(
        self, name: str, op: Token, tokens: list[Token], start: int, label: Token | None
    ) -> None:
        if label is not None and self.active:
            raise _Report(label[COL], f"a label cannot stand before {op[TEXT]}")
        groups = _split_args(tokens, start)
        if name in ("IF", "COND", "IFDEF", "IFNDEF"):
            if not self.active:
                self.conds.append(_Cond(self.line, False, False, True))
                return
            self.need_args(name, op, groups, 1, 1)
            if name in ("IF", "COND"):
                value = self.value_now(
                    parse_expr(groups[0], len(self.line.text)), groups[0][0][COL], name
                )
                taking = value != 0
            else:
                g = groups[0]
                if len(g) != 1 or g[0][KIND] != "id":
                    raise _Report(g[0][COL], f"{name} expects a symbol name")
                taking = (self.qualify(g[0][VALUE]) in self.symbols) == (name == "IFDEF")
            self.conds.append(_Cond(self.line, True, taking, taking))
        elif not self.conds:
            raise _Report(op[COL], f"{op[TEXT]} without IF")
        elif name == "ELSE":
            cond = self.conds[-1]
            if cond.seen_else:
                raise _Report(op[COL], f"second ELSE for the IF at line {cond.line.number}")
            cond.seen_else = True
            cond.taking = cond.parent_active and not cond.done
            cond.done = True
        else:  # ENDIF
            self.conds.pop()
        self.active = all(c.taking for c in self.conds)

    # --- macros and repetition -----------------------------------------------

    def collect(self, it, start: SourceLine, kind: str) -> list[SourceLine] | None:
        """Take lines from ``it`` up to the ENDM closing a MACRO or REPT body."""
        body: list[SourceLine] = []
        depth = 0
        for line in it:
            words = [t[VALUE] for t in self._quiet_tokens(line.text)[:3] if t[KIND] == "id"]
            if any(w in BLOCK_STARTS for w in words[:2]):
                depth += 1
            elif words and words[0] in ("ENDM", "ENDR"):
                if depth == 0:
                    return body
                depth -= 1
            body.append(line)
        self.error(
            0,
            f"{kind} without ENDM (unterminated {'macro' if kind == 'MACRO' else 'REPT block'})",
            start,
        )
        self.ended = True
        return None

    def _quiet_tokens(self, text: str) -> list[Token]:
        try:
            return self.lex(text)
        except LexError:
            return []

    def macro_definition(
        self, label: Token | None, op: Token, tokens: list[Token], start: int, it
    ) -> None:
        groups = _split_args(tokens, start)
        if label is None:  # 'MACRO NAME p1,p2' form
            if not groups or not groups[0] or groups[0][0][KIND] != "id":
                raise _Report(op[COL], "MACRO needs a name")
            label = groups[0][0]
            groups = ([groups[0][1:]] if len(groups[0]) > 1 else []) + groups[1:]
        params = []
        for g in groups:
            if len(g) != 1 or g[0][KIND] != "id":
                raise _Report(
                    g[0][COL] if g else op[COL],
                    "macro parameters must be names separated by commas",
                )
            params.append(g[0][VALUE])
        header = self.line
        body = self.collect(it, header, "MACRO")
        if body is None:
            return
        name = label[VALUE]
        if name in self.macros:
            first = self.macros[name].line
            raise _Report(
                label[COL],
                f"macro '{label[TEXT]}' already defined at {first.filename}:{first.number}",
            )
        if encoder.is_mnemonic(name) or name in DIRECTIVES:
            raise _Report(label[COL], f"'{label[TEXT]}' is an instruction or directive name")
        local_names: list[str] = []
        kept = []
        for line in body:
            toks = self._quiet_tokens(line.text)
            if toks and toks[0][KIND] == "id" and toks[0][VALUE] == "LOCAL":
                local_names += [t[VALUE] for t in toks[1:] if t[KIND] == "id"]
            else:
                kept.append(line)
        self.macros[name] = _Macro(label[TEXT], params, local_names, kept, header)

    def expand_macro(self, macro: _Macro, tokens: list[Token], start: int, op: Token) -> None:
        text = self.line.text
        groups = _split_args(tokens, start)
        args = []
        for g in groups:
            if g:
                end = g[-1][COL] + len(g[-1][TEXT])
                args.append(text[g[0][COL] : end])
            else:
                args.append("")
        if len(args) > len(macro.params):
            raise _Report(
                op[COL],
                f"macro {macro.name} takes {len(macro.params)} argument(s), got {len(args)}",
            )
        mapping = dict(zip(macro.params, args + [""] * (len(macro.params) - len(args))))
        for name in macro.locals:
            self.unique += 1
            mapping[name] = f"??{self.unique:04d}"
        self.expand(macro.body, 1, f"macro {macro.name}", self.line, mapping)

    def expand(
        self,
        body: list[SourceLine],
        times: int,
        what: str,
        origin: SourceLine,
        mapping: dict[str, str] | None = None,
    ) -> None:
        if self.depth >= MAX_NESTING:
            raise _Report(0, f"{what} nested more than {MAX_NESTING} deep (recursive macro?)")
        note = f" (in {what} at {origin.filename}:{origin.number})"
        lines = body
        if mapping:

            def replace(m: re.Match) -> str:
                word = m.group()
                return mapping.get(word.upper(), word)

            lines = [
                SourceLine(_MACRO_WORDS.sub(replace, s.text), s.filename, s.number) for s in body
            ]
        expanded = [SourceLine(s.text, s.filename, s.number, note) for s in lines]
        self.depth += 1
        try:
            for _ in range(times):
                self.run(expanded)
                if self.ended:
                    break
        finally:
            self.depth -= 1
            self.line = origin

    # --- files ---------------------------------------------------------------

    def _file_operand(self, op: Token, tokens: list[Token], start: int) -> tuple[str, int]:
        if start >= len(tokens):
            raise _Report(op[COL], f"{op[TEXT]} needs a file name")
        first = tokens[start]
        if first[KIND] == "str":
            return first[VALUE], first[COL]
        groups = _split_args(tokens, start)
        g = groups[0]
        return self.line.text[g[0][COL] : g[-1][COL] + len(g[-1][TEXT])].strip(), first[COL]

    def find_file(self, name: str, column: int) -> str:
        here = (
            os.path.dirname(self.line.filename)
            if self.line.filename not in ("<source>", "<none>")
            else "."
        )
        tried = []
        for folder in [here] + self.include_paths:
            path = os.path.normpath(os.path.join(folder, name))
            tried.append(path)
            if os.path.isfile(path):
                return path
        raise _Report(column, f"cannot find file '{name}' (looked in: {', '.join(tried)})")

    def include(self, op: Token, tokens: list[Token], start: int) -> None:
        name, col = self._file_operand(op, tokens, start)
        path = self.find_file(name, col)
        if len(self.include_stack) >= MAX_NESTING or os.path.abspath(path) in self.include_stack:
            raise _Report(col, f"'{name}' includes itself")
        try:
            text = read_source(path)
        except OSError as e:
            raise _Report(col, f"cannot read '{name}': {e.strerror}") from None
        origin = self.line
        self.include_stack.append(os.path.abspath(path))
        try:
            self.run(source_lines(text, path))
        finally:
            self.include_stack.pop()
            self.line = origin

    def incbin(
        self,
        op: Token,
        tokens: list[Token],
        start: int,
        groups: list[list[Token]],
        entry: ListingEntry,
    ) -> None:
        name, col = self._file_operand(op, tokens, start)
        path = self.find_file(name, col)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise _Report(col, f"cannot read '{name}': {e.strerror}") from None
        end_col = len(self.line.text)
        if len(groups) > 1:
            skip = self.value_now(
                parse_expr(groups[1], end_col), groups[1][0][COL], "INCBIN offset"
            )
            data = data[skip:]
        if len(groups) > 2:
            count = self.value_now(
                parse_expr(groups[2], end_col), groups[2][0][COL], "INCBIN length"
            )
            data = data[:count]
        self.emit(len(data), lambda: data, entry)

    # --- the passes ----------------------------------------------------------

    def assemble(self, lines: list[SourceLine]) -> None:
        self.run(lines)
        for cond in self.conds:
            self.error(0, "IF without ENDIF", cond.line)
        self.final = True
        # Settle EQUs that waited for later symbols, so each bad one is reported once, at its line.
        for key, value in list(self.symbols.items()):
            if isinstance(value, _Deferred):
                self._settle(key, value)
        for fix in self.fixups:
            self.line, self.scope, self.here = fix.line, fix.scope, fix.here
            try:
                data = fix.maker()
            except Undefined as u:
                self.error(u.column, f"undefined symbol '{self.spelling(u)}'")
                continue
            except (_Report, ExprError) as r:
                self.error(r.column, r.message)
                continue
            fix.chunk.data[fix.offset : fix.offset + fix.size] = data
        if self.entry_expr is not None:
            expr, line, scope, here, col = self.entry_expr
            self.line, self.scope, self.here = line, scope, here
            try:
                value = evaluate(expr, self)
                if not 0 <= value <= 0xFFFF:
                    self.error(col, f"entry address out of range: {value}")
                else:
                    self.entry = value
            except Undefined as u:
                self.error(u.column, f"undefined symbol '{self.spelling(u)}'")
            except ExprError as e:
                self.error(e.column, e.message)
        self.check_overlaps()

    def _settle(self, key: str, d: _Deferred) -> None:
        try:
            self._resolve(key, d)
        except Undefined as u:
            self.line = d.line
            self.error(u.column, f"undefined symbol '{self.spelling(u)}'", d.line)
            self.symbols[key] = 0
        except ExprError as e:
            self.error(e.column, e.message, d.line)
            self.symbols[key] = 0

    def check_overlaps(self) -> None:
        spans = sorted((c.address, c.address + len(c.data), c) for c in self.chunks if c.data)
        for (_, a1, c0), (b0, b1, c1) in zip(spans, spans[1:]):
            if b0 < a1:
                self.error(
                    0,
                    f"code at {b0:04X}h-{min(a1, b1) - 1:04X}h overwrites code from "
                    f"{c0.line.filename}:{c0.line.number}",
                    c1.line,
                )


def read_source(path: str) -> str:
    """Read a source file as text; bytes that are not UTF-8 read as Latin-1, and
    a CP/M end-of-file mark (1Ah) ends the text."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.split("\x1a", 1)[0]


def source_lines(text: str, filename: str) -> list[SourceLine]:
    """Number the lines of a source text."""
    return [SourceLine(t, filename, n) for n, t in enumerate(text.splitlines(), 1)]
