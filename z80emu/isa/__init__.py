"""The one Z80 instruction table: every encoding on every prefix page.

The forms in `z80emu.isa.forms` are expanded here into concrete `Encoding`
objects -- 252 on the main page, 256 each on CB, ED, DDCB and FDCB, 255 each on
DD and FD -- and checked so that no opcode is claimed twice or by none.  The
CPU generator, the assembler, the disassembler and the opcode reference all read
this table; nothing else in the project knows an opcode.

>>> enc = decode(bytes.fromhex("DD7E05"))
>>> enc.text, enc.length, enc.tstates, enc.flags
('LD A,(IX+d)', 3, (19,), '--------')
>>> find("DJNZ e").tstates
(13, 8)
>>> find("LD A,n").encode(n=0x41).hex().upper()
'3E41'
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from z80emu.isa.forms import CB, ED, ED_HOLE, MAIN, Form

PAGES = ("", "CB", "ED", "DD", "FD", "DDCB", "FDCB")
PREFIX = {"": b"", "CB": b"\xCB", "ED": b"\xED", "DD": b"\xDD", "FD": b"\xFD",
          "DDCB": b"\xDD\xCB", "FDCB": b"\xFD\xCB"}
PREFIX_BYTES = (0xCB, 0xDD, 0xED, 0xFD)

# How operand names read and store in the behaviour templates.
READ8 = {"A": "a", "B": "b", "C": "c", "D": "d", "E": "e", "H": "h", "L": "l",
         "IXH": "(ix >> 8)", "IXL": "(ix & 0xFF)", "IYH": "(iy >> 8)", "IYL": "(iy & 0xFF)",
         "(HL)": "RD(ea)", "(IX+d)": "RD(ea)", "(IY+d)": "RD(ea)"}
STORE8 = {"A": "a = {v}", "B": "b = {v}", "C": "c = {v}", "D": "d = {v}", "E": "e = {v}",
          "H": "h = {v}", "L": "l = {v}",
          "IXH": "ix = (ix & 0xFF) | ({v}) << 8", "IXL": "ix = (ix & 0xFF00) | ({v})",
          "IYH": "iy = (iy & 0xFF) | ({v}) << 8", "IYL": "iy = (iy & 0xFF00) | ({v})",
          "(HL)": "WR(ea, {v})", "(IX+d)": "WR(ea, {v})", "(IY+d)": "WR(ea, {v})"}
PROLOGUE = {"(HL)": "ea = h << 8 | l", "(IX+d)": "ea = (ix + D) & 0xFFFF\nwz = ea",
            "(IY+d)": "ea = (iy + D) & 0xFFFF\nwz = ea"}
READ16 = {"BC": "(b << 8 | c)", "DE": "(d << 8 | e)", "HL": "(h << 8 | l)",
          "AF": "(a << 8 | f)", "SP": "sp", "IX": "ix", "IY": "iy"}
STORE16 = {"BC": "b = {v} >> 8\nc = {v} & 0xFF", "DE": "d = {v} >> 8\ne = {v} & 0xFF",
           "HL": "h = {v} >> 8\nl = {v} & 0xFF", "AF": "a = {v} >> 8\nf = {v} & 0xFF",
           "SP": "sp = {v}", "IX": "ix = {v}", "IY": "iy = {v}"}

# The DD and FD prefixes replace HL by IX/IY; an (HL) operand becomes (IX+d), and
# then H and L in the same instruction stay H and L.
INDEX = {"DD": {"HL": "IX", "H": "IXH", "L": "IXL", "(HL)": "(IX+d)"},
         "FD": {"HL": "IY", "H": "IYH", "L": "IYL", "(HL)": "(IY+d)"}}


@dataclass(frozen=True)
class Encoding:
    """One concrete instruction: its bytes, text, timing, flags and behaviour."""

    page: str
    opcode: int
    mnemonic: str
    operands: tuple[str, ...]
    length: int
    tstates: tuple[int, ...]
    flags: str
    documented: bool
    canonical: bool
    note: str
    code: str              # behaviour template with operands resolved (see forms.py)
    ends_block: bool       # control may leave here (jumps, I/O, EI, HALT, repeats)

    @property
    def prefix(self) -> bytes:
        return PREFIX[self.page] if self.length > 1 else PREFIX[self.page][:0]

    @property
    def text(self) -> str:
        return self.mnemonic + (" " + ",".join(self.operands) if self.operands else "")

    @property
    def fields(self) -> tuple[str, ...]:
        """The variable fields in the order their bytes follow the opcode."""
        kinds = []
        for op in self.operands:
            if op.endswith("+d)"):
                kinds.append("d")
            elif op in ("n", "(n)"):
                kinds.append("n")
            elif op in ("nn", "(nn)"):
                kinds.append("nn")
            elif op == "e":
                kinds.append("e")
        # (IX+d) is always the first operand byte, whatever the text order.
        return tuple(sorted(kinds, key=lambda k: k != "d"))

    @property
    def flags_changed(self) -> bool:
        return self.flags != "--------"

    @property
    def is_prefix_only(self) -> bool:
        """A DD/FD byte that only delays the next prefix (DD DD, DD ED, DD FD)."""
        return self.page in ("DD", "FD") and self.length == 1

    def layout(self) -> tuple[str, ...]:
        """Byte slots in order: hex for fixed bytes, 'n', 'nn_lo', 'nn_hi', 'd', 'e'."""
        fixed = [f"{b:02X}" for b in self.prefix]
        if self.is_prefix_only:
            return tuple(fixed)
        slots = []
        for k in self.fields:
            slots += ["nn_lo", "nn_hi"] if k == "nn" else [k]
        if self.page in ("DDCB", "FDCB"):
            return tuple(fixed + ["d", f"{self.opcode:02X}"])
        return tuple(fixed + [f"{self.opcode:02X}"] + slots)

    def encode(self, n: int | None = None, nn: int | None = None, d: int | None = None,
               e: int | None = None) -> bytes:
        """The instruction's bytes with its fields filled (d and e signed)."""
        out = bytearray()
        values = {"n": n, "nn_lo": None if nn is None else nn & 0xFF,
                  "nn_hi": None if nn is None else (nn >> 8) & 0xFF,
                  "d": None if d is None else d & 0xFF, "e": None if e is None else e & 0xFF}
        for slot in self.layout():
            if slot in values:
                if values[slot] is None:
                    raise ValueError(f"{self.text}: missing value for {slot.split('_')[0]}")
                out.append(values[slot])
            else:
                out.append(int(slot, 16))
        return bytes(out)


