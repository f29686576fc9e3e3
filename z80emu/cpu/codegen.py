"""Turn the instruction table's behaviour templates into Python source.

Two back ends share the template expansion here:

* `step_source` writes one function per encoding, executing exactly one
  instruction from `cpu.pc` (operands fetched at run time).  `tools/gen_cpu.py`
  uses it to write the committed module `z80emu/cpu/_steps.py`.
* `block_source` translates a straight run of decoded instructions starting at a
  known address into one function, with operands and addresses as constants and
  registers kept in locals for the whole run.  The CPU does this at run time for
  code it meets (see `z80emu.cpu.z80`).

The template language is described in `z80emu.isa.forms`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from z80emu.isa import Encoding
from z80emu.isa.forms import COND

from .optimize import optimize

REGS = ("a", "f", "b", "c", "d", "e", "h", "l", "sp", "ix", "iy", "wz")
_REG_USE = re.compile(r"(?<![\w.])(" + "|".join(REGS) + r")(?!\w)")
_REG_SET = re.compile(r"^\s*(" + "|".join(REGS) + r")\s*(?:=|\|=|&=|\^=|\+=|-=)(?!=)", re.M)


def m1_count(enc: Encoding) -> int:
    """Opcode fetches (each adds one to R): prefixes count, DDCB operands do not."""
    return 1 if enc.page == "" or enc.is_prefix_only else 2


def regs_used(code: str) -> list[str]:
    found = set(_REG_USE.findall(code))
    return [r for r in REGS if r in found]


def regs_set(code: str) -> list[str]:
    found = set(_REG_SET.findall(code))
    return [r for r in REGS if r in found]


def _split_call(text: str, start: int) -> tuple[str, int]:
    """The argument text of a call whose '(' is at text[start]; and the index after ')'."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    raise ValueError(f"unbalanced call in template: {text!r}")


def _split_args(args: str) -> list[str]:
    depth, parts, cur = 0, [], ""
    for ch in args:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return parts


def _subst_calls(text: str, name: str, render) -> str:
    """Replace each NAME(args) in text by render(args)."""
    pattern = re.compile(r"(?<![\w.])" + name + r"\(")
    while True:
        m = pattern.search(text)
        if not m:
            return text
        args, end = _split_call(text, m.end() - 1)
        text = text[:m.start()] + render(_split_args(args)) + text[end:]


def _const(expr: str) -> int | None:
    """The value of an expression made only of numbers and operators, else None."""
    if re.search(r"[A-Za-z_]", re.sub(r"0x[0-9A-Fa-f]+", "0", expr)):
        return None
    try:
        return int(eval(expr, {"__builtins__": {}}))  # noqa: S307 - numbers and operators only
    except (SyntaxError, ValueError, TypeError, ZeroDivisionError):
        return None


def _expand_lines(code: str, write) -> list[str]:
    """Expand WR(...) statement lines with `write(indent, addr, value)`."""
    out = []
    for line in code.split("\n"):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith("WR("):
            args, _ = _split_call(stripped, 2)
            addr, value = _split_args(args)
            out += write(indent, addr, value)
        elif stripped.startswith("OUT("):
            args, _ = _split_call(stripped, 3)
            port, value = _split_args(args)
            out.append(f"{indent}cpu.io_write({port}, {value})")
        elif stripped.startswith("RSET("):
            args, _ = _split_call(stripped, 4)
            out.append(f"{indent}R_SET = {args}")
        else:
            out.append(line)
    return out


def _signed(expr: str) -> str:
    return f"(({expr}) ^ 0x80) - 0x80"


# -- one instruction, operands fetched at run time ---------------------------------

