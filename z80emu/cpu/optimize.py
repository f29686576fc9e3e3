"""Clean-up passes over the Python statements of one translated trace.

The trace writer (`codegen._TraceWriter`) pastes the instruction templates of
`isa/forms.py` one after another, so its output is correct but wasteful: an
`XOR B` computes flags that the next `ADD A,E` overwrites, `CP n` copies its
operand into a temporary first, `ADD HL,BC` works out a MEMPTR that the next
jump replaces.  Two classic passes remove that work without changing what the
code does:

- **copy propagation**: after `v = 64` or `v = b`, later uses of `v` read the
  constant or register directly, for as long as neither side is assigned again;
- **dead-store elimination**: an assignment whose value no later statement (and
  no exit from the trace, which stores every register back into the CPU) can
  read is dropped.  This is what computes flags "only where a later
  instruction or the run's exit needs them".

Both work on the statement list the writer produces: one top-level line per
simple statement, with indented lines belonging to the statement above them.
They are deliberately conservative: a compound statement (an `if` with an exit
inside) is treated as reading every name it mentions and as killing nothing,
and only assignments whose right-hand side calls nothing and touches no
attribute are ever removed.
"""

from __future__ import annotations

import re

_NAME = re.compile(r"(?<![\w.])([A-Za-z_]\w*)")
_TARGET = re.compile(r"^([A-Za-z_]\w*)\s*(=|\|=|&=|\^=|\+=|-=)(?!=)\s*(.*)$")
_CALL = re.compile(r"\w\s*\(")
_WALRUS = re.compile(r"(\w+)\s*:=")
_ATOM = re.compile(r"^(?:[A-Za-z_]\w*|-?\d+|0x[0-9A-Fa-f]+)$")


def _const(expr: str) -> int | None:
    """The value of an expression of decimal numbers and operators, else None."""
    if not re.fullmatch(r"(?:0x[0-9A-Fa-f]+|\d+|[\s()+\-*&|^<>~])+", expr):
        return None
    try:
        return int(eval(expr, {"__builtins__": {}}))  # noqa: S307 - numbers and operators only
    except (SyntaxError, ValueError, TypeError, ZeroDivisionError):
        return None


def _group(lines: list[str]) -> list[list[str]]:
    """Split lines into statements: a top-level line and the lines indented under it."""
    out: list[list[str]] = []
    for ln in lines:
        if ln.startswith(" ") and out:
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def _names(text: str) -> set[str]:
    return set(_NAME.findall(text.split("#", 1)[0]))


def _assigned(stmt: list[str]) -> set[str]:
    """Every name a statement may assign (plain, augmented or walrus)."""
    out = set()
    for ln in stmt:
        m = _TARGET.match(ln.lstrip())
        if m:
            out.add(m.group(1))
        if ":=" in ln:
            out.update(_WALRUS.findall(ln))
    return out


def propagate_copies(lines: list[str]) -> list[str]:
    """Replace uses of `x = ATOM` (a number or a name) by ATOM while both hold."""
    stmts = _group(lines)
    assigned = [_assigned(s) for s in stmts]     # substitution never changes these
    for i, stmt in enumerate(stmts):
        m = _TARGET.match(stmt[0])
        if len(stmt) != 1 or not m or m.group(2) != "=" or not _ATOM.match(m.group(3)):
            continue
        var, atom = m.group(1), m.group(3)
        if var == atom:
            continue
        use = re.compile(rf"(?<![\w.]){re.escape(var)}(?!\w)")
        for j in range(i + 1, len(stmts)):
            later, sets = stmts[j], assigned[j]
            if var in sets:
                # var gets a new value here; when that is a constant expression of
                # the old one (pc = (pc + 5) & 0xFFFF), fold it and carry on with it
                t = _TARGET.match(later[0])
                if len(later) != 1 or not t or t.group(2) != "=" or not atom.isdigit():
                    break
                value = _const(use.sub(atom, t.group(3)))
                if value is None:
                    break
                later[0] = f"{var} = {value}"
                atom = str(value)
                continue
            if len(later) == 1:
                if var in later[0]:
                    t = _TARGET.match(later[0])
                    if t:
                        later[0] = f"{t.group(1)} {t.group(2)} {use.sub(atom, t.group(3))}"
                    else:
                        later[0] = use.sub(atom, later[0])
                if atom in sets:
                    break                  # the atom changes after this statement's reads
            else:
                if atom in sets:
                    break
                later[:] = [use.sub(atom, ln) if var in ln else ln for ln in later]
    return [ln for stmt in stmts for ln in stmt]


def _simple(stmt: list[str]) -> tuple[str | None, set[str], bool]:
    """(name assigned, names read, removable) for one statement."""
    m = _TARGET.match(stmt[0])
    if len(stmt) == 1 and m and m.group(2) == "=":
        rhs = m.group(3)
        pure = not _CALL.search(rhs) and ":=" not in rhs and "cpu." not in rhs
        return m.group(1), _names(rhs), pure
    if stmt[0].startswith("if ") and all(ln.startswith("    ") and not ln.startswith("     ")
                                         and not ln.rstrip().endswith(":") for ln in stmt[1:]):
        # A guarded straight run of statements (an exit from the trace): what it
        # reads before assigning it itself is what it needs from before.
        reads, written = _names(stmt[0]), set()
        for ln in stmt[1:]:
            m = _TARGET.match(ln.strip())
            rhs = m.group(3) if m else ln
            reads |= _names(rhs) - written
            if m and m.group(2) != "=":
                reads |= {m.group(1)} - written
            if m:
                written.add(m.group(1))
        return None, reads, False
    return None, set().union(*(_names(ln) for ln in stmt)), False


def eliminate_dead(lines: list[str], looping: bool, live_out: set[str] = frozenset()) -> list[str]:
    """Drop assignments nothing reads.  `looping`: the statements run in a loop,
    so what the top of the list reads is live at its bottom; `live_out`: what
    the code after them reads."""
    stmts = _group(lines)
    info = [_simple(s) for s in stmts]
    # a statement that can go round the loop (`continue`) reads what the top reads
    loops_back = [any(ln.strip() == "continue" for ln in s) for s in stmts]
    live_end: set[str] = set(live_out)
    while True:
        live = set(live_end)
        for (target, reads, _), back in zip(reversed(info), reversed(loops_back)):
            if target is not None:
                live.discard(target)
            live |= reads
            if back:
                live |= live_end
        if not looping or live <= live_end:
            break
        live_end |= live
    live, keep = set(live_end), []
    for stmt, (target, reads, pure), back in zip(reversed(stmts), reversed(info),
                                                 reversed(loops_back)):
        if target is not None and pure and target not in live:
            continue
        if target is not None:
            live.discard(target)
        live |= reads
        if back:
            live |= live_end
        keep.append(stmt)
    return [ln for stmt in reversed(keep) for ln in stmt]


def optimize(lines: list[str], looping: bool, live_out: set[str] = frozenset()) -> list[str]:
    return eliminate_dead(propagate_copies(lines), looping, live_out)