def _field_values(form: Form) -> list[dict[str, str]]:
    letters = [ch for ch in dict.fromkeys(form.bits) if ch not in "01"]
    combos = []
    for values in itertools.product(*(form.fields[ch] for ch in letters)):
        combos.append(dict(zip(letters, values, strict=False)))
    for ch, table in form.fields.items():   # fields that are not opcode bits ({hl})
        if ch not in letters:
            for combo in combos:
                combo[ch] = table[0]
    return combos


def _opcode(form: Form, combo: dict[str, str]) -> int:
    bits = form.bits
    out = ""
    for i, ch in enumerate(bits):
        if ch in "01":
            out += ch
        else:
            width = bits.count(ch)
            index = form.fields[ch].index(combo[ch])
            pos = i - bits.index(ch)
            out += format(index, f"0{width}b")[pos]
    return int(out, 2)


def _call(x, combo):
    return x(**combo) if callable(x) else x


def resolve(code: str, combo: dict[str, str]) -> str:
    """Replace operand placeholders in a behaviour template with register code."""
    lines, used = [], []
    for line in code.split("\n"):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith("{") and " := " in stripped:
            name, value = stripped.split(" := ", 1)
            op = combo[name.strip("{}")]
            used.append(op)
            store = STORE8.get(op) or STORE16[op]
            lines += [indent + s for s in store.format(v=value).split("\n")]
        else:
            lines.append(line)
    text = "\n".join(lines)
    for ch, op in combo.items():
        token = "{" + ch + "}"
        if token in text:
            used.append(op)
            text = text.replace(token, READ8.get(op) or READ16[op])
    prologue = [PROLOGUE[op] for op in dict.fromkeys(used) if op in PROLOGUE]
    return "\n".join(prologue + ([text] if text else []))


def _encoding(form: Form, page: str, opcode: int, combo: dict[str, str], *, t=None,
              text=None, code=None, documented=None, canonical=None, note=None,
              length=None) -> Encoding:
    text = text if text is not None else form.text.format(**combo)
    mnemonic, _, rest = text.partition(" ")
    operands = tuple(rest.split(",")) if rest else ()
    t = t if t is not None else _call(form.t, combo)
    enc = Encoding(
        page=page, opcode=opcode, mnemonic=mnemonic, operands=operands, length=0,
        tstates=t if isinstance(t, tuple) else (t,),
        flags=_call(form.flags, combo),
        documented=documented if documented is not None else _call(form.documented, combo),
        canonical=canonical if canonical is not None else _call(form.canonical, combo),
        note=note if note is not None else _call(form.note, combo),
        code=code if code is not None else resolve(_call(form.code, combo), combo),
        ends_block=form.ends_block)
    if length is None:
        length = len(PREFIX[page]) + 1 + sum(2 if k == "nn" else 1 for k in enc.fields)
    return _replace(enc, length=length)


def _replace(enc: Encoding, **changes) -> Encoding:
    return Encoding(**{**enc.__dict__, **changes})


def _add_t(t: tuple[int, ...], extra: int) -> tuple[int, ...]:
    return tuple(x + extra for x in t)