def step_source(enc: Encoding, name: str) -> str:
    """Source of `def name(cpu, mem)`: execute `enc` at cpu.pc and return its T-states."""
    body = ["START = cpu.pc"]
    if enc.is_prefix_only:
        body += ["cpu.pc = (START + 1) & 0xFFFF",
                 "cpu.r = (cpu.r & 0x80) | ((cpu.r - 1) & 0x7F)  # refetched as an opcode",
                 "return 4"]
        return f"def {name}(cpu, mem):\n" + "".join(f"    {b}\n" for b in body)
    code = enc.code
    body.append(f"pc = (START + {enc.length}) & 0xFFFF")
    layout = enc.layout()
    for pos, slot in enumerate(layout):
        at = f"mem[(START + {pos}) & 0xFFFF]"
        if slot == "n":
            body.append(f"N = {at}")
        elif slot == "nn_lo":
            body.append(f"NN = {at} | mem[(START + {pos + 1}) & 0xFFFF] << 8")
        elif slot in ("d", "e"):
            body.append(f"{slot.upper()} = {_signed(at)}")
    used, assigned = regs_used(code), regs_set(code)
    body += [f"{r} = cpu.{r}" for r in used]
    if "Q" in re.findall(r"\bQ\b", code):
        body.append("Q = cpu.q")
    conditional = "TAKEN" in code
    if conditional:
        body.append(f"t = {enc.tstates[-1]}")
        code = code.replace("TAKEN", str(enc.tstates[0] - enc.tstates[-1]))
    code = code.replace("T_END", f"cpu.cycles + {enc.tstates[-1]}")
    code = code.replace("RNOW", "cpu.r")
    code = _subst_calls(code, "IN", lambda a: f"cpu.io_read({a[0]})")
    code = _subst_calls(
        code, "RD", lambda a: f"(cpu.rhook(_x) if cpu.rlo <= (_x := {a[0]}) <= cpu.rhi "
                              f"else mem[_x])")

    def write(indent: str, addr: str, value: str) -> list[str]:
        return [f"{indent}_x = {addr}",
                f"{indent}if _x < cpu.wlimit or _x >= cpu.wtop:",
                f"{indent}    cpu.whook(_x, {value})",
                f"{indent}else:",
                f"{indent}    mem[_x] = {value}",
                f"{indent}if cpu.codemap[_x]:",
                f"{indent}    cpu.smc(_x)"]

    lines = [ln.replace("R_SET = ", "cpu.r = ") for ln in _expand_lines(code, write)]
    body += [ln for ln in lines if ln.strip()]
    body += [f"cpu.{r} = {r}" for r in assigned]
    body.append("cpu.pc = pc")
    body.append("cpu.q = f" if enc.flags_changed else "cpu.q = 0")
    body.append("return t" if conditional else f"return {enc.tstates[0]}")
    return f"def {name}(cpu, mem):\n" + "".join(f"    {b}\n" for b in body)


# -- traces: straight runs through predictable jumps, translated whole ----------

CONDITIONS = {"NZ", "Z", "NC", "C", "PO", "PE", "P", "M"}
REPEATS = {"LDIR", "LDDR", "CPIR", "CPDR"}


def _literal_operands(enc: Encoding, data: bytes) -> dict[str, int]:
    """Operand values of `enc` from its instruction bytes."""
    values = {}
    for pos, slot in enumerate(enc.layout()):
        if slot == "n":
            values["N"] = data[pos]
        elif slot == "nn_lo":
            values["NN"] = data[pos] | data[pos + 1] << 8
        elif slot in ("d", "e"):
            values[slot.upper()] = (data[pos] ^ 0x80) - 0x80
    return values


def predict(addr: int, enc: Encoding, data: bytes) -> int | None:
    """Where a trace goes on after a control instruction, or None to stop there.

    Unconditional jumps, calls and RSTs are followed; a conditional jump is
    expected to go backwards (a loop) when its target is behind it and to fall
    through otherwise; a conditional call or return is expected not to happen;
    a repeating LDIR/LDDR/CPIR/CPDR is expected to repeat.  Anything else that
    ends a block (RET, JP (HL), I/O, EI, DI, HALT...) stops the trace.
    """
    nxt = (addr + enc.length) & 0xFFFF
    if not enc.ends_block:
        return nxt
    ops = _literal_operands(enc, data)
    conditional = bool(enc.operands) and enc.operands[0] in CONDITIONS
    if enc.mnemonic in ("JR", "DJNZ"):
        target = (nxt + ops["E"]) & 0xFFFF
    elif enc.mnemonic in ("JP", "CALL") and "NN" in ops:
        target = ops["NN"]
    elif enc.mnemonic == "RST":
        target = int(enc.operands[0][:2], 16)
    elif enc.mnemonic == "RET" and conditional:
        return nxt
    elif enc.mnemonic in REPEATS:
        return addr
    else:
        return None
    if enc.mnemonic == "DJNZ" or (conditional and enc.mnemonic in ("JR", "JP")):
        return target if target <= addr else nxt
    if conditional:          # CALL cc
        return nxt
    return target


