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

from z80emu.isa import Encoding

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
                f"{indent}if _x < cpu.wlimit:",
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


def trace(fetch, pc: int, limit: int = 48) -> list[tuple[int, Encoding, bytes, int | None]]:
    """Decode a trace from pc: [(address, encoding, bytes, followed address)].

    `fetch(addr, n)` returns n bytes of memory.  The trace stops at an
    instruction it cannot follow, at one that leads back into the trace (a loop
    when it leads to the start), or after `limit` instructions.
    """
    from z80emu.isa import decode

    out, seen, addr = [], set(), pc
    for _ in range(limit):
        head = fetch(addr, 4)
        enc = decode(head)
        data = head[:enc.length]
        follow = predict(addr, enc, data)
        seen.add(addr)
        out.append((addr, enc, data, follow))
        if follow is None or follow in seen:
            break
        addr = follow
    return out


def block_source(instrs, *, wlimit: int = 0,
                 read_hook: tuple[int, int] | None = None) -> tuple[str, int]:
    """Source of `def block(cpu, mem, budget)` running a trace from `trace()`.

    Items may also be (address, encoding, bytes) for a trace that stops after
    its last instruction.  Returns the source and the most T-states one pass of
    the trace can take.  The function returns the T-states it used; it leaves
    (with every register stored) where execution departs from the trace, after
    an instruction whose write lands on translated code, and -- in a trace that
    loops to its start -- before a pass that might not fit in `budget`.
    """
    instrs = [tuple(i) + (None,) * (4 - len(i)) for i in instrs]
    start = instrs[0][0]
    looping = instrs[-1][3] == start
    all_code = "\n".join(enc.code for _, enc, _, _ in instrs)
    used = regs_used(all_code)
    assigned = regs_set(all_code)
    branches = "TAKEN" in all_code
    ind = "    " if looping else ""
    head = [f"{x} = cpu.{x}" for x in used] + ["r = cpu.r"]
    if branches:
        head.append("t = 0")
    if looping:
        head += ["tt = 0", "q = cpu.q"]
    has_write = "WR(" in all_code
    if has_write:
        head.append("smc = 0")
    body: list[str] = []
    tsum = 0          # T-states of this pass so far, branches not taken
    m1 = 0            # opcode fetches since R was last brought up to date
    prev_flags = None
    tmax = 0
    io_pre = None

    def spent() -> str:
        parts = [str(tsum)] + (["t"] if branches else []) + (["tt"] if looping else [])
        return " + ".join(parts)

    def epilogue(pc_expr: str) -> list[str]:
        out = [f"cpu.{x} = {x}" for x in assigned]
        out.append(f"cpu.pc = {pc_expr}")
        out.append(f"cpu.r = (r & 0x80) | ((r + {m1}) & 0x7F)")
        if prev_flags is None:
            out.append("cpu.q = q" if looping else "pass")
        else:
            out.append("cpu.q = f" if prev_flags else "cpu.q = 0")
        out.append(f"return {spent()}")
        return out

    for index, (addr, enc, data, follow) in enumerate(instrs):
        code = enc.code
        nxt = (addr + enc.length) & 0xFFFF
        m1 += m1_count(enc)
        body.append(f"# {addr:04X}  {enc.text}")
        if enc.is_prefix_only:
            tsum += 4
            tmax += 4
            prev_flags = False
            if index == len(instrs) - 1:
                body += epilogue(str(nxt))
            continue
        for name, value in _literal_operands(enc, data).items():
            code = re.sub(rf"\b{name}\b", str(value), code)
        code = re.sub(r"\bSTART\b", str(addr), code)
        if re.search(r"\bpc\b", code):
            body.append(f"pc = {nxt}")
        if "IN(" in code or "OUT(" in code:
            io_pre = spent()
            body.append(f"cpu.cycles += {io_pre}")
        if re.search(r"\bQ\b", code):
            if prev_flags is None:
                q_expr = "q" if looping else "cpu.q"
            else:
                q_expr = "f" if prev_flags else "0"
            code = re.sub(r"\bQ\b", q_expr, code)
        t_here = enc.tstates[-1]
        code = code.replace("TAKEN", str(enc.tstates[0] - t_here))
        tsum += t_here
        end_expr = spent() if io_pre is None else f"{spent()} - ({io_pre})"
        code = code.replace("T_END", f"(cpu.cycles + {end_expr})")
        code = code.replace("RNOW", f"((r & 0x80) | ((r + {m1}) & 0x7F))")
        code = _subst_calls(code, "IN", lambda a: f"cpu.io_read({a[0]})")

        def read(args: list[str]) -> str:
            addr_expr = args[0]
            if read_hook is None:
                return f"mem[{addr_expr}]"
            lo, hi = read_hook
            value = _const(addr_expr)
            if value is not None:
                return f"rhook({value})" if lo <= value <= hi else f"mem[{value}]"
            return f"(rhook(_x) if {lo} <= (_x := {addr_expr}) <= {hi} else mem[_x])"

        code = _subst_calls(code, "RD", read)

        def write(indent: str, addr_expr: str, value: str) -> list[str]:
            out = [f"{indent}_x = {addr_expr}"]
            if wlimit:
                out += [f"{indent}if _x < {wlimit}:", f"{indent}    whook(_x, {value})",
                        f"{indent}else:", f"{indent}    mem[_x] = {value}"]
            else:
                out.append(f"{indent}mem[_x] = {value}")
            out += [f"{indent}if codemap[_x]:", f"{indent}    smc = cpu.smc(_x)"]
            return out

        lines = _expand_lines(code, write)
        r_set = any("R_SET = " in ln for ln in lines)
        lines = [ln.replace("R_SET = ", "r = ") for ln in lines]
        body += [ln for ln in lines if ln.strip()]
        if r_set:
            m1 = 0
        tmax += enc.tstates[0]
        prev_flags = enc.flags_changed
        last = index == len(instrs) - 1
        if "WR(" in enc.code and not last:
            target = "pc" if re.search(r"\bpc\b", code) else str(nxt)
            body.append("if smc:")
            body += ["    " + ln for ln in epilogue(target)]
        if follow is not None and enc.ends_block and not (last and not looping):
            unconditional = (enc.mnemonic in ("JR", "JP", "CALL", "RST")
                             and not (enc.operands and enc.operands[0] in CONDITIONS))
            if not unconditional:
                body.append(f"if pc != {follow}:")
                body += ["    " + ln for ln in epilogue("pc")]
        if last:
            if looping:
                body.append(f"tt += {tsum}" + (" + t" if branches else ""))
                if branches:
                    body.append("t = 0")
                body.append(f"r = (r & 0x80) | ((r + {m1}) & 0x7F)")
                body.append("q = f" if prev_flags else "q = 0")
                m1 = 0
                saved, tsum = tsum, 0
                body.append(f"if tt + {tmax} > budget:")
                body += ["    " + ln for ln in epilogue(str(start))]
                tsum = saved
            else:
                pc_expr = "pc" if re.search(r"\bpc\b", code) else str(nxt)
                body += epilogue(pc_expr)
    tables = [n for n in ("SZ53", "SZ53P", "PARITY", "INCF", "DECF", "ADDF", "ADCF", "SUBF",
                          "SBCF", "CPF") if re.search(rf"\b{n}\b", all_code)]
    prologue = ["codemap = cpu.codemap"] if has_write else []
    if has_write and wlimit:
        prologue.append("whook = cpu.whook")
    if read_hook is not None and "RD(" in all_code:
        prologue.append("rhook = cpu.rhook")
    args = "".join(f", {n}={n}" for n in tables)
    lines = prologue + head
    if looping:
        lines.append("while True:")
    lines += [ind + ln for ln in body]
    src = f"def block(cpu, mem, budget{args}):\n" + "".join(f"    {b}\n" for b in lines)
    return src, tmax
