"""The monitor's command shell: a ``cmd.Cmd`` with one ``do_`` method per command,
short aliases, and help with an example for every command. See the package
docstring (``z80emu.monitor``) for how to embed it and ``docs/monitor.md`` for a
tour.
"""

from __future__ import annotations

import cmd
import os
import sys
import traceback
from collections import deque
from typing import TextIO

from z80emu.cpu import Z80

from .display import (
    FLAG_BITS,
    REGS_HEAD,
    decode_at,
    dump_lines,
    format_line,
    instruction_line,
    instruction_text_at,
    microseconds,
    regs_line,
    trace_regs,
)
from .runner import WATCH_KINDS, Engine, Stop
from .target import ABSENT, REGISTERS, UNMAPPED, VIDEO, WRITABLE, Target, make_target
from .values import (
    MonitorError,
    Symbols,
    hex_source,
    parse_bytes,
    parse_value,
    read_symbols,
    split_words,
)

# alias -> command
ALIASES = {
    "a": "asm", "d": "dis", "m": "mem", "r": "regs", "z": "step", "s": "step",
    "n": "next", "t": "trace", "g": "go", "j": "jump", "u": "until", "b": "break",
    "w": "watch", "del": "delete", "f": "fill", "l": "load", "sym": "symbols",
    "q": "quit", "exit": "quit", "x": "quit", "?": "help", "h": "help",
    ">": "poke", "mv": "move",
}
# Commands that an empty line repeats (the ones that walk on through memory or code).
REPEATABLE = {"step", "next", "trace", "dis", "mem"}
# Groups for the help overview.
GROUPS = [
    ("Memory", ["poke", "peek", "mem", "fill", "move", "find"]),
    ("Code", ["asm", "dis", "ref", "symbols"]),
    ("Registers and running", ["regs", "step", "next", "trace", "go", "jump", "until",
                               "time", "reset"]),
    ("Breakpoints and watchpoints", ["break", "watch", "delete"]),
    ("Files", ["load", "save", "basic"]),
    ("Machine", ["screen", "quit"]),
]
R8 = ("A", "F", "B", "C", "D", "E", "H", "L", "I", "R")
R16 = {"AF": "af", "BC": "bc", "DE": "de", "HL": "hl", "IX": "ix", "IY": "iy", "SP": "sp",
       "PC": "pc", "AF'": "af_", "BC'": "bc_", "DE'": "de_", "HL'": "hl_"}
HALVES = {"IXH": ("ix", 8), "IXL": ("ix", 0), "IYH": ("iy", 8), "IYL": ("iy", 0)}
DEFAULT_DIS = 16
DEFAULT_MEM = 64


