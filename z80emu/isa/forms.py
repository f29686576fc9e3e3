"""The Z80 instruction forms: each written once, as data.

A form is one row of a hand-assembly chart: the assembly text with its operand
fields, the opcode's bit pattern, the T-states, the flags it affects and what it
does.  `z80emu.isa` expands every form over its fields into the concrete
encodings of each prefix page; the DD/FD (IX/IY) and DDCB/FDCB pages are derived
from the main and CB pages by the substitution rules in `z80emu.isa.expand`, so
they are never written out by hand.

Facts: Zilog Z80 CPU User Manual (UM0080) for the documented set and timings;
Sean Young, "The Undocumented Z80 Documented" (2005) for SLL, the IXH/IXL forms,
the DDCB register copies, the ED mirrors and flag bits 3 and 5; the MEMPTR rules
as collected by the Z80 community (boo_boo & Vladimir Kladov, 2006) and the
2022 block-instruction findings that SingleStepTests follows.

The `code` of a form is a small template in Python syntax, run by the CPU
generator (`z80emu.cpu.codegen`).  Registers are locals (`a f b c d e h l`,
`sp ix iy wz`); `{x}` reads operand field x and a line `{x} := value` stores it;
`N NN D E` are the immediate byte, word, index displacement and relative
displacement; `RD(addr)`/`WR(addr, v)` and `IN(port)`/`OUT(port, v)` are the bus;
`pc` is the address after the instruction and `START` its own address; `Q` is
the flags latch left by the previous instruction; `t += TAKEN` adds the extra
T-states of a taken branch (from the form's own timing); `RNOW`/`RSET(v)` read
and load the refresh register; `T_END` is the cycle count when the instruction
ends.  Field values are the operand names
the assembler and disassembler print, so one table serves all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Operand tables, indexed by the opcode field that selects them.
R8 = ("B", "C", "D", "E", "H", "L", "(HL)", "A")
RP = ("BC", "DE", "HL", "SP")
RP2 = ("BC", "DE", "HL", "AF")
CC = ("NZ", "Z", "NC", "C", "PO", "PE", "P", "M")
BITS = tuple(str(n) for n in range(8))
RST = tuple(f"{n * 8:02X}H" for n in range(8))

TFn = int | tuple | Callable[..., int | tuple]
CodeFn = str | Callable[..., str]


@dataclass(frozen=True)
class Form:
    """One instruction form: text template, opcode bits, timing, flags, behaviour."""

    text: str                      # 'LD {r},{s}': {x} is field x, n/nn/e/d are immediates
    bits: str                      # '01rrrsss': 0/1 fixed, letters are field bits (MSB first)
    t: TFn                         # T-states, or (taken, not taken), or f(**fields)
    flags: str                     # S Z Y H X P/V N C: '-' kept, '*' result, '0' '1', 'P' 'V'
    code: CodeFn                   # behaviour template (see module docstring), or f(**fields)
    fields: dict = field(default_factory=dict)   # letter -> operand table
    page: str = ""                 # '', 'CB' or 'ED'
    skip: Callable[..., bool] | None = None      # fields -> True when another form owns it
    documented: bool | Callable[..., bool] = True
    canonical: bool | Callable[..., bool] = True  # False: a mirror of another encoding
    note: str | Callable[..., str] = ""
    ends_block: bool = False       # control may leave: translated code stops here
    ix_extra: int = 8              # T-states an (IX+d) operand adds beyond the prefix's 4


def _push(value: str) -> str:
    return (f"sp = (sp - 1) & 0xFFFF\nWR(sp, {value} >> 8)\n"
            f"sp = (sp - 1) & 0xFFFF\nWR(sp, {value} & 0xFF)")


POP = "v = RD(sp)\nsp = (sp + 1) & 0xFFFF\nv |= RD(sp) << 8\nsp = (sp + 1) & 0xFFFF"
RET = POP + "\npc = v\nwz = v"

# The condition codes as Python tests on the flags byte.
COND = {"NZ": "not f & 0x40", "Z": "f & 0x40", "NC": "not f & 0x01", "C": "f & 0x01",
        "PO": "not f & 0x04", "PE": "f & 0x04", "P": "not f & 0x80", "M": "f & 0x80"}

# The eight accumulator operations: (mnemonic prefix, code on operand value v).
ALU = (
    ("ADD A,", "f = ADDF[a << 8 | v]\na = (a + v) & 0xFF", "*****V0*"),
    ("ADC A,", "cy = f & 1\nf = ADCF[cy << 16 | a << 8 | v]\na = (a + v + cy) & 0xFF", "*****V0*"),
    ("SUB ", "f = SUBF[a << 8 | v]\na = (a - v) & 0xFF", "*****V1*"),
    ("SBC A,", "cy = f & 1\nf = SBCF[cy << 16 | a << 8 | v]\na = (a - v - cy) & 0xFF", "*****V1*"),
    ("AND ", "a &= v\nf = SZ53P[a] | 0x10", "***1*P00"),
    ("XOR ", "a ^= v\nf = SZ53P[a]", "***0*P00"),
    ("OR ", "a |= v\nf = SZ53P[a]", "***0*P00"),
    ("CP ", "f = CPF[a << 8 | v]", "*****V1*"),
)

# The eight CB-page shifts and rotates: code from v (operand) to res, and flags.
ROT = (
    ("RLC", "res = ((v << 1) | (v >> 7)) & 0xFF\nf = SZ53P[res] | v >> 7"),
    ("RRC", "res = (v >> 1) | ((v & 1) << 7)\nf = SZ53P[res] | (v & 1)"),
    ("RL", "res = ((v << 1) | (f & 1)) & 0xFF\nf = SZ53P[res] | v >> 7"),
    ("RR", "res = (v >> 1) | ((f & 1) << 7)\nf = SZ53P[res] | (v & 1)"),
    ("SLA", "res = (v << 1) & 0xFF\nf = SZ53P[res] | v >> 7"),
    ("SRA", "res = (v >> 1) | (v & 0x80)\nf = SZ53P[res] | (v & 1)"),
    ("SLL", "res = ((v << 1) | 1) & 0xFF\nf = SZ53P[res] | v >> 7"),
    ("SRL", "res = v >> 1\nf = SZ53P[res] | (v & 1)"),
)


def _mem(op: str) -> bool:
    return op.startswith("(")


def _r_time(reg: int, mem: int) -> Callable[..., int]:
    """T-states of a form with one 8-bit operand: register, or (HL)."""
    return lambda **f: mem if any(_mem(v) for v in f.values()) else reg


MAIN = [
    # -- x=0 ---------------------------------------------------------------
    Form("NOP", "00000000", 4, "--------", ""),
    Form("EX AF,AF'", "00001000", 4, "--------",
         "v = a << 8 | f\nw = cpu.af_\ncpu.af_ = v\na = w >> 8\nf = w & 0xFF"),
    Form("DJNZ e", "00010000", (13, 8), "--------",
         "b = (b - 1) & 0xFF\nif b:\n    pc = (pc + E) & 0xFFFF\n    wz = pc\n    t += TAKEN",
         ends_block=True),
    Form("JR e", "00011000", 12, "--------", "pc = (pc + E) & 0xFFFF\nwz = pc", ends_block=True),
    Form("JR {c},e", "001cc000", (12, 7), "--------",
         lambda c: f"if {COND[c]}:\n    pc = (pc + E) & 0xFFFF\n    wz = pc\n    t += TAKEN",
         fields={"c": CC[:4]}, ends_block=True),
    Form("LD {p},nn", "00pp0001", 10, "--------", "{p} := NN", fields={"p": RP}),
    Form("ADD {hl},{p}", "00pp1001", 11, "--***-0*",
         "x = {hl}\ny = {p}\nres = x + y\nwz = (x + 1) & 0xFFFF\n"
         "f = (f & 0xC4) | ((res >> 8) & 0x28) | (((x ^ y ^ res) >> 8) & 0x10) | res >> 16\n"
         "res &= 0xFFFF\n{hl} := res",
         fields={"p": RP, "hl": ("HL",)}),
    Form("LD (BC),A", "00000010", 7, "--------",
         "ea = b << 8 | c\nWR(ea, a)\nwz = a << 8 | ((ea + 1) & 0xFF)"),
    Form("LD A,(BC)", "00001010", 7, "--------",
         "ea = b << 8 | c\na = RD(ea)\nwz = (ea + 1) & 0xFFFF"),
    Form("LD (DE),A", "00010010", 7, "--------",
         "ea = d << 8 | e\nWR(ea, a)\nwz = a << 8 | ((ea + 1) & 0xFF)"),
    Form("LD A,(DE)", "00011010", 7, "--------",
         "ea = d << 8 | e\na = RD(ea)\nwz = (ea + 1) & 0xFFFF"),
    Form("LD (nn),{hl}", "00100010", 16, "--------",
         "v = {hl}\nWR(NN, v & 0xFF)\nwz = (NN + 1) & 0xFFFF\nWR(wz, v >> 8)",
         fields={"hl": ("HL",)}),
    Form("LD {hl},(nn)", "00101010", 16, "--------",
         "wz = (NN + 1) & 0xFFFF\nv = RD(NN) | RD(wz) << 8\n{hl} := v",
         fields={"hl": ("HL",)}),
    Form("LD (nn),A", "00110010", 13, "--------",
         "WR(NN, a)\nwz = a << 8 | ((NN + 1) & 0xFF)"),
    Form("LD A,(nn)", "00111010", 13, "--------", "a = RD(NN)\nwz = (NN + 1) & 0xFFFF"),
    Form("INC {p}", "00pp0011", 6, "--------", "v = ({p} + 1) & 0xFFFF\n{p} := v",
         fields={"p": RP}),
    Form("DEC {p}", "00pp1011", 6, "--------", "v = ({p} - 1) & 0xFFFF\n{p} := v",
         fields={"p": RP}),
    Form("INC {r}", "00rrr100", _r_time(4, 11), "*****V0-",
         "v = ({r} + 1) & 0xFF\n{r} := v\nf = (f & 1) | INCF[v]", fields={"r": R8}),
    Form("DEC {r}", "00rrr101", _r_time(4, 11), "*****V1-",
         "v = ({r} - 1) & 0xFF\n{r} := v\nf = (f & 1) | DECF[v]", fields={"r": R8}),
    Form("LD {r},n", "00rrr110", _r_time(7, 10), "--------", "{r} := N", fields={"r": R8},
         ix_extra=5),
    Form("RLCA", "00000111", 4, "--*0*-0*",
         "a = ((a << 1) | (a >> 7)) & 0xFF\nf = (f & 0xC4) | (a & 0x29)"),
    Form("RRCA", "00001111", 4, "--*0*-0*",
         "cy = a & 1\na = (a >> 1) | (cy << 7)\nf = (f & 0xC4) | (a & 0x28) | cy"),
    Form("RLA", "00010111", 4, "--*0*-0*",
         "cy = a >> 7\na = ((a << 1) | (f & 1)) & 0xFF\nf = (f & 0xC4) | (a & 0x28) | cy"),
    Form("RRA", "00011111", 4, "--*0*-0*",
         "cy = a & 1\na = (a >> 1) | ((f & 1) << 7)\nf = (f & 0xC4) | (a & 0x28) | cy"),
    Form("DAA", "00100111", 4, "*****P-*",
         "cy = f & 1\nv = 0\nif f & 0x10 or (a & 0x0F) > 9:\n    v = 6\n"
         "if cy or a > 0x99:\n    v |= 0x60\n    cy = 1\n"
         "res = (a - v) & 0xFF if f & 0x02 else (a + v) & 0xFF\n"
         "f = SZ53P[res] | (f & 0x02) | cy | ((a ^ res) & 0x10)\na = res"),
    Form("CPL", "00101111", 4, "--*1*-1-", "a ^= 0xFF\nf = (f & 0xC5) | (a & 0x28) | 0x12"),
    Form("SCF", "00110111", 4, "--*0*-01", "f = (f & 0xC4) | (((Q ^ f) | a) & 0x28) | 0x01"),
    Form("CCF", "00111111", 4, "--***-0*",
         "f = ((f & 0xC5) | ((f & 1) << 4) | (((Q ^ f) | a) & 0x28)) ^ 0x01"),
    # -- x=1: loads between registers; LD (HL),(HL) is HALT -------------------
    Form("LD {r},{s}", "01rrrsss", _r_time(4, 7), "--------", "{r} := {s}",
         fields={"r": R8, "s": R8}, skip=lambda r, s: r == s == "(HL)"),
    Form("HALT", "01110110", 4, "--------", "cpu.halted = 1", ends_block=True),
    # -- x=3 -----------------------------------------------------------------
    Form("RET {c}", "11ccc000", (11, 5), "--------",
         lambda c: f"if {COND[c]}:\n" + "\n".join("    " + s for s in RET.split("\n"))
         + "\n    t += TAKEN", fields={"c": CC}, ends_block=True),
    Form("POP {p}", "11pp0001", 10, "--------", POP + "\n{p} := v", fields={"p": RP2}),
    Form("RET", "11001001", 10, "--------", RET, ends_block=True),
    Form("EXX", "11011001", 4, "--------",
         "v = b << 8 | c\nw = cpu.bc_\ncpu.bc_ = v\nb = w >> 8\nc = w & 0xFF\n"
         "v = d << 8 | e\nw = cpu.de_\ncpu.de_ = v\nd = w >> 8\ne = w & 0xFF\n"
         "v = h << 8 | l\nw = cpu.hl_\ncpu.hl_ = v\nh = w >> 8\nl = w & 0xFF"),
    Form("JP ({hl})", "11101001", 4, "--------", "pc = {hl}", fields={"hl": ("HL",)},
         ends_block=True),
    Form("LD SP,{hl}", "11111001", 6, "--------", "sp = {hl}", fields={"hl": ("HL",)}),
    Form("JP {c},nn", "11ccc010", 10, "--------",
         lambda c: f"wz = NN\nif {COND[c]}:\n    pc = NN", fields={"c": CC}, ends_block=True),
    Form("JP nn", "11000011", 10, "--------", "pc = NN\nwz = NN", ends_block=True),
    Form("OUT (n),A", "11010011", 11, "--------",
         "OUT(a << 8 | N, a)\nwz = a << 8 | ((N + 1) & 0xFF)", ends_block=True),
    Form("IN A,(n)", "11011011", 11, "--------",
         "v = a << 8 | N\nwz = (v + 1) & 0xFFFF\na = IN(v)", ends_block=True),
    Form("EX (SP),{hl}", "11100011", 19, "--------",
         "v = RD(sp)\nw = (sp + 1) & 0xFFFF\nv |= RD(w) << 8\nx = {hl}\n"
         "WR(w, x >> 8)\nWR(sp, x & 0xFF)\nwz = v\n{hl} := v", fields={"hl": ("HL",)}),
    Form("EX DE,HL", "11101011", 4, "--------", "v = d\nd = h\nh = v\nv = e\ne = l\nl = v"),
    Form("DI", "11110011", 4, "--------", "cpu.iff1 = cpu.iff2 = 0", ends_block=True),
    Form("EI", "11111011", 4, "--------", "cpu.iff1 = cpu.iff2 = 1\ncpu.ei_at = T_END",
         ends_block=True),
    Form("CALL {c},nn", "11ccc100", (17, 10), "--------",
         lambda c: f"wz = NN\nif {COND[c]}:\n"
         + "\n".join("    " + s for s in _push("pc").split("\n"))
         + "\n    pc = NN\n    t += TAKEN", fields={"c": CC}, ends_block=True),
    Form("PUSH {p}", "11pp0101", 11, "--------", "v = {p}\n" + _push("v"), fields={"p": RP2}),
    Form("CALL nn", "11001101", 17, "--------", _push("pc") + "\npc = NN\nwz = NN",
         ends_block=True),
    Form("RST {p}", "11ppp111", 11, "--------",
         lambda p: _push("pc") + f"\npc = 0x{p[:2]}\nwz = pc", fields={"p": RST}, ends_block=True),
]

# The ALU rows of x=2 and x=3/z=6 share the table ALU; their text and flags are per operation.
MAIN += [
    Form(ALU[o][0] + "{r}", f"10{o:03b}rrr", _r_time(4, 7), ALU[o][2], "v = {r}\n" + ALU[o][1],
         fields={"r": R8})
    for o in range(8)
]
MAIN += [
    Form(ALU[o][0] + "n", f"11{o:03b}110", 7, ALU[o][2], "v = N\n" + ALU[o][1]) for o in range(8)
]


CB = [
    Form(f"{name} {{r}}", f"00{o:03b}rrr", _r_time(8, 15), "***0*P0*",
         "v = {r}\n" + code + "\n{r} := res", fields={"r": R8}, page="CB",
         documented=name != "SLL")
    for o, (name, code) in enumerate(ROT)
] + [
    Form("BIT {b},{r}", "01bbbrrr", _r_time(8, 12), "***1*P0-",
         lambda b, r: f"v = {{r}}\nf = (f & 1) | 0x10 | (SZ53P[v & {1 << int(b)}] & 0xC4) | "
         + ("((wz >> 8) & 0x28)" if _mem(r) else "(v & 0x28)"),
         fields={"b": BITS, "r": R8}, page="CB"),
    Form("RES {b},{r}", "10bbbrrr", _r_time(8, 15), "--------",
         lambda b, r: f"v = {{r}}\nres = v & {0xFF ^ (1 << int(b))}\n{{r}} := res",
         fields={"b": BITS, "r": R8}, page="CB"),
    Form("SET {b},{r}", "11bbbrrr", _r_time(8, 15), "--------",
         lambda b, r: f"v = {{r}}\nres = v | {1 << int(b)}\n{{r}} := res",
         fields={"b": BITS, "r": R8}, page="CB"),
]


def _inout_flags(inc: bool, is_in: bool, repeat: bool) -> str:
    """INI/IND/OUTI/OUTD and their repeats (flags after Sean Young and the 2022 findings)."""
    step = "1" if inc else "-1"
    if is_in:
        body = (f"x = b << 8 | c\nwz = (x {'+' if inc else '-'} 1) & 0xFFFF\nv = IN(x)\n"
                f"ea = h << 8 | l\nWR(ea, v)\nb = (b - 1) & 0xFF\n"
                f"ea = (ea + {step}) & 0xFFFF\nh = ea >> 8\nl = ea & 0xFF\n"
                f"k = v + ((c + {step}) & 0xFF)\n")
    else:
        body = (f"ea = h << 8 | l\nv = RD(ea)\nb = (b - 1) & 0xFF\nx = b << 8 | c\n"
                f"wz = (x {'+' if inc else '-'} 1) & 0xFFFF\nOUT(x, v)\n"
                f"ea = (ea + {step}) & 0xFFFF\nh = ea >> 8\nl = ea & 0xFF\nk = v + l\n")
    body += ("f = SZ53[b] | PARITY[(k & 7) ^ b] | (v & 0x80) >> 6\n"
             "if k > 0xFF:\n    f |= 0x11")
    if repeat:
        body += ("\nif b:\n    pc = START\n    wz = (START + 1) & 0xFFFF\n    t += TAKEN\n"
                 "    f = (f & 0xD7) | ((START >> 8) & 0x28)\n"
                 "    if f & 0x01:\n"
                 "        f &= 0xEF\n"
                 "        if v & 0x80:\n"
                 "            f ^= PARITY[(b - 1) & 7] ^ 0x04\n"
                 "            if b & 0x0F == 0x00:\n                f |= 0x10\n"
                 "        else:\n"
                 "            f ^= PARITY[(b + 1) & 7] ^ 0x04\n"
                 "            if b & 0x0F == 0x0F:\n                f |= 0x10\n"
                 "    else:\n"
                 "        f ^= PARITY[b & 7] ^ 0x04")
    return body


def _ld_block(inc: bool, repeat: bool) -> str:
    step = "1" if inc else "-1"
    s = (f"ea = h << 8 | l\nv = RD(ea)\nx = d << 8 | e\nWR(x, v)\n"
         f"ea = (ea + {step}) & 0xFFFF\nh = ea >> 8\nl = ea & 0xFF\n"
         f"x = (x + {step}) & 0xFFFF\nd = x >> 8\ne = x & 0xFF\n"
         "x = ((b << 8 | c) - 1) & 0xFFFF\nb = x >> 8\nc = x & 0xFF\n"
         "k = v + a\nf = (f & 0xC1) | (k & 0x08) | ((k & 0x02) << 4)\nif x:\n    f |= 0x04")
    if repeat:
        s += ("\n    pc = START\n    wz = (START + 1) & 0xFFFF\n    t += TAKEN\n"
              "    f = (f & 0xD7) | ((START >> 8) & 0x28)")
    return s


def _cp_block(inc: bool, repeat: bool) -> str:
    step = "1" if inc else "-1"
    s = (f"ea = h << 8 | l\nv = RD(ea)\nres = (a - v) & 0xFF\n"
         f"ea = (ea + {step}) & 0xFFFF\nh = ea >> 8\nl = ea & 0xFF\n"
         "x = ((b << 8 | c) - 1) & 0xFFFF\nb = x >> 8\nc = x & 0xFF\n"
         "hf = (a ^ v ^ res) & 0x10\nk = res - (hf >> 4)\n"
         f"wz = (wz + {step}) & 0xFFFF\n"
         "f = (f & 0x01) | (SZ53[res] & 0xC0) | hf | 0x02 | (k & 0x08) | ((k & 0x02) << 4)\n"
         "if x:\n    f |= 0x04")
    if repeat:
        s += ("\n    if res:\n        pc = START\n        wz = (START + 1) & 0xFFFF\n"
              "        t += TAKEN\n        f = (f & 0xD7) | ((START >> 8) & 0x28)")
    return s


Y = BITS  # the y field (bits 5-3) where the operand table is just its number

ED = [
    Form("IN {r},(C)", "01rrr000", 12, "***0*P0-",
         lambda r: "x = b << 8 | c\nwz = (x + 1) & 0xFFFF\nv = IN(x)\n"
         + ("" if r == "F" else "{r} := v\n") + "f = (f & 1) | SZ53P[v]",
         fields={"r": ("B", "C", "D", "E", "H", "L", "F", "A")}, page="ED",
         documented=lambda r: r != "F", ends_block=True),
    Form("OUT (C),{r}", "01rrr001", 12, "--------",
         lambda r: "x = b << 8 | c\nOUT(x, " + ("0" if r == "0" else "{r}")
         + ")\nwz = (x + 1) & 0xFFFF",
         fields={"r": ("B", "C", "D", "E", "H", "L", "0", "A")}, page="ED",
         documented=lambda r: r != "0", ends_block=True),
    Form("SBC HL,{p}", "01pp0010", 15, "*****V1*",
         "x = h << 8 | l\ny = {p}\nres = x - y - (f & 1)\nwz = (x + 1) & 0xFFFF\n"
         "cy = 1 if res < 0 else 0\nres &= 0xFFFF\n"
         "f = ((res >> 8) & 0xA8) | cy | 0x02 | (((x ^ y ^ res) >> 8) & 0x10) | "
         "(((x ^ y) & (x ^ res) & 0x8000) >> 13)\nif not res:\n    f |= 0x40\n"
         "h = res >> 8\nl = res & 0xFF", fields={"p": RP}, page="ED"),
    Form("ADC HL,{p}", "01pp1010", 15, "*****V0*",
         "x = h << 8 | l\ny = {p}\nres = x + y + (f & 1)\nwz = (x + 1) & 0xFFFF\n"
         "f = ((res >> 8) & 0xA8) | res >> 16 | (((x ^ y ^ res) >> 8) & 0x10) | "
         "(((x ^ res) & (y ^ res) & 0x8000) >> 13)\nres &= 0xFFFF\nif not res:\n    f |= 0x40\n"
         "h = res >> 8\nl = res & 0xFF", fields={"p": RP}, page="ED"),
    Form("LD (nn),{p}", "01pp0011", 20, "--------",
         "v = {p}\nWR(NN, v & 0xFF)\nwz = (NN + 1) & 0xFFFF\nWR(wz, v >> 8)",
         fields={"p": RP}, page="ED", canonical=lambda p: p != "HL",
         note=lambda p: "ED form of 22 nn" if p == "HL" else ""),
    Form("LD {p},(nn)", "01pp1011", 20, "--------",
         "wz = (NN + 1) & 0xFFFF\nv = RD(NN) | RD(wz) << 8\n{p} := v",
         fields={"p": RP}, page="ED", canonical=lambda p: p != "HL",
         note=lambda p: "ED form of 2A nn" if p == "HL" else ""),
    Form("NEG", "01yyy100", 8, "*****V1*", "v = a\na = (-v) & 0xFF\nf = SUBF[v]",
         fields={"y": Y}, page="ED", documented=lambda y: y == "0",
         canonical=lambda y: y == "0", note=lambda y: "" if y == "0" else "mirror of ED 44"),
    Form("RETN", "01yyy101", 14, "--------", RET + "\ncpu.iff1 = cpu.iff2",
         fields={"y": Y}, page="ED", skip=lambda y: y == "1",
         documented=lambda y: y == "0", canonical=lambda y: y == "0",
         note=lambda y: "" if y == "0" else "mirror of ED 45", ends_block=True),
    Form("RETI", "01001101", 14, "--------", RET + "\ncpu.iff1 = cpu.iff2", page="ED",
         ends_block=True),
] + [
    Form(f"IM {m}", f"01{y:03b}110", 8, "--------", f"cpu.im = {m}", page="ED",
         documented=y in (0, 2, 3), canonical=y in (0, 2, 3),
         note="" if y in (0, 2, 3) else ("IM 0/1: acts as IM 0" if y in (1, 5)
                                          else f"mirror of IM {m}"))
    for y, m in enumerate((0, 0, 1, 2, 0, 0, 1, 2))
] + [
    Form("LD I,A", "01000111", 9, "--------", "cpu.i = a", page="ED"),
    Form("LD R,A", "01001111", 9, "--------", "RSET(a)", page="ED"),
    Form("LD A,I", "01010111", 9, "***0*-0-",
         "a = cpu.i\nf = (f & 1) | SZ53[a] | cpu.iff2 << 2\ncpu.ldair_at = T_END", page="ED"),
    Form("LD A,R", "01011111", 9, "***0*-0-",
         "a = RNOW\nf = (f & 1) | SZ53[a] | cpu.iff2 << 2\ncpu.ldair_at = T_END", page="ED"),
    Form("RRD", "01100111", 18, "***0*P0-",
         "ea = h << 8 | l\nv = RD(ea)\nWR(ea, ((a << 4) | (v >> 4)) & 0xFF)\n"
         "a = (a & 0xF0) | (v & 0x0F)\nf = (f & 1) | SZ53P[a]\nwz = (ea + 1) & 0xFFFF",
         page="ED"),
    Form("RLD", "01101111", 18, "***0*P0-",
         "ea = h << 8 | l\nv = RD(ea)\nWR(ea, ((v << 4) | (a & 0x0F)) & 0xFF)\n"
         "a = (a & 0xF0) | (v >> 4)\nf = (f & 1) | SZ53P[a]\nwz = (ea + 1) & 0xFFFF",
         page="ED"),
    Form("LDI", "10100000", 16, "--*0**0-", _ld_block(True, False), page="ED"),
    Form("LDD", "10101000", 16, "--*0**0-", _ld_block(False, False), page="ED"),
    Form("LDIR", "10110000", (21, 16), "--*0*00-", _ld_block(True, True), page="ED",
         ends_block=True),
    Form("LDDR", "10111000", (21, 16), "--*0*00-", _ld_block(False, True), page="ED",
         ends_block=True),
    Form("CPI", "10100001", 16, "*******-", _cp_block(True, False), page="ED"),
    Form("CPD", "10101001", 16, "*******-", _cp_block(False, False), page="ED"),
    Form("CPIR", "10110001", (21, 16), "*******-", _cp_block(True, True), page="ED",
         ends_block=True),
    Form("CPDR", "10111001", (21, 16), "*******-", _cp_block(False, True), page="ED",
         ends_block=True),
    Form("INI", "10100010", 16, "********", _inout_flags(True, True, False), page="ED",
         ends_block=True),
    Form("IND", "10101010", 16, "********", _inout_flags(False, True, False), page="ED",
         ends_block=True),
    Form("INIR", "10110010", (21, 16), "********", _inout_flags(True, True, True), page="ED",
         ends_block=True),
    Form("INDR", "10111010", (21, 16), "********", _inout_flags(False, True, True), page="ED",
         ends_block=True),
    Form("OUTI", "10100011", 16, "********", _inout_flags(True, False, False), page="ED",
         ends_block=True),
    Form("OUTD", "10101011", 16, "********", _inout_flags(False, False, False), page="ED",
         ends_block=True),
    Form("OTIR", "10110011", (21, 16), "********", _inout_flags(True, False, True), page="ED",
         ends_block=True),
    Form("OTDR", "10111011", (21, 16), "********", _inout_flags(False, False, True), page="ED",
         ends_block=True),
]

# ED opcodes that no form claims are "holes": the CPU fetches them and does nothing
# for 8 T-states.  They are generated by the expansion, not written here.
ED_HOLE = Form("NOP", "", 8, "--------", "", page="ED", documented=False, canonical=False,
               note="ED hole: an 8 T-state NOP")

FORMS = MAIN + CB + ED
