"""A test stand-in for Level II BASIC, enough to check the loaders the monitor writes.

``crunch`` tokenizes a line as the Level II ROM's CRUNCH does (TRS80-REFERENCE.md
§6.1, §6.3: keywords matched in token order at every letter outside strings, text
after DATA up to a colon and after REM kept as typed, ``?`` for PRINT) and
refuses what Level II would not run: lowercase, ``&H`` numbers, Disk BASIC
keywords. ``run`` executes the statements the loaders use (REM, LET, FOR/NEXT,
READ/DATA/RESTORE, IF...THEN, PRINT, POKE, PEEK, END) with Level II's rules:
true is -1, POKE and PEEK take addresses -32768..32767 only (?FC otherwise).
"""

from __future__ import annotations

import re

# Level II keywords in token order from 80h (TRS80-REFERENCE.md §6.3).
KEYWORDS = (
    "END FOR RESET SET CLS CMD RANDOM NEXT DATA INPUT DIM READ LET GOTO RUN IF "
    "RESTORE GOSUB RETURN REM STOP ELSE TRON TROFF DEFSTR DEFINT DEFSNG DEFDBL LINE "
    "EDIT ERROR RESUME OUT ON OPEN FIELD GET PUT CLOSE LOAD MERGE NAME KILL LSET RSET "
    "SAVE SYSTEM LPRINT DEF POKE PRINT CONT LIST LLIST DELETE AUTO CLEAR CLOAD CSAVE "
    "NEW TAB( TO FN USING VARPTR USR ERL ERR STRING$ INSTR POINT TIME$ MEM INKEY$ "
    "THEN NOT STEP + - * / \u2191 AND OR > = < SGN INT ABS FRE INP POS SQR RND LOG EXP "
    "COS SIN TAN ATN PEEK CVI CVS CVD EOF LOC LOF MKI$ MKS$ MKD$ CINT CSNG CDBL FIX LEN "
    "STR$ VAL ASC CHR$ LEFT$ RIGHT$ MID$ '"
).split()
TOKEN = {word: 0x80 + i for i, word in enumerate(KEYWORDS)}
NAME = {v: k for k, v in TOKEN.items()}
# Reserved by Level II but only Disk BASIC runs them (?L3 ERROR).
DISK_ONLY = {"CMD", "OPEN", "FIELD", "GET", "PUT", "CLOSE", "LOAD", "MERGE", "NAME", "KILL",
             "LSET", "RSET", "SAVE", "DEF", "FN", "TIME$", "CVI", "CVS", "CVD", "EOF", "LOC",
             "LOF", "MKI$", "MKS$", "MKD$", "LINE", "INSTR"}


class BasicError(Exception):
    """What Level II would print: ?SN ERROR, ?FC ERROR, ?OD ERROR..."""


def crunch(text: str) -> tuple[int, list]:
    """(line number, tokens): keyword tokens as ints, everything else as characters."""
    m = re.match(r"^(\d+) ?(.*)$", text)
    if not m:
        raise BasicError(f"no line number: {text}")
    number, body = int(m.group(1)), m.group(2)
    if number > 65529:
        raise BasicError(f"line number {number} too big")
    out: list = []
    i = 0
    mode = None  # 'data' until a colon, 'rem' to the end
    while i < len(body):
        ch = body[i]
        if ch == '"':
            end = body.find('"', i + 1)
            end = len(body) if end < 0 else end + 1
            out.extend(body[i:end])
            i = end
            continue
        if mode == "rem" or (mode == "data" and ch != ":"):
            out.append(ch)
            i += 1
            continue
        mode = None
        if ch.islower():
            raise BasicError(f"lowercase '{ch}' in line {number}: a stock Model I types none")
        if body.startswith("&H", i):
            raise BasicError(f"&H numbers are Disk BASIC (line {number})")
        if ch == "?":
            out.append(TOKEN["PRINT"])
            i += 1
            continue
        for word in KEYWORDS:
            if body.startswith(word, i):
                if word in DISK_ONLY:
                    raise BasicError(f"{word} is Disk BASIC only (?L3 ERROR) in line {number}")
                out.append(TOKEN[word])
                i += len(word)
                mode = {"DATA": "data", "REM": "rem", "'": "rem"}.get(word)
                break
        else:
            out.append(ch)
            i += 1
    if len(out) + 5 > 255:
        raise BasicError(f"line {number} is too long for BASIC's buffer")
    return number, out