def is_djnz_self(enc: Encoding, data: bytes) -> bool:
    """`DJNZ $`: the delay loop that jumps to itself until B reaches zero."""
    return enc.mnemonic == "DJNZ" and data[1] == 0xFE


def djnz_closed(addr: int, enc: Encoding, data: bytes, follow: int | None) -> bool:
    """A `DJNZ $` inside a trace (not at its start), which `trace` passes
    straight through: the translation runs all its repeats in closed form."""
    return is_djnz_self(enc, data) and follow == (addr + 2) & 0xFFFF


def static_branch(enc: Encoding, follow: int | None) -> bool:
    """A conditional JR/JP or a DJNZ whose direction the trace predicted: its
    target is a constant, so the translation tests the condition once and
    leaves on the unexpected side, with nothing left to work out at run time."""
    conditional = bool(enc.operands) and enc.operands[0] in CONDITIONS
    return follow is not None and (
        enc.mnemonic == "DJNZ" or (conditional and enc.mnemonic in ("JR", "JP")))


def branch_sides(addr: int, enc: Encoding, data: bytes) -> tuple[int, int]:
    """(fall-through address, target) of a JR/DJNZ/JP with a constant target."""
    nxt = (addr + enc.length) & 0xFFFF
    ops = _literal_operands(enc, data)
    return nxt, ops["NN"] if enc.mnemonic == "JP" else (nxt + ops["E"]) & 0xFFFF


def trace(fetch, pc: int, limit: int = 48) -> list[tuple[int, Encoding, bytes, int | None]]:
    """Decode a trace from pc: [(address, encoding, bytes, followed address)].

    `fetch(addr, n)` returns n bytes of memory.  Calls are followed into the
    routine, and its RET is expected to come back after the call.  The trace stops at an
    instruction it cannot follow, at one that leads back into the trace (a loop
    when it leads to the start), or after `limit` instructions.
    """
    from z80emu.isa import decode

    out, seen, addr = [], set(), pc
    returns: list[int] = []     # return addresses of the calls followed so far
    for _ in range(limit):
        head = fetch(addr, 4)
        enc = decode(head)
        data = head[:enc.length]
        follow = predict(addr, enc, data)
        if is_djnz_self(enc, data) and addr != pc:
            follow = (addr + 2) & 0xFFFF   # run in closed form; the trace goes on
        if enc.mnemonic in ("CALL", "RST") and follow != (addr + enc.length) & 0xFFFF:
            returns.append((addr + enc.length) & 0xFFFF)
        elif enc.text == "RET" and returns:
            follow = returns.pop()   # a RET from a routine the trace called goes back there
        seen.add(addr)
        out.append((addr, enc, data, follow))
        if follow is None or follow in seen:
            break
        addr = follow
    return out


@dataclass(frozen=True)
class MemoryLayout:
    """Where data accesses leave the plain bytearray (the CPU's hooks), baked into
    translated code as constants.

    Writes below `wlimit` or at `wtop` and above go to the write hook.  Reads of
    `rlo`..`rhi` go to the read hook, except `mlo`..`mhi` (inside that range),
    which read through a 256-byte table: `cpu.rmap[mem[addr]]`.
    """

    wlimit: int = 0
    wtop: int = 0x10000
    rlo: int | None = None
    rhi: int | None = None
    mlo: int | None = None
    mhi: int | None = None


PLAIN = MemoryLayout()

TABLE_NAMES = ("SZ53", "SZ53P", "PARITY", "INCF", "DECF", "ADDF", "ADCF", "SUBF", "SBCF",
               "CPF")