def _expand() -> dict[str, list]:
    pages: dict[str, list] = {p: [None] * 256 for p in PAGES}
    claims: list[str] = []

    def claim(enc: Encoding) -> None:
        slot = pages[enc.page]
        if slot[enc.opcode] is not None:
            claims.append(f"{enc.page or 'main'} {enc.opcode:02X}: "
                          f"{slot[enc.opcode].text} and {enc.text}")
        slot[enc.opcode] = enc

    for form in MAIN + CB + ED:
        for combo in _field_values(form):
            if form.skip and form.skip(**combo):
                continue
            op = _opcode(form, combo)
            base = _encoding(form, form.page, op, combo)
            claim(base)
            if form.page == "":
                for page in ("DD", "FD"):
                    claim(_indexed(form, page, op, combo, base))
            elif form.page == "CB":
                for page in ("DDCB", "FDCB"):
                    claim(_indexed_cb(form, page, op, combo))

    for op in range(256):
        if pages["ED"][op] is None:
            claim(_encoding(ED_HOLE, "ED", op, {}))
        for page in ("DD", "FD"):
            if op in (0xDD, 0xED, 0xFD):   # the prefix only delays the next one
                claim(Encoding(page=page, opcode=op, mnemonic="NOP", operands=(), length=1,
                               tstates=(4,), flags="--------", documented=False,
                               canonical=False, note=f"{page} prefix ignored", code="",
                               ends_block=False))
    problems = claims + [f"{p or 'main'} {op:02X}: unclaimed"
                         for p in PAGES for op in range(256)
                         if pages[p][op] is None and not (p in ("", "DD", "FD")
                                                          and op in PREFIX_BYTES)]
    problems += [f"main {op:02X}: a prefix byte is claimed"
                 for op in PREFIX_BYTES if pages[""][op] is not None]
    problems += [f"{p} CB: claimed" for p in ("DD", "FD") if pages[p][0xCB] is not None]
    if problems:
        raise AssertionError("instruction table is inconsistent:\n" + "\n".join(problems))
    return pages


def _indexed(form: Form, page: str, op: int, combo: dict[str, str], base: Encoding) -> Encoding:
    """The DD/FD-page encoding derived from a main-page one."""
    subst = INDEX[page]
    if "(HL)" in combo.values():
        new = {k: subst["(HL)"] if v == "(HL)" else v for k, v in combo.items()}
    else:
        new = {k: subst.get(v, v) for k, v in combo.items()}
    if new == combo:
        return _replace(base, page=page, length=base.length + 1,
                        tstates=_add_t(base.tstates, 4), documented=False, canonical=False,
                        note=f"{page} prefix ignored")
    extra = 4 + (form.ix_extra if "(HL)" in combo.values() else 0)
    undocumented = any(v in ("IXH", "IXL", "IYH", "IYL") for v in new.values())
    return _encoding(form, page, op, new, t=_add_t(base.tstates, extra),
                     documented=not undocumented and base.documented)


def _indexed_cb(form: Form, page: str, op: int, combo: dict[str, str]) -> Encoding:
    """The DDCB/FDCB-page encoding derived from a CB-page one."""
    mem = "(IX+d)" if page == "DDCB" else "(IY+d)"
    reg = combo["r"]
    new = {**combo, "r": mem}
    is_bit = form.text.startswith("BIT")
    t = 20 if is_bit else 23
    code = resolve(_call(form.code, new), new)
    if reg == "(HL)":
        return _encoding(form, page, op, new, t=t, code=code, length=4)
    if is_bit:
        return _encoding(form, page, op, new, t=t, code=code, length=4, documented=False,
                         canonical=False,
                         note=f"mirror of {page[:2]} CB d {(op & 0xF8) | 6:02X}")
    text = form.text.format(**new) + "," + reg
    code += "\n" + STORE8[reg].format(v="res")
    return _encoding(form, page, op, new, t=t, text=text, code=code, length=4,
                     documented=False, note=f"also copies the result into {reg}")


_PAGES = _expand()
ENCODINGS: tuple[Encoding, ...] = tuple(e for p in PAGES for e in _PAGES[p] if e is not None)
_BY_TEXT = {e.text: e for e in ENCODINGS if e.canonical}


def page_table(page: str) -> list:
    """The 256 entries of one page (None for the prefix bytes on main, DD and FD)."""
    return list(_PAGES[page])


def find(text: str) -> Encoding:
    """The canonical encoding whose text is `text` (as printed: 'LD A,(IX+d)')."""
    return _BY_TEXT[text]


def decode(data: bytes | bytearray, offset: int = 0) -> Encoding:
    """The encoding that the bytes at data[offset:] begin with; missing bytes read 00h."""
    def byte(i: int) -> int:
        return data[offset + i] if offset + i < len(data) else 0

    op = byte(0)
    if op == 0xCB:
        return _PAGES["CB"][byte(1)]
    if op == 0xED:
        return _PAGES["ED"][byte(1)]
    if op in (0xDD, 0xFD):
        page = "DD" if op == 0xDD else "FD"
        if byte(1) == 0xCB:
            return _PAGES[page + "CB"][byte(3)]
        return _PAGES[page][byte(1)]
    return _PAGES[""][op]