class Monitor(cmd.Cmd):
    """The hand-assembly monitor for a bare Z80 or a TRS-80 (see ``z80emu.monitor``)."""

    def __init__(self, machine: Z80 | Target | object | None = None,
                 stdin: TextIO | None = None, stdout: TextIO | None = None, *,
                 embedded: bool = False, echo: bool | None = None,
                 run_limit: float | None = None) -> None:
        super().__init__(stdin=stdin, stdout=stdout)
        self.target = make_target(machine)
        self.cpu = self.target.cpu
        self.engine = Engine(self.target)
        self.symbols = Symbols()
        self.embedded = embedded
        if stdin is not None:
            self.use_rawinput = False
        self.echo = (echo if echo is not None
                     else stdin is not None and not _isatty(stdin))
        self.run_limit = run_limit  # emulated seconds a run may take at most (None: no limit)
        self.failures = 0
        self.repeat_empty = True  # an empty line repeats step/next/trace/dis/mem (not in scripts)
        self.result: str | None = None  # 'go' or 'quit' when cmdloop returns
        self.prompt = "trs80> " if hasattr(self.target, "machine") else "z80> "
        self._dis_next: int | None = None
        self._mem_next: int | None = None
        self._asm_next: int | None = None
        self._pending_return: tuple[int, int] | None = None  # embedded 'go ADDR'
        self._pending_stop: Stop | None = None
        # the routine a 'go ADDR' or 'time ADDR' called, while it has not returned:
        # ((return PC, SP), ADDR)
        self._call: tuple[tuple[int, int], int] | None = None

    # -- the loop --------------------------------------------------------------------------
    def out(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def error(self, message: str) -> None:
        """Report a command that failed (and count it, for ``-c`` scripts)."""
        self.failures += 1
        self.out(f"error: {message}")

    def preloop(self) -> None:
        self.result = None
        if self._pending_stop is not None:
            self._report_stop(self._pending_stop)
            self._pending_stop = None

    def precmd(self, line: str) -> str:
        if line == "EOF":
            return line
        if self.echo:
            self.stdout.write(line.rstrip("\n") + "\n")
        stripped = line.strip()
        if stripped.startswith((";", "#")):
            return stripped  # a comment: onecmd skips it
        word, _, rest = stripped.partition(" ")
        if word.lower() in ALIASES:
            return ALIASES[word.lower()] + (" " + rest if rest else "")
        return stripped if word.islower() else word.lower() + (" " + rest if rest else "")

    def onecmd(self, line: str) -> bool:
        if line.startswith((";", "#")):
            return False
        try:
            return bool(super().onecmd(line))
        except MonitorError as e:
            self.error(str(e))
        except KeyboardInterrupt:
            self.error("interrupted")
        except Exception as e:  # a bug in the monitor must not lose the session
            self.error(f"internal error: {type(e).__name__}: {e}")
            traceback.print_exc(file=sys.stderr)
        return False

    def emptyline(self) -> bool:
        if not self.repeat_empty:
            return False
        word = self.lastcmd.split(" ", 1)[0] if self.lastcmd else ""
        if word in REPEATABLE:
            return self.onecmd(word if word in ("dis", "mem") else self.lastcmd)
        return False

    def default(self, line: str) -> bool:
        if line == "EOF":
            self.out()
            return self.do_quit("")
        self.error(f"unknown command '{line.split()[0]}' (type help for the list)")
        return False

    def cmdloop(self, intro: str | None = None) -> None:
        """Read and run commands until ``go`` (embedded) or ``quit``; Ctrl-C at the
        prompt cancels the line."""
        while True:
            try:
                super().cmdloop(intro)
                return
            except KeyboardInterrupt:
                self.out("^C")
                intro = ""

    def _input(self, prompt: str) -> str | None:
        """A line for a command that reads more input (asm); None at end of input."""
        if self.use_rawinput:
            try:
                return input(prompt)
            except EOFError:
                return None
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            return None
        line = line.rstrip("\r\n")
        if self.echo:
            self.stdout.write(line + "\n")
        return line

    # -- values ----------------------------------------------------------------
    def _addr(self, text: str) -> int:
        return parse_value(text, self.symbols)

    def _number(self, text: str, what: str, limit: int = 0xFFFF) -> int:
        return parse_value(text, self.symbols, limit, what)

    def _range(self, start_text: str, end_text: str) -> tuple[int, int]:
        start, end = self._addr(start_text), self._addr(end_text)
        if end < start:
            raise MonitorError(f"the range ends ({end:04X}h) before it starts ({start:04X}h)")
        return start, end

    def _check_write(self, addr: int, length: int) -> None:
        """Refuse (before anything is written) a write that the memory would not keep."""
        if addr + length - 1 > 0xFFFF:
            raise MonitorError(f"{length} bytes from {addr:04X}h run past FFFFh: "
                               f"nothing written")
        for a in range(addr, addr + length):
            if self.target.region(a) not in WRITABLE:
                raise MonitorError(self.target.why_not_writable(a) + ": nothing written")

    def _write(self, addr: int, data: bytes) -> None:
        self._check_write(addr, len(data))
        self.target.write(addr, data)

    def _labels(self) -> dict[int, str]:
        return self.symbols.labels()

    # -- memory ----------------------------------------------------------------
    def do_poke(self, arg: str) -> None:
        """poke ADDR BYTES...   store bytes, and show what landed  (alias >)

        Bytes are hex pairs as printed in a magazine (3E 41 or 3E41), #decimal,
        'c' for a character or "text". Nothing is written if any byte is bad or
        would land where memory keeps nothing (ROM, absent RAM).
          poke 7F00 3E 41 32 00 3C C9
          poke 3C00 "HELLO"
        """
        words = split_words(arg)
        if len(words) < 2:
            raise MonitorError("usage: poke ADDR BYTES...  (e.g. poke 7F00 3E 41 C9)")
        addr = self._addr(words[0])
        data = parse_bytes(words[1:])
        self._write(addr, data)
        landed = self.target.read(addr, len(data))
        for i in range(0, len(data), 16):
            chunk = landed[i:i + 16]
            self.out(f"{addr + i:04X}: {chunk.hex(' ').upper()}")
        self._note_landing(addr, data, landed)

    def _note_landing(self, addr: int, data: bytes, landed: bytes) -> None:
        for i, (want, got) in enumerate(zip(data, landed)):
            a = addr + i
            region = self.target.region(a)
            if region == REGISTERS:
                self.out(f"note: {a:04X}h is an Expansion Interface register: the byte went "
                         f"to the device, memory shows {got:02X}h")
                return
            if want != got and region == VIDEO:
                self.out(f"note: {a:04X}h kept {got:02X}h of {want:02X}h: a stock Model I "
                         f"stores no bit 6 in video RAM")
                return

    def do_peek(self, arg: str) -> None:
        """peek ADDR [LEN]   show a byte (hex, decimal, character), or LEN bytes as a dump

          peek 7F00
          peek 7F00 6
        """
        words = split_words(arg)
        if not 1 <= len(words) <= 2:
            raise MonitorError("usage: peek ADDR [LEN]  (e.g. peek 7F00 6)")
        addr = self._addr(words[0])
        if len(words) == 1:
            value = self.target.read(addr, 1)[0]
            char = f"  '{chr(value)}'" if 0x20 <= value < 0x7F else ""
            self.out(f"{addr:04X}: {value:02X}  #{value}{char}")
            self._note_unmapped(addr, 1)
            return
        length = self._number(words[1], "length", 0x10000)
        self._dump(addr, length)

    def do_mem(self, arg: str) -> None:
        """mem [ADDR[:END]] [LEN]   hex and ASCII dump (alias m); goes on where it stopped

          mem 7F00
          mem 3C00:3C3F
          mem 4000 #256
        """
        words = split_words(arg)
        if len(words) > 2:
            raise MonitorError("usage: mem [ADDR[:END]] [LEN]")
        length = DEFAULT_MEM
        if words and ":" in words[0]:
            lo, hi = words[0].split(":", 1)
            addr, end = self._range(lo, hi)
            length = end - addr + 1
        elif words:
            addr = self._addr(words[0])
        else:
            addr = self._mem_next if self._mem_next is not None else self.cpu.pc
        if len(words) == 2:
            length = self._number(words[1], "length", 0x10000)
        self._dump(addr, length)

    def _dump(self, addr: int, length: int) -> None:
        if length < 1:
            raise MonitorError("nothing to show: the length is 0")
        if addr + length - 1 > 0xFFFF:
            raise MonitorError(f"{length} bytes from {addr:04X}h run past FFFFh")
        for line in dump_lines(self.target.read(addr, length), addr):
            self.out(line)
        self._mem_next = (addr + length) & 0xFFFF
        self._note_unmapped(addr, length)

    def _note_unmapped(self, addr: int, length: int) -> None:
        regions = {self.target.region(a) for a in range(addr, min(addr + length, 0x10000))}
        for region in (ABSENT, UNMAPPED):
            if region in regions:
                self.out(f"note: part of this is {region}, which reads FFh")

    def do_fill(self, arg: str) -> None:
        """fill START END BYTES...   fill memory with a byte or a repeated pattern (alias f)

          fill 7F00 7FFF 00
          fill 3C00 3FFF 20          (spaces on the TRS-80 screen)
        """
        words = split_words(arg)
        if len(words) < 3:
            raise MonitorError("usage: fill START END BYTES...  (e.g. fill 7F00 7FFF 00)")
        start, end = self._range(words[0], words[1])
        pattern = parse_bytes(words[2:])
        if not pattern:
            raise MonitorError("give the byte(s) to fill with")
        length = end - start + 1
        data = (pattern * (length // len(pattern) + 1))[:length]
        self._write(start, data)
        self.out(f"filled {start:04X}h-{end:04X}h ({length} bytes) with "
                 f"{pattern.hex(' ').upper()}")

    def do_move(self, arg: str) -> None:
        """move START END DEST   copy a block of memory (overlap is fine) (alias mv)

          move 7F00 7F05 8000
        """
        words = split_words(arg)
        if len(words) != 3:
            raise MonitorError("usage: move START END DEST  (e.g. move 7F00 7F05 8000)")
        start, end = self._range(words[0], words[1])
        dest = self._addr(words[2])
        data = self.target.read(start, end - start + 1)
        self._write(dest, data)
        self.out(f"moved {start:04X}h-{end:04X}h to {dest:04X}h-{dest + len(data) - 1:04X}h")

    def do_find(self, arg: str) -> None:
        """find START END BYTES...|"text"   list where the bytes occur

          find 0000 2FFF CD 33 00
          find 0000 FFFF "READY"
        """
        words = split_words(arg)
        if len(words) < 3:
            raise MonitorError('usage: find START END BYTES...|"text"')
        start, end = self._range(words[0], words[1])
        needle = parse_bytes(words[2:])
        hay = self.target.read(start, end - start + 1)
        found, i = [], hay.find(needle)
        while i >= 0:
            found.append(start + i)
            i = hay.find(needle, i + 1)
        if not found:
            self.out("not found")
            return
        shown = " ".join(f"{a:04X}" for a in found[:32])
        more = f" ... and {len(found) - 32} more" if len(found) > 32 else ""
        self.out(f"found {len(found)}: {shown}{more}")

    # -- code ------------------------------------------------------------------
    def do_asm(self, arg: str) -> None:
        """asm [ADDR] [INSTRUCTION]   assemble line by line into memory (alias a)

        Each line is answered with its address, bytes and T-states, as a hand-
        assembler writes them in the margin. An empty line or '.' ends. Numbers
        are hex here too (LD A,41 loads 41h; #65 is decimal); 'label:' defines a
        symbol at the address. With an instruction after ADDR, assembles just it.
          asm 7F00
          7F00: LD A,'*'
          7F00  3E 2A          LD A,2AH                  7
          7F02: .
        """
        head, _, rest = arg.strip().partition(" ")
        if head:
            addr = self._addr(head)
        else:
            addr = self._asm_next if self._asm_next is not None else self.cpu.pc
        if rest.strip():
            self._asm_next = self._assemble_line(addr, rest.strip())
            return
        while True:
            line = self._input(f"{addr:04X}: ")
            if line is None or line.strip() in ("", "."):
                break
            try:
                addr = self._assemble_line(addr, line.strip())
            except MonitorError as e:
                self.error(str(e))
        self._asm_next = addr

    def _assemble_line(self, addr: int, line: str) -> int:
        from z80emu.asm import assemble

        source = hex_source(line, self.symbols)
        defines = {name: value for name, value in self.symbols.items()}
        result = assemble(f" ORG {addr}\n{source if ':' in source.split(';')[0] else ' ' + source}"
                          "\n", filename="<asm>", defines=defines)
        # a label typed again at a new place is moved there
        if not result.ok and "duplicate label" in result.errors[0].message:
            label = source.split(":", 1)[0].strip()
            defines = {n: v for n, v in defines.items() if n.upper() != label.upper()}
            result = assemble(f" ORG {addr}\n{source}\n", filename="<asm>", defines=defines)
        if not result.ok:
            message = result.errors[0].message
            raise MonitorError(f"{line}: {message}")
        data = b"".join(s.data for s in result.segments)
        if data:
            self._write(addr, data)
        for name, value in result.symbols.items():
            if defines.get(name) != value:
                self.symbols.add(name, value)
        found = result.instructions()
        if found:
            text = instruction_text_at(self.target.memory, addr, self._labels())
            timing = "/".join(str(t) for t in found[-1][2].tstates)
            self.out(format_line(addr, data, text, timing))
        elif data:
            self.out(format_line(addr, data[:4], line.split(";")[0].strip(), ""))
            for i in range(4, len(data), 4):
                self.out(f"{addr + i:04X}  {data[i:i + 4].hex(' ').upper()}")
        else:
            self.out(f"{addr:04X}  {'':13}  {line.strip()}")
        return (addr + len(data)) & 0xFFFF

    def do_dis(self, arg: str) -> None:
        """dis [ADDR] [COUNT]   disassemble with bytes and T-states (alias d)

        Without ADDR it goes on where it stopped (first time: at PC). Loaded
        symbols label the lines and name jump targets.
          dis 7F00
          dis 0000 #20
        """
        words = split_words(arg)
        if len(words) > 2:
            raise MonitorError("usage: dis [ADDR] [COUNT]")
        if words:
            addr = self._addr(words[0])
        else:
            addr = self._dis_next if self._dis_next is not None else self.cpu.pc
        count = self._number(words[1], "count", 0x10000) if len(words) == 2 else DEFAULT_DIS
        labels = self._labels()
        for _ in range(count):
            name = labels.get(addr)
            if name:
                self.out(f"{name}:")
            length, line = instruction_line(self.target.memory, addr, labels)
            self.out(line)
            addr = (addr + length) & 0xFFFF
        self._dis_next = addr

    def do_ref(self, arg: str) -> None:
        """ref MNEMONIC|HEX   look an instruction up: bytes, length, T-states, flags

          ref LD A,(HL)
          ref DJNZ e
          ref DD 7E 05
        """
        from z80emu.opref import RefError, card, lookup

        query = arg.strip()
        if not query:
            raise MonitorError("usage: ref MNEMONIC|HEX  (e.g. ref LD A,(HL) or ref 3E 41)")
        words = query.split()
        is_bytes = all(len(w) % 2 == 0 and all(c in "0123456789ABCDEFabcdef" for c in w)
                       for w in words)
        try:
            hits = lookup(query if is_bytes else hex_source(query, self.symbols), self.cpu.pc)
        except (RefError, ValueError) as e:
            raise MonitorError(str(e)) from None
        self.out("\n\n".join(card(h) for h in hits))

    def do_symbols(self, arg: str) -> None:
        """symbols [FILE|clear]   load labels, list them, or forget them (alias sym)

        FILE is what 'z80emu asm' writes with -s (symbol table) or -l (listing),
        or the assembly source itself. Symbols then stand for addresses
        (dis START, break LOOP+2) and label the disassembly.
          symbols hello.sym
          symbols
        """
        words = split_words(arg)
        if not words:
            if not len(self.symbols):
                self.out("no symbols (load some with: symbols FILE)")
            for name, value in self.symbols.items():
                self.out(f"{value:04X}  {name}")
            return
        if len(words) == 1 and words[0].lower() == "clear":
            self.symbols.clear()
            self.out("symbols cleared")
            return
        path = " ".join(words).strip('"')
        table = read_symbols(path)
        for name, value in table.items():
            self.symbols.add(name, value)
        self.out(f"{len(table)} symbols from {path}")

    # -- registers -------------------------------------------------------------
    def do_regs(self, arg: str) -> None:
        """regs [REG=VALUE ...]   show the registers, or set some (alias r)

        Registers: A F B C D E H L I R, AF BC DE HL IX IY SP PC, AF' BC' DE' HL',
        IXH IXL IYH IYL, IM (0-2), IFF (0/1). F takes a number or flag names:
        F=Z,C sets Z and C and resets the rest (S Z H P/V N C, and 5 3 for the
        undocumented bits); F=- resets all. Nothing changes if any item is bad.
          regs
          regs HL=4000 A=3E F=Z,C
          regs PC=7F00 SP=#32767
        """
        words = split_words(arg)
        changes: list[tuple[str, int]] = []
        for word in words:
            name, sep, value = word.partition("=")
            if not sep or not value:
                raise MonitorError(f"'{word}': write REG=VALUE, e.g. HL=4000")
            changes.append(self._register_change(name.upper(), value))
        for attr, value in changes:
            if attr.startswith("iff"):
                self.cpu.iff1 = self.cpu.iff2 = value
            elif attr in ("ixh", "ixl", "iyh", "iyl"):
                reg, shift = HALVES[attr.upper()]
                old = getattr(self.cpu, reg)
                setattr(self.cpu, reg, (old & ~(0xFF << shift)) | value << shift)
            else:
                setattr(self.cpu, attr, value)
            if attr == "pc" and self.cpu.halted:
                self.cpu.halted = 0
        self._show_regs()

    def _register_change(self, name: str, text: str) -> tuple[str, int]:
        if name == "F" and _is_flag_list(text):
            value = 0
            for flag in text.upper().replace(",", " ").split():
                if flag != "-":
                    value |= FLAG_BITS[flag]
            return "f", value
        if name in R8:
            return name.lower(), self._number(text, f"value for {name}", 0xFF)
        if name in R16:
            return R16[name], self._number(text, f"value for {name}")
        if name in HALVES:
            return name.lower(), self._number(text, f"value for {name}", 0xFF)
        if name == "IM":
            return "im", self._number(text, "interrupt mode", 2)
        if name in ("IFF", "IFF1", "IFF2"):
            return "iff", self._number(text, "IFF", 1)
        raise MonitorError(f"unknown register '{name}' (A F B C D E H L I R AF BC DE HL "
                           f"IX IY SP PC AF' BC' DE' HL' IXH IXL IYH IYL IM IFF)")

    def _show_regs(self) -> None:
        self.out(REGS_HEAD)
        self.out(regs_line(self.cpu))
        self.out(instruction_line(self.target.memory, self.cpu.pc, self._labels())[1])

    # -- running ---------------------------------------------------------------
    def _limit(self) -> int | None:
        from .display import CLOCK_HZ

        return None if self.run_limit is None else int(self.run_limit * CLOCK_HZ)

    def _check_runnable(self) -> None:
        no_run = self.target.no_run_map()
        pc = self.cpu.pc
        if no_run is not None and no_run[pc]:
            raise MonitorError(self.target.why_not_runnable(pc)
                               + ": not running (set PC with regs PC=ADDR)")

    def _report_stop(self, stop: Stop, show_regs: bool = True) -> None:
        if stop.kind != "steps":
            counted = (f" after {_plural(stop.instructions, 'instruction')}, "
                       f"{stop.tstates} T-states"
                       if stop.instructions else f" after {stop.tstates} T-states"
                       if stop.tstates else "")
            self.out(f"stopped: {stop.message}{counted}")
        if show_regs:
            self._show_regs()

    def _run(self, **kwargs) -> Stop:
        self._check_runnable()
        if "tstates" not in kwargs:
            kwargs["tstates"] = self._limit()
        return self.engine.run(**kwargs)

    def _tracer(self, with_regs: bool, lines: deque[str] | None = None):
        memory, cpu = self.target.memory, self.cpu
        labels = self._labels()

        def trace(pc: int, sp: int, t: int, code: bytes) -> None:
            if (cpu.pc in (0x38, 0x66) and cpu.sp == (sp - 2) & 0xFFFF and t in (11, 13)
                    and (memory[cpu.sp] | memory[(cpu.sp + 1) & 0xFFFF] << 8) == pc
                    and code[0] not in (0xFF, 0xCD) and code[0] & 0xC7 != 0xC4):
                what = "NMI" if cpu.pc == 0x66 else "interrupt"
                line = f"{pc:04X}  -- {what} accepted, to {cpu.pc:04X}h"
                line = f"{line:<47}{t:>3}"
            else:
                line = instruction_line(_Window(code, pc), pc, labels, t)[1]
            if with_regs:
                line = f"{line:<48} {trace_regs(cpu)}"
            if lines is None:
                self.out(line)
            else:
                lines.append(line)

        return trace

    def do_step(self, arg: str) -> None:
        """step [N]   run N instructions (default 1), showing each (aliases s, z)

        An empty line repeats it.
          step
          step 5
        """
        words = split_words(arg)
        n = self._number(words[0], "count", 1 << 30) if words else 1
        if n < 1:
            raise MonitorError("step needs a count of at least 1")
        lines: deque[str] = deque(maxlen=20)
        stop = self._run(steps=n, trace=self._tracer(False, lines))
        if stop.instructions > len(lines):
            self.out(f"({stop.instructions - len(lines)} instructions before these)")
        for line in lines:
            self.out(line)
        self._report_stop(stop)

    def do_next(self, arg: str) -> None:
        """next   step over a CALL or RST: run the subroutine, stop after it (alias n)

          next
        """
        pc = self.cpu.pc
        enc, data = decode_at(self.target.memory, pc)
        if enc.mnemonic in ("CALL", "RST"):
            stop = self._run(return_to=((pc + enc.length) & 0xFFFF, self.cpu.sp))
            if stop.kind == "return":
                line = format_line(pc, data, instruction_text_at(self.target.memory, pc,
                                                                 self._labels()),
                                   str(stop.tstates))
                self.out(line)
                self._show_regs()
                return
            self._report_stop(stop)
            return
        self.do_step("")

    def do_trace(self, arg: str) -> None:
        """trace [N]   run N instructions (default 16), a line each with the registers (alias t)

          trace 10
        """
        words = split_words(arg)
        n = self._number(words[0], "count", 1 << 30) if words else 16
        if n < 1:
            raise MonitorError("trace needs a count of at least 1")
        stop = self._run(steps=n, trace=self._tracer(True))
        self._report_stop(stop)

    def do_go(self, arg: str) -> bool:
        """go [ADDR]   run (alias g)

        go ADDR calls the routine at ADDR as a CALL would (the current PC is pushed
        as its return address) and stops when it returns. go alone continues
        from PC. Either stops at a breakpoint or watchpoint, on HALT (bare Z80),
        in unmapped memory, or on Ctrl-C. From a window's monitor hotkey, go
        resumes the window.
          go 7F00
          go
        """
        words = split_words(arg)
        if len(words) > 1:
            raise MonitorError("usage: go [ADDR]")
        return_to = None
        if words:
            addr = self._addr(words[0])
            return_to = self._push_return(addr)
            self._call = (return_to, addr)
        elif self._call is not None:  # a 'go ADDR' that stopped early: catch its return still
            return_to, addr = self._call
        if self.embedded:
            self._pending_return = return_to
            self.result = "go"
            return True
        stop = self._run(return_to=return_to) if return_to else self._run()
        if stop.kind == "return":
            self._call = None
            taken = (f" (with {_plural(stop.interrupts, 'interrupt')})"
                     if stop.interrupts else "")
            self.out(f"returned from {self._name(addr)} after "
                     f"{_plural(stop.instructions, 'instruction')}, {stop.tstates} T-states"
                     + taken)
            self._show_regs()
        else:
            self._report_stop(stop)
        return False

    def _push_return(self, addr: int) -> tuple[int, int]:
        """Call ``addr``: push PC (checking that the stack is writable); PC = addr."""
        cpu = self.cpu
        sp = cpu.sp
        for a in ((sp - 1) & 0xFFFF, (sp - 2) & 0xFFFF):
            if self.target.region(a) not in WRITABLE:
                raise MonitorError(f"SP {sp:04X}h: the return address cannot be pushed ("
                                   + self.target.why_not_writable(a)
                                   + "); set SP first, e.g. regs SP=7F00")
        no_run = self.target.no_run_map()
        if no_run is not None and no_run[addr]:
            raise MonitorError(self.target.why_not_runnable(addr) + ": not running")
        ret = (cpu.pc, sp)
        cpu.write((sp - 1) & 0xFFFF, cpu.pc >> 8)
        cpu.write((sp - 2) & 0xFFFF, cpu.pc & 0xFF)
        cpu.sp = (sp - 2) & 0xFFFF
        cpu.pc = addr
        cpu.halted = 0
        return ret

    def _name(self, addr: int) -> str:
        name = self.symbols.name_at(addr)
        return f"{addr:04X}h" + (f" ({name})" if name else "")

    def do_jump(self, arg: str) -> None:
        """jump ADDR   set PC to ADDR and run from there, pushing nothing (alias j)

        For programs that never return (a game's entry point).
          jump 5200
        """
        words = split_words(arg)
        if len(words) != 1:
            raise MonitorError("usage: jump ADDR")
        addr = self._addr(words[0])
        no_run = self.target.no_run_map()
        if no_run is not None and no_run[addr]:
            raise MonitorError(self.target.why_not_runnable(addr) + ": not running")
        self.cpu.pc = addr
        self.cpu.halted = 0
        self._call = None
        if self.embedded:
            self.result = "go"
            return True
        self._report_stop(self._run())
        return False

    def do_until(self, arg: str) -> None:
        """until ADDR   run until PC reaches ADDR (alias u)

          until 7F05
        """
        words = split_words(arg)
        if len(words) != 1:
            raise MonitorError("usage: until ADDR")
        self._report_stop(self._run(until=self._addr(words[0])))

    def do_time(self, arg: str) -> None:
        """time ADDR [END]   run a routine and report its T-states and time at 1.77408 MHz

        Without END the routine is called (as go ADDR does) and timed to its
        final RET, which is included; a CALL to it would add 17 T-states. With
        END it runs from ADDR until PC reaches END. The routine really runs:
        what it writes stays written.
          time 7F00
          time 7F00 7F05
        """
        words = split_words(arg)
        if not 1 <= len(words) <= 2:
            raise MonitorError("usage: time ADDR [END]")
        addr = self._addr(words[0])
        if len(words) == 2:
            end = self._addr(words[1])
            no_run = self.target.no_run_map()
            if no_run is not None and no_run[addr]:
                raise MonitorError(self.target.why_not_runnable(addr) + ": not running")
            self.cpu.pc = addr
            self.cpu.halted = 0
            stop = self._run(until=end)
            span, done = f"{addr:04X}h to {end:04X}h", stop.kind == "until"
            tail = ""
        else:
            return_to = self._push_return(addr)
            stop = self._run(return_to=return_to)
            self._call = None if stop.kind == "return" else (return_to, addr)
            span, done = f"{self._name(addr)} to its RET", stop.kind == "return"
            tail = "; a CALL to it adds 17"
        if not done:
            self._report_stop(stop)
            raise MonitorError("the routine did not finish, so it was not timed")
        if stop.interrupts:
            tail += (f"; {_plural(stop.interrupts, 'interrupt')} taken during it, "
                     f"handler included")
        self.out(f"{span}: {stop.tstates} T-states = {microseconds(stop.tstates)} at "
                 f"1.77408 MHz ({_plural(stop.instructions, 'instruction')}{tail})")

    def do_reset(self, arg: str) -> None:
        """reset   power on again: CPU reset (TRS-80: ROM restarted, RAM cleared)

          reset
        """
        self.target.reset()
        self._call = None
        self._show_regs()

    # -- breakpoints -----------------------------------------------------------
    def do_break(self, arg: str) -> None:
        """break [ADDR [COUNT]]   set a breakpoint, or list them all (alias b)

        With COUNT it stops on every COUNT-th time PC reaches ADDR. Remove with
        delete N.
          break 7F05
          break LOOP #10
          break
        """
        words = split_words(arg)
        if not words:
            self._list_stops()
            return
        if len(words) > 2:
            raise MonitorError("usage: break [ADDR [COUNT]]")
        addr = self._addr(words[0])
        count = self._count(words[1]) if len(words) == 2 else 1
        bp = self.engine.add_break(addr, count)
        self.out(bp.describe(self.symbols))

    def do_watch(self, arg: str) -> None:
        """watch [KIND WHERE [COUNT]]   stop when memory or a port is used, or list (alias w)

        KIND is r (reads), w (writes) or rw for memory, WHERE an address or
        START:END; in, out or io for I/O ports, WHERE a port (00-FF) or range.
        The instruction finishes, then the run stops with what it did.
          watch w 3C00:3FFF
          watch r 4020 2
          watch out FF
        """
        words = split_words(arg)
        if not words:
            self._list_stops()
            return
        kind = {"read": "r", "write": "w", "access": "rw", "port": "io"}.get(
            words[0].lower(), words[0].lower())
        if kind not in WATCH_KINDS or not 2 <= len(words) <= 3:
            raise MonitorError("usage: watch r|w|rw ADDR[:END] [COUNT]  or  "
                               "watch in|out|io PORT[:PORT] [COUNT]")
        limit = 0xFF if kind in ("in", "out", "io") else 0xFFFF
        what = "port" if limit == 0xFF else "address"
        lo_text, _, hi_text = words[1].partition(":")
        lo = self._number(lo_text, what, limit)
        hi = self._number(hi_text, what, limit) if hi_text else lo
        if hi < lo:
            raise MonitorError(f"the range ends before it starts: {words[1]}")
        count = self._count(words[2]) if len(words) == 3 else 1
        wp = self.engine.add_watch(kind, lo, hi, count)
        self.out(wp.describe())

    def _count(self, text: str) -> int:
        count = self._number(text, "count", 1 << 30)
        if count < 1:
            raise MonitorError("a hit count must be 1 or more")
        return count

    def _list_stops(self) -> None:
        items = sorted(self.engine.breakpoints + self.engine.watchpoints,
                       key=lambda i: i.number)
        if not items:
            self.out("no breakpoints or watchpoints")
        for item in items:
            self.out(item.describe(self.symbols))

    def do_delete(self, arg: str) -> None:
        """delete N|all   remove breakpoint or watchpoint #N, or all of them (alias del)

          delete 1
          delete all
        """
        words = split_words(arg)
        if len(words) != 1:
            raise MonitorError("usage: delete N|all")
        if words[0].lower() == "all":
            self.engine.clear()
            self.out("all breakpoints and watchpoints deleted")
            return
        text = words[0].lstrip("#")
        if not text.isdigit() or not self.engine.delete(int(text)):
            raise MonitorError(f"no breakpoint or watchpoint #{text} (break and watch "
                               f"list them)")
        self.out(f"deleted #{text}")

    # -- files -----------------------------------------------------------------
    def do_load(self, arg: str) -> None:
        """load FILE [ADDR]   load a program: .hex/.ihx, .cmd, SYSTEM .cas, or raw at ADDR (alias l)

        A file with an entry address sets PC to it. Nothing is loaded if any byte
        would land where memory keeps nothing.
          load hello.cmd
          load routine.bin 7F00
        """
        from z80emu.formats import FormatError, load_program

        words = split_words(arg)
        if not 1 <= len(words) <= 2:
            raise MonitorError("usage: load FILE [ADDR]")
        path = words[0].strip('"')
        raw = not path.lower().endswith((".hex", ".ihx", ".cmd", ".cas"))
        org = self._addr(words[1]) if len(words) == 2 else None
        if raw and org is None:
            raise MonitorError(f"{path}: a raw binary needs a load address: load {path} ADDR")
        try:
            program = load_program(path, org)
        except FormatError as e:
            raise MonitorError(str(e)) from None
        except OSError as e:
            raise MonitorError(f"{path}: cannot read: {e.strerror}") from None
        if not program.segments or not any(s.data for s in program.segments):
            raise MonitorError(f"{path}: no bytes to load")
        for seg in program.segments:
            self._check_write(seg.address, len(seg.data))
        for seg in program.segments:
            self.target.write(seg.address, seg.data)
            self.out(f"loaded {seg.address:04X}h-{seg.address + len(seg.data) - 1:04X}h "
                     f"({len(seg.data)} bytes)")
        if program.entry is not None and not raw:
            self.cpu.pc = program.entry
            self.cpu.halted = 0
            self.out(f"entry {program.entry:04X}h: PC set")

    def do_save(self, arg: str) -> None:
        """save FILE START END [ENTRY]   save memory: .hex, .cmd, .cas (SYSTEM tape) or raw

        The format follows the extension; ENTRY (default START) is the entry
        address of .hex/.cmd/.cas files.
          save hello.cmd 7F00 7F05
          save hello.cas 7F00 7F05 7F00
        """
        from z80emu.asm.output import write_atomic
        from z80emu.formats import Segment
        from z80emu.formats.cas import write_system_cas
        from z80emu.formats.cmd import write_cmd
        from z80emu.formats.ihex import write_ihex

        words = split_words(arg)
        if not 3 <= len(words) <= 4:
            raise MonitorError("usage: save FILE START END [ENTRY]")
        path = words[0].strip('"')
        start, end = self._range(words[1], words[2])
        entry = self._addr(words[3]) if len(words) == 4 else start
        data = self.target.read(start, end - start + 1)
        segments = [Segment(start, data)]
        name = os.path.splitext(os.path.basename(path))[0]
        ext = os.path.splitext(path)[1].lower()
        if ext in (".hex", ".ihx"):
            out, kind = write_ihex(segments, entry).encode("ascii"), "Intel HEX"
        elif ext == ".cmd":
            out, kind = write_cmd(segments, entry, name), "a .CMD program"
        elif ext == ".cas":
            out, kind = write_system_cas(segments, entry, name.upper()), "a SYSTEM tape"
        else:
            out, kind = data, "raw bytes"
        try:
            write_atomic(path, out)
        except OSError as e:
            raise MonitorError(f"{path}: cannot write: {e.strerror}") from None
        self.out(f"saved {start:04X}h-{end:04X}h ({len(data)} bytes) to {path} as {kind}")

    def do_basic(self, arg: str) -> None:
        """basic START END [--usr[=ADDR]] [FILE]   write a Level II BASIC loader

        DATA lines of decimal bytes and their sum, a READ loop that checks the
        sum, then a FOR/READ/POKE loop; --usr also POKEs the USR vector at
        16526/16527 so that X=USR(0) calls START (or ADDR). Printed, or saved to
        FILE. It runs unchanged on Level II (no DEFUSR, no &H).
          basic 7F00 7F05 --usr
          basic 7F00 7F05 --usr hello.bas
        """
        from z80emu.asm.output import write_atomic
        from z80emu.basic_loader import basic_loader

        words = split_words(arg)
        usr = None
        rest = []
        for word in words:
            if word.lower() == "--usr":
                usr = "start"
            elif word.lower().startswith("--usr="):
                usr = word[6:]
            else:
                rest.append(word)
        if not 2 <= len(rest) <= 3:
            raise MonitorError("usage: basic START END [--usr[=ADDR]] [FILE]")
        start, end = self._range(rest[0], rest[1])
        usr_addr = None if usr is None else start if usr == "start" else self._addr(usr)
        try:
            text = basic_loader(self.target.read(start, end - start + 1), start, usr_addr)
        except ValueError as e:
            raise MonitorError(str(e)) from None
        if len(rest) == 3:
            path = rest[2].strip('"')
            try:
                write_atomic(path, text.replace("\n", "\r\n").encode("ascii"))
            except OSError as e:
                raise MonitorError(f"{path}: cannot write: {e.strerror}") from None
            self.out(f"wrote a {len(text.splitlines())}-line BASIC loader to {path}")
        else:
            self.stdout.write(text)

    # -- machine ---------------------------------------------------------------
    def do_screen(self, arg: str) -> None:
        """screen   show the TRS-80 screen (video RAM 3C00h-3FFFh) as text

          screen
        """
        machine = getattr(self.target, "machine", None)
        if machine is None:
            raise MonitorError("screen needs a TRS-80: start with z80emu monitor "
                               "--machine trs80")
        lines = machine.screen_text().split("\n")
        width = max(len(line) for line in lines)
        self.out("+" + "-" * width + "+")
        for line in lines:
            self.out("|" + line.ljust(width) + "|")
        self.out("+" + "-" * width + "+")

    def do_quit(self, arg: str) -> bool:
        """quit   leave the monitor (aliases q, exit; Ctrl-D)

          quit
        """
        self.result = "quit"
        return True

    # -- help ------------------------------------------------------------------
    def do_help(self, arg: str) -> None:
        """help [COMMAND]   list the commands, or explain one (aliases ?, h)

          help
          help poke
        """
        name = arg.strip().lower()
        if name:
            name = ALIASES.get(name, name)
            method = getattr(self, f"do_{name}", None)
            if method is None or not method.__doc__:
                raise MonitorError(f"no command '{name}' (type help for the list)")
            aliases = [a for a, c in ALIASES.items() if c == name]
            self.out(_dedent(method.__doc__))
            if aliases:
                self.out(f"aliases: {', '.join(aliases)}")
            return
        self.out("Numbers are hex (7F00, 3Eh, $3E, 0x3E); #decimal (#32512); 'c' a "
                 "character;")
        self.out("loaded symbols stand for addresses (START+2). An empty line repeats "
                 "step/next/trace/dis/mem.")
        for title, names in GROUPS:
            self.out(f"\n{title}:")
            for name in names:
                doc = getattr(self, f"do_{name}").__doc__.strip().split("\n")[0]
                self.out(f"  {doc}")
        self.out("\nhelp COMMAND shows more, with examples.")

    # -- embedding -------------------------------------------------------------
    def run_for(self, tstates: int) -> Stop | None:
        """For a frontend: run the machine ``tstates`` T-states, honouring breakpoints,
        watchpoints and a pending ``go ADDR`` return. Returns the Stop when the run
        stopped (then call :meth:`cmdloop`, which shows why), else None."""
        engine = self.engine
        if self._pending_return is None and not engine.has_stops:
            self.target.run(tstates)
            return None
        stop = engine.run(return_to=self._pending_return, tstates=tstates)
        if stop.kind == "limit":
            return None
        if stop.kind == "return":
            self._pending_return = None
            self._call = None
        self._pending_stop = stop
        return stop

    @property
    def wants_control(self) -> bool:
        """True when the frontend should run the machine through :meth:`run_for`."""
        return self._pending_return is not None or self.engine.has_stops


class _Window:
    """A few bytes seen at their real address (so jump targets come out right)."""

    def __init__(self, data: bytes, base: int) -> None:
        self.data, self.base = data, base

    def __getitem__(self, addr: int) -> int:
        i = (addr - self.base) & 0xFFFF
        return self.data[i] if i < len(self.data) else 0


def _is_flag_list(text: str) -> bool:
    parts = text.upper().replace(",", " ").split()
    return bool(parts) and all(p in FLAG_BITS or p == "-" for p in parts) and \
        any(p not in "0123456789ABCDEF" or p == "C" for p in parts)


def _dedent(doc: str) -> str:
    """A command's docstring as help shows it: method indentation (8 spaces) removed."""
    first, _, rest = doc.partition("\n")
    lines = [line[8:] if line.startswith(" " * 8) else line.strip() for line in
             rest.split("\n")]
    return (first.strip() + "\n" + "\n".join(lines)).rstrip()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