class _TraceWriter:
    """Writes the Python function for one trace, instruction by instruction.

    The running counts it keeps are what makes the output exact: `tsum` is the
    T-states of the current pass with every branch untaken (the generated code
    adds taken-branch extras in a local `t`, and finished loop passes in `tt`),
    `m1` the opcode fetches since R was last brought up to date, `prev_flags`
    whether the previous instruction set the flags (which decides Q for SCF/CCF).
    """

    def __init__(self, instrs: list, layout: MemoryLayout) -> None:
        self.instrs = instrs
        self.layout = layout
        self.start = instrs[0][0]
        self.loops_at_end = instrs[-1][3] == self.start
        self.all_code = "\n".join(enc.code for _, enc, _, _ in instrs)
        self.assigned = regs_set(self.all_code)
        last = len(instrs) - 1
        self.static = {i for i, (addr, enc, data, follow) in enumerate(instrs)
                       if static_branch(enc, follow) and not djnz_closed(addr, enc, data, follow)
                       and (i < last or self.loops_at_end)}
        # static branches whose unexpected side goes back to the start: go round
        # the loop there instead of leaving
        self.continues = {i for i in self.static
                          if self.start in branch_sides(*instrs[i][:3])
                          and instrs[i][3] != self.start}
        self.looping = self.loops_at_end or bool(self.continues)
        self.branches = any(
            djnz_closed(addr, enc, data, follow) or ("TAKEN" in enc.code and i not in self.static)
            for i, (addr, enc, data, follow) in enumerate(instrs))
        # A loop whose every pass takes the same T-states (nothing decided at run
        # time but where to leave) is a counted `for i in range(passes)`: the
        # passes that fit the budget are known on entry, and T-states and R are
        # worked out from i where the trace leaves, not added up on every pass.
        self.counted = (self.loops_at_end and not self.continues and not self.branches
                        and len(instrs) > 1
                        and not re.search(r"RNOW|RSET\(", self.all_code))
        self.body: list[str] = []
        self.tsum = 0
        self.m1 = 0
        self.prev_flags: bool | None = None
        self.tmax = 0
        self.io_pre: str | None = None

    # -- pieces of generated code --------------------------------------------------

    def spent(self) -> str:
        """The expression for T-states used so far in the whole call."""
        if self.counted:
            return f"{self.tsum} + i * __PASS_T__"
        return " + ".join([str(self.tsum)] + (["t"] if self.branches else [])
                          + (["tt"] if self.looping else []))

    def exit_lines(self, pc_expr: str, fetches: int, flags: bool | None,
                   q_expr: str | None = None) -> list[str]:
        """Store every register and return: leaving the trace at this point.
        One call to the trace's `leave` (see `source`) keeps the many exits short."""
        passes = " + i * __PASS_R__" if self.counted else ""
        r_expr = f"(r & 0x80) | ((r + {fetches}{passes}) & 0x7F)"
        if q_expr is None:
            if flags is None:
                q_expr = "q" if self.looping else "cpu.q"
            else:
                q_expr = "f" if flags else "0"
        regs = "".join(f", {x}" for x in self.assigned)
        return [f"return leave(cpu, {pc_expr}, {r_expr}, {q_expr}, {self.spent()}{regs})"]

    def epilogue(self, pc_expr: str) -> list[str]:
        return self.exit_lines(pc_expr, self.m1, self.prev_flags)

    def read(self, args: list[str]) -> str:
        addr_expr, lay = args[0], self.layout
        if lay.rlo is None:
            return f"mem[{addr_expr}]"
        value = _const(addr_expr)
        if value is not None:
            if lay.mlo is not None and lay.mlo <= value <= lay.mhi:
                return f"rmap[mem[{value}]]"
            return f"rhook({value})" if lay.rlo <= value <= lay.rhi else f"mem[{value}]"
        hooked = "rhook(_x)"
        if lay.mlo is not None:
            hooked = f"(rmap[mem[_x]] if {lay.mlo} <= _x <= {lay.mhi} else rhook(_x))"
        # RAM (above the hooked range on a TRS-80) is tested first: most reads go there
        return f"(mem[_x] if (_x := {addr_expr}) > {lay.rhi} or _x < {lay.rlo} else {hooked})"

    def write(self, indent: str, addr_expr: str, value: str,
              leave: list[str] | None) -> list[str]:
        """A data write; `leave` is the exit to take at once if it lands on code."""
        out = [f"{indent}_x = {addr_expr}"]
        lay = self.layout
        tests = ([f"_x < {lay.wlimit}"] if lay.wlimit else []) + (
            [f"_x >= {lay.wtop}"] if lay.wtop < 0x10000 else [])
        if tests:
            out += [f"{indent}if {' or '.join(tests)}:", f"{indent}    whook(_x, {value})",
                    f"{indent}else:", f"{indent}    mem[_x] = {value}"]
        else:
            out.append(f"{indent}mem[_x] = {value}")
        out.append(f"{indent}if codemap[_x]:")
        if leave is not None and not indent:
            out.append(f"{indent}    cpu.smc(_x)")
            out += [f"{indent}    {ln}" for ln in leave]
        else:
            out.append(f"{indent}    smc = cpu.smc(_x)")
        return out

    # -- one instruction -------------------------------------------------------------

    def add(self, index: int, addr: int, enc: Encoding, data: bytes, follow: int | None) -> None:
        body = self.body
        nxt = (addr + enc.length) & 0xFFFF
        last = index == len(self.instrs) - 1
        leaves_after = not (last and not self.loops_at_end)   # more of the trace follows
        self.m1 += m1_count(enc)
        body.append(f"# {addr:04X}  {enc.text}")
        if enc.is_prefix_only:
            self.tsum += 4
            self.tmax += 4
            self.prev_flags = False
            if last:
                body += self.epilogue(str(nxt))
            return
        if index in self.static:
            self.branch(index, addr, enc, data, follow, last)
            return
        if djnz_closed(addr, enc, data, follow):
            self.djnz_self(addr)
            if last:
                body += self.epilogue(str(nxt))
            return
        code = enc.code
        for name, value in _literal_operands(enc, data).items():
            code = re.sub(rf"\b{name}\b", str(value), code)
        code = re.sub(r"\bSTART\b", str(addr), code)
        uses_pc = bool(re.search(r"\bpc\b", code))
        pc_after = "pc" if uses_pc else str(nxt)
        if uses_pc:
            body.append(f"pc = {nxt}")
        if "IN(" in code or "OUT(" in code:
            # Devices see the CPU as it was when the instruction started, as a
            # single step shows it: registers, PC, R and the cycle count.
            body += [f"cpu.{x} = {x}" for x in self.assigned]
            body += [f"cpu.pc = {addr}", f"cpu.r = (r & 0x80) | ((r + {self.m1}) & 0x7F)"]
            self.io_pre = self.spent()
            body.append(f"cpu.cycles += {self.io_pre}")
        if re.search(r"\bQ\b", code):
            if self.prev_flags is None:
                q_expr = "q" if self.looping else "cpu.q"
            else:
                q_expr = "f" if self.prev_flags else "0"
            code = re.sub(r"\bQ\b", q_expr, code)
        t_here = enc.tstates[-1]
        code = code.replace("TAKEN", str(enc.tstates[0] - t_here))
        self.tsum += t_here
        end = self.spent() if self.io_pre is None else f"{self.spent()} - ({self.io_pre})"
        code = code.replace("T_END", f"(cpu.cycles + {end})")
        code = code.replace("RNOW", f"((r & 0x80) | ((r + {self.m1}) & 0x7F))")
        code = _subst_calls(code, "IN", lambda a: f"cpu.io_read({a[0]})")
        code = _subst_calls(code, "RD", self.read)
        lines = code.split("\n")
        # A single write that ends the instruction can leave right where it lands.
        wr_last = lines[-1].startswith("WR(") and sum("WR(" in ln for ln in lines) == 1
        leave = (self.exit_lines(pc_after, self.m1, enc.flags_changed)
                 if wr_last and leaves_after else None)
        out = _expand_lines(code, lambda ind, a, v: self.write(ind, a, v, leave))
        if any("R_SET = " in ln for ln in out):
            out = [ln.replace("R_SET = ", "r = ") for ln in out]
            self.m1 = 0
        body += [ln for ln in out if ln.strip()]
        self.tmax += enc.tstates[0]
        self.prev_flags = enc.flags_changed
        if "WR(" in enc.code and leaves_after and leave is None:
            body.append("if smc:")
            body += ["    " + ln for ln in self.epilogue(pc_after)]
        if follow is not None and enc.ends_block and leaves_after:
            unconditional = (enc.mnemonic in ("JR", "JP", "CALL", "RST")
                             and not (enc.operands and enc.operands[0] in CONDITIONS)
                             and enc.text != "JP (HL)")
            if not unconditional:
                body.append(f"if pc != {follow}:")
                body += ["    " + ln for ln in self.epilogue("pc")]
        if last:
            if self.loops_at_end:
                self.close_loop()
            else:
                body += self.epilogue(pc_after)

    def side_exit(self, index: int, pc: int, first: list[str]) -> list[str]:
        """Leave the trace for pc after a static branch -- or, when pc is the
        start of a looping trace, count the pass and go round again."""
        if index not in self.continues or pc != self.start:
            return first + self.exit_lines(str(pc), self.m1, False)
        out = first + [f"tt += {self.tsum}" + (" + t" if self.branches else "")]
        if self.branches:
            out.append("t = 0")
        out += [f"r = (r & 0x80) | ((r + {self.m1}) & 0x7F)", "q = 0",
                "if tt + __TMAX__ > budget:"]
        saved, self.tsum = self.tsum, 0
        out += ["    " + ln for ln in self.exit_lines(str(pc), 0, False)]
        self.tsum = saved
        return out + ["continue"]

    def branch(self, index: int, addr: int, enc: Encoding, data: bytes, follow: int,
               last: bool) -> None:
        """A predicted conditional JR/JP or DJNZ (see `static_branch`)."""
        body = self.body
        nxt, target = branch_sides(addr, enc, data)
        if enc.mnemonic == "DJNZ":
            body.append("b = (b - 1) & 0xFF")
            cond = "b"
        else:
            cond = COND[enc.operands[0]]
            if enc.mnemonic == "JP":
                body.append(f"wz = {target}")      # JP cc sets MEMPTR either way
        taken, untaken = enc.tstates[0], enc.tstates[-1]
        tsum = self.tsum
        if follow == target:                   # expected taken: leave when it is not
            body.append(f"if not ({cond}):")
            self.tsum = tsum + untaken
            body += ["    " + ln for ln in self.side_exit(index, nxt, [])]
            self.tsum = tsum + taken
            if enc.mnemonic != "JP":
                body.append(f"wz = {target}")
        else:                                  # expected not taken: leave when it is
            body.append(f"if {cond}:")
            self.tsum = tsum + taken
            first = [f"wz = {target}"] if enc.mnemonic != "JP" else []
            body += ["    " + ln for ln in self.side_exit(index, target, first)]
            self.tsum = tsum + untaken
        self.tmax += taken
        self.prev_flags = False
        if last:
            self.close_loop()

    def djnz_self(self, addr: int) -> None:
        """`DJNZ $` in closed form: all its repeats at once, or as many as the
        budget allows (then the trace leaves at the DJNZ, B part counted down)."""
        body = self.body
        used = " - ".join(["budget", "t"] + (["tt"] if self.looping else []) + ["__TMAX__"])
        body += ["n = b or 256",
                 f"k = ({used}) // 13",
                 "if k >= n - 1:",
                 "    k = n - 1",
                 "    b = 0",
                 "else:",
                 "    b = (n - k) & 0xFF"]
        self.m1 -= 1          # the exit below is before this DJNZ's last fetch
        q_expr = None
        if self.prev_flags is not False:     # Q: no repeat run means the latch is as it was
            before = "f" if self.prev_flags else ("q" if self.looping else "cpu.q")
            q_expr = f"0 if k > 0 else {before}"
        leave = self.exit_lines(str(addr), self.m1, False, q_expr)
        self.m1 += 1
        body += ["    if k > 0:",
                 "        r = (r & 0x80) | ((r + k) & 0x7F)",
                 "        t += 13 * k",
                 f"        wz = {addr}"]
        body += ["    " + ln for ln in leave]
        body += ["if k > 0:",
                 "    r = (r & 0x80) | ((r + k) & 0x7F)",
                 "    t += 13 * k",
                 f"    wz = {addr}"]
        self.tsum += 8
        self.tmax += 8
        self.prev_flags = False

    def bulk_copy(self, up: bool) -> list[str]:
        """LDIR/LDDR on itself: copy every repeat that surely fits the budget in
        one slice, when the bytes are plain memory on both sides, the copy never
        reads a byte it has written (it moves downwards for LDIR, upwards for
        LDDR, or the areas are apart) and no translated code is overwritten.  The loop then
        runs the remaining passes (at least the last) one at a time, so the
        registers, flags, R, MEMPTR and T-states come out as repeated steps give.
        """
        lay, start = self.layout, self.start
        src = "s, s + n" if up else "s - n + 1, s + 1"
        dst = "o, o + n" if up else "o - n + 1, o + 1"
        step = "+" if up else "-"
        cond = ["s + n <= 0x10000 and o + n <= 0x10000" if up else "s >= n - 1 and o >= n - 1"]
        if not up:   # a copy that never reads a byte it has already written is a memmove
            cond.append("(o >= s or o < s - n + 1)")
        lo_d, hi_d = ("o", "o + n - 1") if up else ("o - n + 1", "o")
        lo_s, hi_s = ("s", "s + n - 1") if up else ("s - n + 1", "s")
        if lay.wlimit:
            cond.append(f"{lo_d} >= {lay.wlimit}")
        if lay.wtop < 0x10000:
            cond.append(f"{hi_d} < {lay.wtop}")
        copy = f"mem[{dst.replace(', ', ':')}] = mem[{src.replace(', ', ':')}]"
        lines = ["# the repeats that surely fit, copied at once when nothing can notice",
                 "n = (b << 8 | c) - 1", "k = (budget - 21) // 21",
                 "if k < n:", "    n = k", "s = h << 8 | l", "o = d << 8 | e"]
        if lay.rlo is not None:
            plain = f"({hi_s} < {lay.rlo} or {lo_s} > {lay.rhi})"
            if lay.mlo is not None:
                mapped = f"{lay.mlo} <= {lo_s} and {hi_s} <= {lay.mhi}"
                apart = ["(o <= s or s + n <= o)"] if up else []
                lines.append(f"g = n > 16 and {' and '.join(cond + apart)} and not {plain} "
                             f"and {mapped}")
                cond.append(f"({plain} or g)")
            else:
                cond.append(plain)
        cond.append(f"codemap.count(0, {dst}) == n")
        lines.append(f"if n > 16 and {' and '.join(cond)}:")
        plain_copy = [copy]
        if up:
            # LDIR onto its own source a few bytes on (LD (HL),x / LD DE,HL+1 /
            # LDIR fills memory): the bytes repeat with that period
            plain_copy = ["if o <= s or s + n <= o:", f"    {copy}", "else:",
                          "    p = o - s", "    mem[o:o + n] = (mem[s:o] * (n // p + 1))[:n]"]
        if lay.rlo is not None and lay.mlo is not None:
            lines += ["    if g:", f"        {copy}.translate(rmap)", "    else:"]
            lines += ["        " + ln for ln in plain_copy]
        else:
            lines += ["    " + ln for ln in plain_copy]
        lines += [f"    s = (s {step} n) & 0xFFFF", f"    o = (o {step} n) & 0xFFFF",
                  "    h = s >> 8", "    l = s & 0xFF", "    d = o >> 8", "    e = o & 0xFF",
                  "    s = (b << 8 | c) - n", "    b = s >> 8", "    c = s & 0xFF",
                  f"    s = mem[(o {'-' if up else '+'} 1) & 0xFFFF] + a   # the last byte copied",
                  "    f = (f & 0xC1) | (s & 0x08) | ((s & 0x02) << 4) | 0x04",
                  f"    f = (f & 0xD7) | {(start >> 8) & 0x28}",
                  f"    wz = {(start + 1) & 0xFFFF}", "    tt = 21 * n",
                  "    r = (r & 0x80) | ((r + 2 * n) & 0x7F)", "    q = f"]
        return lines

    def close_loop(self) -> None:
        """End of a pass of a looping trace: count it, and go round if another fits."""
        body = self.body
        if self.counted:
            self.pass_t, self.pass_r = self.tsum, self.m1
            body.append("q = f" if self.prev_flags else "q = 0")
            return
        body.append(f"tt += {self.tsum}" + (" + t" if self.branches else ""))
        if self.branches:
            body.append("t = 0")
        body.append(f"r = (r & 0x80) | ((r + {self.m1}) & 0x7F)")
        body.append("q = f" if self.prev_flags else "q = 0")
        self.m1 = 0
        saved, self.tsum = self.tsum, 0
        body.append(f"if tt + {self.tmax} > budget:")
        body += ["    " + ln for ln in self.epilogue(str(self.start))]
        self.tsum = saved

    def source(self) -> str:
        for index, (addr, enc, data, follow) in enumerate(self.instrs):
            self.add(index, addr, enc, data, follow)
        code = self.all_code
        has_write = "WR(" in code
        head = ["codemap = cpu.codemap"] if has_write else []
        lay = self.layout
        if has_write and (lay.wlimit or lay.wtop < 0x10000):
            head.append("whook = cpu.whook")
        if lay.rlo is not None and "RD(" in code:
            head.append("rhook = cpu.rhook")
            if lay.mlo is not None:
                head.append("rmap = cpu.rmap")
        head += [f"{x} = cpu.{x}" for x in regs_used(code)] + ["r = cpu.r"]
        if self.branches:
            head.append("t = 0")
        if self.looping:
            head += ["q = cpu.q"] if self.counted else ["tt = 0", "q = cpu.q"]
            first = self.instrs[0][1]
            if len(self.instrs) == 1 and first.mnemonic in ("LDIR", "LDDR"):
                head += self.bulk_copy(first.mnemonic == "LDIR")
                if "rmap" in "\n".join(head) and "rmap = cpu.rmap" not in head:
                    head.insert(0, "rmap = cpu.rmap")
                if "codemap = cpu.codemap" not in head:
                    head.insert(0, "codemap = cpu.codemap")
            head.append("for i in range((budget - __TMAX__) // __PASS_T__ + 1):" if self.counted
                        else "while True:")
        if has_write:
            head.insert(head.index("r = cpu.r") + 1, "smc = 0")
        indent = "    " if self.looping else ""
        tables = [n for n in TABLE_NAMES if re.search(rf"\b{n}\b", code)]
        args = "".join(f", {n}={n}" for n in tables)
        tail: list[str] = []
        if self.counted:    # every pass that fitted is done: leave at the start
            self.m1, self.tsum = 0, 0
            tail = ["i += 1"] + self.epilogue(str(self.start))
        live_out = set().union(*(re.findall(r"(?<![\w.])[a-z_]\w*", ln) for ln in tail))
        # The clean-up passes pay for themselves in loops; a straight trace runs
        # once per call, and writing it quickly matters more.
        body = optimize(self.body, self.looping, live_out) if self.looping else self.body
        lines = head + [indent + ln for ln in body] + tail
        marks = {"__TMAX__": self.tmax}
        if self.counted:
            marks.update(__PASS_T__=self.pass_t, __PASS_R__=self.pass_r)
        for mark, value in marks.items():
            lines = [ln.replace(mark, str(value)) for ln in lines]
        regs = "".join(f", {x}" for x in self.assigned)
        leave = ([f"def leave(cpu, pc, r, q, t{regs}):"]
                 + [f"    cpu.{x} = {x}" for x in self.assigned]
                 + ["    cpu.pc = pc", "    cpu.r = r", "    cpu.q = q", "    return t", ""])
        return "\n".join(leave) + f"def block(cpu, mem, budget{args}):\n" + "".join(
            f"    {ln}\n" for ln in lines)


def block_source(instrs, layout: MemoryLayout = PLAIN) -> tuple[str, int]:
    """Source of `def block(cpu, mem, budget)` running a trace from `trace()`.

    Items may also be (address, encoding, bytes) for a trace that stops after
    its last instruction.  Returns the source and the most T-states one pass of
    the trace can take.  The function returns the T-states it used; it leaves
    (with every register stored) where execution departs from the trace, after
    an instruction whose write lands on translated code, and -- in a trace that
    loops to its start -- before a pass that might not fit in `budget`.
    """
    instrs = [tuple(i) + (None,) * (4 - len(i)) for i in instrs]
    writer = _TraceWriter(instrs, layout)
    src = writer.source()
    return src, writer.tmax