class Program:
    """A crunched program, run against 64 KB of memory (PEEK/POKE) and printing to a list."""

    def __init__(self, text: str, memory) -> None:
        self.lines = [crunch(line) for line in text.splitlines() if line.strip()]
        numbers = [n for n, _ in self.lines]
        if numbers != sorted(set(numbers)):
            raise BasicError("line numbers out of order or repeated")
        self.memory = memory
        self.printed: list[str] = []
        self.vars: dict[str, float] = {}
        self.data = [item for _, toks in self.lines for item in _data_items(toks)]
        self.data_pos = 0

    # -- running ---------------------------------------------------------------------------
    def run(self, max_statements: int = 1_000_000) -> list[str]:
        self.line_index, self.pos = 0, 0
        self.for_stack: list = []
        count = 0
        while self.line_index < len(self.lines):
            count += 1
            if count > max_statements:
                raise BasicError("runs too long")
            toks = self.lines[self.line_index][1]
            self.toks = toks
            if self.pos >= len(toks):
                self.line_index, self.pos = self.line_index + 1, 0
                continue
            if self._statement():
                break
        return self.printed

    def _goto_next_line(self) -> None:
        self.line_index, self.pos = self.line_index + 1, 0

    def _statement(self) -> bool:
        """Run one statement; True at END."""
        t = self._peek()
        if t == ":":
            self.pos += 1
            return False
        if t == " ":
            self.pos += 1
            return False
        self.pos += 1
        if t in (TOKEN["REM"], TOKEN["DATA"]):
            if t == TOKEN["REM"]:
                self._goto_next_line()
            else:
                while self._peek() not in (":", None):
                    self.pos += 1
            return False
        if t == TOKEN["END"]:
            return True
        if t == TOKEN["FOR"]:
            var = self._name()
            self._expect(TOKEN["="])
            self.vars[var] = self._expr()
            self._expect(TOKEN["TO"])
            limit = self._expr()
            self.for_stack.append((var, limit, self.line_index, self.pos))
            return False
        if t == TOKEN["NEXT"]:
            self._skip_spaces()
            var = self._name() if isinstance(self._peek(), str) and self._peek().isalpha() \
                else self.for_stack[-1][0]
            name, limit, li, pos = self.for_stack[-1]
            if name != var:
                raise BasicError("?NF ERROR")
            self.vars[var] += 1
            if self.vars[var] <= limit:
                self.line_index, self.pos = li, pos
            else:
                self.for_stack.pop()
            return False
        if t == TOKEN["READ"]:
            while True:
                var = self._name()
                if self.data_pos >= len(self.data):
                    raise BasicError("?OD ERROR")
                self.vars[var] = float(self.data[self.data_pos])
                self.data_pos += 1
                if self._peek() != ",":
                    return False
                self.pos += 1
        if t == TOKEN["RESTORE"]:
            self.data_pos = 0
            return False
        if t == TOKEN["IF"]:
            cond = self._expr()
            self._expect(TOKEN["THEN"])
            if not cond:
                self._goto_next_line()
                return False
            self._skip_spaces()
            if isinstance(self._peek(), str) and self._peek().isdigit():
                self._jump(int(self._number()))
            return False
        if t == TOKEN["GOTO"]:
            self._jump(int(self._number()))
            return False
        if t == TOKEN["PRINT"]:
            text = ""
            while self._peek() not in (":", None):
                self._skip_spaces()
                if self._peek() == '"':
                    self.pos += 1
                    while self._peek() not in ('"', None):
                        text += self._peek()
                        self.pos += 1
                    self.pos += 1
                elif self._peek() == ";":
                    self.pos += 1
                elif self._peek() not in (":", None):
                    value = self._expr()
                    text += (" " if value >= 0 else "") + _fmt(value) + " "
            self.printed.append(text)
            return False
        if t == TOKEN["POKE"]:
            addr = self._int(self._expr())
            self._expect(",")
            value = self._int(self._expr())
            if not 0 <= value <= 255:
                raise BasicError("?FC ERROR: POKE value")
            self.memory[addr & 0xFFFF] = value
            return False
        if t == TOKEN["LET"]:
            t = self._peek()
            self.pos += 1
        if isinstance(t, str) and t.isalpha():
            self.pos -= 1
            var = self._name()
            self._expect(TOKEN["="])
            self.vars[var] = self._expr()
            return False
        raise BasicError(f"?SN ERROR at {NAME.get(t, t)!r} in line "
                         f"{self.lines[self.line_index][0]}")

    def _jump(self, number: int) -> None:
        for i, (n, _) in enumerate(self.lines):
            if n == number:
                self.line_index, self.pos = i, 0
                return
        raise BasicError(f"?UL ERROR: {number}")

    # -- expressions -----------------------------------------------------------------------
    def _peek(self):
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def _skip_spaces(self) -> None:
        while self._peek() == " ":
            self.pos += 1

    def _expect(self, tok) -> None:
        self._skip_spaces()
        if self._peek() != tok:
            raise BasicError(f"?SN ERROR: expected {NAME.get(tok, tok)!r}")
        self.pos += 1

    def _name(self) -> str:
        self._skip_spaces()
        name = ""
        while isinstance(self._peek(), str) and (self._peek().isalnum()):
            name += self._peek()
            self.pos += 1
        if not name or not name[0].isalpha():
            raise BasicError("?SN ERROR: expected a variable")
        return name[:2]  # Level II keeps two significant characters

    def _number(self) -> float:
        self._skip_spaces()
        digits = ""
        while isinstance(self._peek(), str) and (self._peek().isdigit() or self._peek() == "."):
            digits += self._peek()
            self.pos += 1
        return float(digits)

    @staticmethod
    def _int(value: float) -> int:
        if not -32768 <= value <= 32767:
            raise BasicError(f"?FC ERROR: {value:g} is not an integer -32768..32767")
        return int(value)

    def _expr(self) -> float:
        left = self._sum()
        while True:
            self._skip_spaces()
            ops = []
            while self._peek() in (TOKEN["<"], TOKEN[">"], TOKEN["="]):
                ops.append(NAME[self._peek()])
                self.pos += 1
            if not ops:
                return left
            right = self._sum()
            op = "".join(ops)
            result = {"=": left == right, "<>": left != right, "<": left < right,
                      ">": left > right, "<=": left <= right, ">=": left >= right,
                      "=<": left <= right, "=>": left >= right}.get(op)
            if result is None:
                raise BasicError(f"?SN ERROR: operator {op}")
            left = -1.0 if result else 0.0

    def _sum(self) -> float:
        value = self._product()
        while True:
            self._skip_spaces()
            if self._peek() == TOKEN["+"]:
                self.pos += 1
                value += self._product()
            elif self._peek() == TOKEN["-"]:
                self.pos += 1
                value -= self._product()
            else:
                return value

    def _product(self) -> float:
        value = self._atom()
        while True:
            self._skip_spaces()
            if self._peek() == TOKEN["*"]:
                self.pos += 1
                value *= self._atom()
            elif self._peek() == TOKEN["/"]:
                self.pos += 1
                value /= self._atom()
            else:
                return value

    def _atom(self) -> float:
        self._skip_spaces()
        t = self._peek()
        if t == TOKEN["-"]:
            self.pos += 1
            return -self._atom()
        if t == TOKEN["PEEK"]:
            self.pos += 1
            self._expect("(")
            addr = self._int(self._expr())
            self._expect(")")
            return float(self.memory[addr & 0xFFFF])
        if t == "(":
            self.pos += 1
            value = self._expr()
            self._expect(")")
            return value
        if isinstance(t, str) and t.isdigit():
            return self._number()
        if isinstance(t, str) and t.isalpha():
            return self.vars.get(self._name(), 0.0)
        raise BasicError(f"?SN ERROR at {NAME.get(t, t)!r}")


def _data_items(toks: list) -> list[str]:
    items: list[str] = []
    i = 0
    while i < len(toks):
        if toks[i] == TOKEN["DATA"]:
            j = i + 1
            while j < len(toks) and toks[j] != ":":
                j += 1
            items += [x.strip() for x in "".join(toks[i + 1:j]).split(",")]
            i = j
        i += 1
    return items


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"
