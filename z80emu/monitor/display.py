"""What the monitor prints: disassembly lines with bytes and T-states, the register
display, hex and ASCII dumps. Hex is uppercase; instruction text comes from
``z80emu.disasm`` (and so from the one instruction table in ``z80emu.isa``).

>>> from z80emu.cpu import Z80
>>> cpu = Z80()
>>> cpu.memory[0x7F00:0x7F05] = bytes.fromhex("3E 41 32 00 3C")
>>> print(instruction_line(cpu.memory, 0x7F00)[1])
7F00  3E 41          LD A,41H                  7
>>> print(dump_lines(cpu.memory[0x7F00:0x7F10], 0x7F00)[0])
7F00  3E 41 32 00 3C 00 00 00  00 00 00 00 00 00 00 00  >A2.<...........
"""

from __future__ import annotations

from z80emu.disasm import field_values, instruction_text
from z80emu.isa import Encoding, decode

FLAG_LETTERS = "SZ5H3PNC"  # F bits 7..0: sign, zero, bit 5, half carry, bit 3, P/V, N, carry
FLAG_BITS = {"S": 0x80, "Z": 0x40, "Y": 0x20, "5": 0x20, "H": 0x10, "X": 0x08, "3": 0x08,
             "P": 0x04, "V": 0x04, "P/V": 0x04, "PV": 0x04, "N": 0x02, "C": 0x01}
CLOCK_HZ = 1_774_080  # the Model I clock, 1.77408 MHz (TRS80-REFERENCE.md §11)


def flags_text(f: int) -> str:
    """'-Z---P--': a letter for each flag set, '-' for each reset."""
    return "".join(ch if f & (0x80 >> i) else "-" for i, ch in enumerate(FLAG_LETTERS))


def decode_at(memory, addr: int) -> tuple[Encoding, bytes]:
    """The instruction at ``addr`` (wrapping past FFFFh) and its bytes."""
    window = bytes(memory[(addr + i) & 0xFFFF] for i in range(4))
    enc = decode(window)
    return enc, window[:enc.length]


def instruction_text_at(memory, addr: int, labels: dict[int, str] | None = None) -> str:
    enc, data = decode_at(memory, addr)
    text = instruction_text(enc, field_values(enc, data, addr), labels)
    if not enc.canonical and enc.note:
        text += f"  ; {enc.note}"
    elif not enc.documented:
        text += "  ; undocumented"
    return text


def instruction_line(memory, addr: int, labels: dict[int, str] | None = None,
                     tstates: int | None = None) -> tuple[int, str]:
    """(length, '7F00  3E 41          LD A,41H                 7'): address, bytes,
    instruction and T-states (``tstates`` given: the T-states it actually took)."""
    enc, data = decode_at(memory, addr)
    text = instruction_text_at(memory, addr, labels)
    timing = str(tstates) if tstates is not None else "/".join(str(t) for t in enc.tstates)
    return enc.length, format_line(addr, data, text, timing)


def format_line(addr: int, data: bytes, text: str, timing: str) -> str:
    extra = ""
    if len(text) > 24 and ";" in text:
        text, note = text.split(";", 1)
        text, extra = text.rstrip(), "  ;" + note
    return f"{addr:04X}  {data.hex(' ').upper():<13}  {text:<24}{timing:>3}{extra}".rstrip()


REGS_HEAD = " PC   SP   AF   BC   DE   HL   IX   IY   AF'  BC'  DE'  HL'  I  R  IM IFF SZ5H3PNC"


def regs_line(cpu) -> str:
    """The values under :data:`REGS_HEAD`."""
    return (f"{cpu.pc:04X} {cpu.sp:04X} {cpu.af:04X} {cpu.bc:04X} {cpu.de:04X} {cpu.hl:04X} "
            f"{cpu.ix:04X} {cpu.iy:04X} {cpu.af_:04X} {cpu.bc_:04X} {cpu.de_:04X} "
            f"{cpu.hl_:04X} {cpu.i:02X} {cpu.r:02X}  {cpu.im}  {cpu.iff1}  "
            f"{flags_text(cpu.f)}" + ("  HALTED" if cpu.halted else ""))


def trace_regs(cpu) -> str:
    """The short register list printed after each traced instruction."""
    return (f"A={cpu.a:02X} F={flags_text(cpu.f)} BC={cpu.bc:04X} DE={cpu.de:04X} "
            f"HL={cpu.hl:04X} IX={cpu.ix:04X} IY={cpu.iy:04X} SP={cpu.sp:04X}")


def dump_lines(data: bytes, start: int) -> list[str]:
    """``data`` (read from ``start``) in hex and ASCII, 16 bytes a line."""
    lines = []
    for offset in range(0, len(data), 16):
        addr = start + offset
        chunk = data[offset:offset + 16]
        n = len(chunk)
        cells = [f"{b:02X}" for b in chunk] + ["  "] * (16 - n)
        hexes = " ".join(cells[:8]) + "  " + " ".join(cells[8:])
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        lines.append(f"{addr & 0xFFFF:04X}  {hexes}  {text}".rstrip())
    return lines


def microseconds(tstates: int) -> str:
    """T-states as time on a Model I: '24.80 µs', '1.234 ms', '2.500 s'."""
    seconds = tstates / CLOCK_HZ
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} \u00b5s"
    if seconds < 1:
        return f"{seconds * 1e3:.3f} ms"
    return f"{seconds:.3f} s"
