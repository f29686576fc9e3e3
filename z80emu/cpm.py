"""A bare CP/M box: a Z80 with 64 KB of RAM and a tiny BDOS, for running .COM programs.

CP/M 2.2 conventions come from Digital Research's CP/M 2.2 Interface Guide: a
program is loaded at 0100h and entered there, ``CALL 0005h`` with the function
number in C asks the BDOS for a service, the word at 0006h is the BDOS address and
so the top of the memory a program may use (the TPA), and a jump to 0000h (a warm
boot) ends the program.

Memory map of this box:

====== ===================================================================
0000h  ``JP FF03h``: the BIOS warm-boot entry, which ends the run (status 0)
0005h  ``JP FE00h``: the BDOS entry; so the word at 0006h is FE00h
005Ch  default FCB 1, 006Ch default FCB 2, built from the command arguments
0080h  the command tail (length byte, then the arguments in capitals)
0100h  the program; it may use memory up to FDFFh (64,768 bytes in all)
FDFEh  the initial stack holds 0000h, so a program that ends with RET warm-boots
FE00h  the BDOS service stub: ``OUT (F1h),A`` / ``HALT`` / ``RET``
FF00h  the BIOS jump table: 17 ``JP`` entries, entry k to the stub at FF40h+4k,
       which is ``OUT (E0h+k),A`` / ``HALT`` / ``RET``
====== ===================================================================

How a service call works: the stub's ``OUT`` to a trap port tells the box which
service is wanted (nothing else happens inside the I/O callback), and its
``HALT`` makes ``cpu.run()`` return. Only then, with every register of the CPU
in its attributes, does the box perform the service, clear the halt and point
PC at the stub's ``RET``. The program therefore runs at the CPU's full speed
between calls, and the box relies on nothing but the CPU contract. The clock is
wound back over the idle HALT cycles the CPU spent waiting for ``run()`` to end,
so a call costs what its stub's instructions cost (OUT 11 T, HALT 4 T, RET 10 T);
this reads ``cpu.cycles`` in the I/O callback, which z80emu's CPU keeps current
there. Ports E0h-F1h are taken by the box. Every other port reads FFh (or the
``--port-value``) and ignores writes.

BDOS functions: 0 ends the run; 1 reads a console character (echoed); 2 prints E;
6 is direct console I/O (E=FFh reads, E=FEh asks for status, otherwise prints E);
9 prints the ``$``-terminated string at DE; 10 reads a line into the buffer at DE;
11 reports whether console input is waiting; 12 returns version 2.2 (HL=0022h).
All other functions (disk, files, reader, punch, list, IOBYTE, DMA, user number)
do nothing and return A=L=0, B=H=0: enough for programs that only print, such
as instruction exercisers and teaching examples. Console input comes from the
text given to ``run_cpm(input=...)`` (``--input``); when it runs out a read
returns 1Ah (CP/M's end-of-file mark). BIOS entries: BOOT and WBOOT end the run,
CONST/CONIN/CONOUT work as the BDOS console functions do, and the rest return 0.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import click

TPA_START = 0x0100
BDOS_ENTRY = 0xFE00  # top of the TPA: the word at 0006h
BIOS_BASE = 0xFF00
TPA_SIZE = BDOS_ENTRY - TPA_START  # 64,768 bytes
FCB1 = 0x005C
FCB2 = 0x006C
COMMAND_TAIL = 0x0080

BIOS_STUBS = 0xFF40  # the stub of BIOS entry k is at BIOS_STUBS + 4k
BIOS_TRAP_BASE = 0xE0  # BIOS entry k traps through port E0h + k
BIOS_ENTRIES = 17  # BOOT WBOOT CONST CONIN CONOUT LIST PUNCH READER HOME SELDSK
# SETTRK SETSEC SETDMA READ WRITE LISTST SECTRAN
BDOS_TRAP_PORT = 0xF1
BDOS_SERVICE = -1  # the service number of the BDOS; BIOS entries are 0-16
STUB_TSTATES = 11 + 4  # a stub's OUT (n),A and HALT; its RET runs as usual

EOF_CHAR = 0x1A  # CP/M's end-of-text mark, returned when console input runs out
SLICE_TSTATES = 200_000  # how long cpu.run() goes between checks of the limits
FLUSH_SECONDS = 0.03  # output reaches the stream within this time of being printed

EXIT_OK = 0
EXIT_HALTED = 1  # the program executed HALT with nothing to wake it
EXIT_LIMIT = 124  # --max-seconds or --max-tstates ran out first (as timeout(1) does)


class CpmError(Exception):
    """A program that cannot be run: the message names the file and the problem."""


@dataclass
class CpmResult:
    """How a run ended."""

    output: str  # everything the program printed
    tstates: int  # T-states the CPU executed
    seconds: float  # wall-clock time of the run
    exit_status: int  # 0 warm boot or BDOS 0, 1 HALT, 124 limit
    reason: str  # a few words: "warm boot", "BDOS function 0", "HALT at 1234h", ...
    pc: int  # program counter when the run stopped


def load_program(path: str | Path) -> bytes:
    """Read a .COM file, refusing one that is missing, empty or too big for the TPA."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CpmError(f"{path}: cannot read: {exc.strerror or exc}") from None
    check_program(data, str(path))
    return data


def check_program(program: bytes, name: str = "program") -> None:
    if not program:
        raise CpmError(f"{name}: empty file, nothing to run")
    if len(program) > TPA_SIZE:
        raise CpmError(
            f"{name}: {len(program)} bytes does not fit the TPA "
            f"({TPA_SIZE} bytes, {TPA_START:04X}h-{BDOS_ENTRY - 1:04X}h)"
        )


def _fcb_field(text: str, size: int) -> bytes:
    """An FCB name or type field: capitals, '*' filled with '?', space-padded."""
    out = ""
    for ch in text.upper():
        if ch == "*":
            out += "?" * (size - len(out))
            break
        out += ch
    return out[:size].ljust(size).encode("ascii", "replace")


def make_fcb(argument: str) -> bytes:
    """The 16 bytes of a default FCB for a command argument such as ``B:NAME.TYP``."""
    drive = 0
    if len(argument) >= 2 and argument[1] == ":" and argument[0].isalpha():
        drive = ord(argument[0].upper()) - ord("A") + 1
        argument = argument[2:]
    name, _, ext = argument.partition(".")
    return bytes([drive]) + _fcb_field(name, 8) + _fcb_field(ext, 3) + bytes(4)


def _stub(port: int) -> bytes:
    """A service stub: OUT (port),A to say which service, HALT to wait for it, RET."""
    return bytes([0xD3, port, 0x76, 0xC9])


def build_memory(program: bytes, args: tuple[str, ...] | list[str] = ()) -> bytearray:
    """64 KB holding page zero, the program at 0100h, the BDOS trap and the BIOS table."""
    check_program(program)
    mem = bytearray(0x10000)
    mem[0x0000:0x0003] = bytes([0xC3, (BIOS_BASE + 3) & 0xFF, (BIOS_BASE + 3) >> 8])  # JP WBOOT
    mem[0x0005:0x0008] = bytes([0xC3, BDOS_ENTRY & 0xFF, BDOS_ENTRY >> 8])  # JP BDOS
    mem[FCB1 : FCB1 + 16] = make_fcb(args[0] if len(args) > 0 else "")
    mem[FCB2 : FCB2 + 16] = make_fcb(args[1] if len(args) > 1 else "")
    tail = "".join(" " + a for a in args).upper().encode("ascii", "replace")[:127]
    mem[COMMAND_TAIL] = len(tail)
    mem[COMMAND_TAIL + 1 : COMMAND_TAIL + 1 + len(tail)] = tail
    mem[TPA_START : TPA_START + len(program)] = program
    mem[BDOS_ENTRY : BDOS_ENTRY + 4] = _stub(BDOS_TRAP_PORT)
    for k in range(BIOS_ENTRIES):
        stub = BIOS_STUBS + 4 * k
        mem[BIOS_BASE + 3 * k : BIOS_BASE + 3 * k + 3] = bytes([0xC3, stub & 0xFF, stub >> 8])
        mem[stub : stub + 4] = _stub(BIOS_TRAP_BASE + k)
    # The return address 0000h on the stack: a program that RETs warm-boots.
    mem[BDOS_ENTRY - 2] = 0x00
    mem[BDOS_ENTRY - 1] = 0x00
    return mem


class CpmBox:
    """The Z80, its memory, and the BDOS/BIOS services behind the trap ports.

    >>> box = CpmBox(bytes.fromhex("0E021E41CD0500C7"), out=None)  # print "A", RST 0
    >>> result = box.run()
    >>> result.output, result.exit_status, result.reason
    ('A', 0, 'warm boot')
    """

    def __init__(
        self,
        program: bytes,
        *,
        out: TextIO | None = None,
        input: bytes | str = b"",
        port_value: int = 0xFF,
        args: tuple[str, ...] | list[str] = (),
        engine: str = "translate",
    ) -> None:
        from z80emu.cpu import Z80

        self.memory = build_memory(program, args)
        self.out = out
        if isinstance(input, str):
            input = input.replace("\r\n", "\r").replace("\n", "\r").encode("latin-1", "replace")
        self.input = bytearray(input)
        self.port_value = port_value & 0xFF
        self.output: list[str] = []
        self.stop_reason: str | None = None
        self._service: int | None = None  # set by a trap OUT, performed after run()
        self._service_cycles = 0
        self._unflushed = False
        self._flushed_at = 0.0
        self.cpu = Z80(memory=self.memory, io_read=self._io_read, io_write=self._io_write,
                       engine=engine)
        self.cpu.pc = TPA_START
        self.cpu.sp = BDOS_ENTRY - 2
        bdos_handlers: dict[int, Callable[[], int | None]] = {
            0: self._bdos_reset,
            1: self._bdos_console_input,
            2: self._bdos_console_output,
            6: self._bdos_direct_io,
            9: self._bdos_print_string,
            10: self._bdos_read_buffer,
            11: self._bdos_console_status,
            12: self._bdos_version,
        }
        self._bdos_handlers = bdos_handlers

    # --- the I/O bus -------------------------------------------------------------

    def _io_read(self, port: int) -> int:
        return self.port_value

    def _io_write(self, port: int, value: int) -> None:
        p = port & 0xFF
        if p == BDOS_TRAP_PORT:
            self._service = BDOS_SERVICE
        elif BIOS_TRAP_BASE <= p < BIOS_TRAP_BASE + BIOS_ENTRIES:
            self._service = p - BIOS_TRAP_BASE
        else:
            return
        self._service_cycles = self.cpu.cycles

    def _perform_service(self) -> None:
        """The service a stub asked for; the CPU is halted in that stub."""
        cpu = self.cpu
        service, self._service = self._service, None
        if not cpu.halted:  # the run ended between the stub's OUT and its HALT
            cpu.step()
        cpu.cycles = self._service_cycles + STUB_TSTATES
        if service == BDOS_SERVICE:
            self._bdos()
            stub = BDOS_ENTRY
        else:
            self._bios(service)
            stub = BIOS_STUBS + 4 * service
        if self.stop_reason is None:
            cpu.halted = False
            cpu.pc = stub + 3  # its RET

    # --- console -----------------------------------------------------------------

    def _emit(self, text: str) -> None:
        self.output.append(text)
        if self.out is not None:
            self.out.write(text)
            self._unflushed = True

    def _flush(self, now: float | None = None) -> None:
        """Flush the output stream, at most every FLUSH_SECONDS unless ``now`` is None."""
        if not self._unflushed or self.out is None:
            return
        if now is not None and now - self._flushed_at < FLUSH_SECONDS:
            return
        self.out.flush()
        self._unflushed = False
        self._flushed_at = time.perf_counter()

    def _next_input(self) -> int:
        if not self.input:
            return EOF_CHAR
        return self.input.pop(0)

    def _end(self, reason: str) -> None:
        if self.stop_reason is None:
            self.stop_reason = reason

    # --- BDOS: function number in C, byte argument in E, word argument in DE ---------

    def _bdos(self) -> None:
        cpu = self.cpu
        handler = self._bdos_handlers.get(cpu.c)
        result = handler() if handler is not None else 0
        if result is None:
            return
        # CP/M 2.2 returns a byte in A and L, a word in HL, with B=H and A=L.
        result &= 0xFFFF
        cpu.hl = result
        cpu.a = result & 0xFF
        cpu.b = result >> 8

    def _bdos_reset(self) -> None:
        self._end("BDOS function 0")

    def _bdos_console_input(self) -> int:
        ch = self._next_input()
        if ch != EOF_CHAR:
            self._emit(chr(ch))
        return ch

    def _bdos_console_output(self) -> None:
        self._emit(chr(self.cpu.e))

    def _bdos_direct_io(self) -> int | None:
        e = self.cpu.e
        if e == 0xFF:
            return self.input.pop(0) if self.input else 0
        if e == 0xFE:
            return 0xFF if self.input else 0
        self._emit(chr(e))
        return None

    def _bdos_print_string(self) -> None:
        mem = self.memory
        start = self.cpu.de
        end = mem.find(b"$", start)
        if end < 0:  # no terminator before the top of memory: wrap round as the Z80 would
            end = mem.find(b"$", 0, start)
            text = mem[start:] + (mem[:end] if end >= 0 else mem[:start])
        else:
            text = mem[start:end]
        self._emit(text.decode("latin-1"))

    def _bdos_read_buffer(self) -> None:
        # Buffer at DE: byte 0 the capacity, byte 1 the count returned, then the text.
        mem = self.memory
        de = self.cpu.de
        capacity = mem[de]
        line = bytearray()
        while len(line) < capacity and self.input:
            ch = self.input.pop(0)
            if ch in (0x0D, 0x0A):
                break
            line.append(ch)
        mem[(de + 1) & 0xFFFF] = len(line)
        for i, ch in enumerate(line):
            mem[(de + 2 + i) & 0xFFFF] = ch
        self._emit(line.decode("latin-1") + "\r\n")

    def _bdos_console_status(self) -> int:
        return 0xFF if self.input else 0

    def _bdos_version(self) -> int:
        return 0x0022

    # --- BIOS: entry k of the jump table at FF00h ---------------------------------------

    def _bios(self, entry: int) -> None:
        cpu = self.cpu
        if entry in (0, 1):
            self._end("warm boot")
        elif entry == 2:  # CONST
            cpu.a = 0xFF if self.input else 0
        elif entry == 3:  # CONIN
            cpu.a = self._next_input()
        elif entry == 4:  # CONOUT
            self._emit(chr(cpu.c))
        else:
            cpu.a = 0

    # --- running -------------------------------------------------------------------

    def run(
        self, *, max_tstates: int | None = None, max_seconds: float | None = None
    ) -> CpmResult:
        """Run until a warm boot, BDOS function 0, a HALT, or a limit."""
        cpu = self.cpu
        start_cycles = cpu.cycles
        started = time.perf_counter()
        deadline = None if max_seconds is None else started + max_seconds
        status = EXIT_OK
        while self.stop_reason is None:
            budget = SLICE_TSTATES
            if max_tstates is not None:
                spent = cpu.cycles - start_cycles
                budget = min(budget, max_tstates - spent)
                if budget <= 0:
                    self.stop_reason = f"stopped after {spent} T-states (--max-tstates)"
                    status = EXIT_LIMIT
                    break
            cpu.run(budget)
            if self._service is not None:
                self._perform_service()
                if self.stop_reason is not None:
                    break
            elif cpu.halted:
                self.stop_reason = f"HALT at {cpu.pc:04X}h with no interrupt to wake it"
                status = EXIT_HALTED
                break
            now = time.perf_counter()
            self._flush(now)
            if deadline is not None and now >= deadline:
                self.stop_reason = f"stopped after {max_seconds:g} s (--max-seconds)"
                status = EXIT_LIMIT
        self._flush()
        seconds = time.perf_counter() - started
        return CpmResult(
            output="".join(self.output),
            tstates=cpu.cycles - start_cycles,
            seconds=seconds,
            exit_status=status,
            reason=self.stop_reason or "",
            pc=cpu.pc,
        )


_STDOUT: Any = object()  # run_cpm's default: whatever sys.stdout is at call time


def run_cpm(
    program: bytes,
    out: TextIO | None = _STDOUT,
    *,
    input: bytes | str = b"",
    port_value: int = 0xFF,
    args: tuple[str, ...] | list[str] = (),
    engine: str = "translate",
    max_tstates: int | None = None,
    max_seconds: float | None = None,
) -> CpmResult:
    """Run a CP/M program image on a fresh box and return how it ended.

    ``out`` receives the console output as it is produced (default: ``sys.stdout``;
    ``None`` only collects it in the result). ``program`` must be 1 to 64,768 bytes,
    or ``CpmError`` is raised.

    >>> hello = bytes.fromhex("0E09110B01CD0500C3000048492124")  # BDOS 9, "HI!$", JP 0
    >>> r = run_cpm(hello, out=None)
    >>> r.output, r.exit_status
    ('HI!', 0)
    """
    check_program(program)
    if out is _STDOUT:
        out = sys.stdout
    box = CpmBox(program, out=out, input=input, port_value=port_value, args=args, engine=engine)
    return box.run(max_tstates=max_tstates, max_seconds=max_seconds)


def _parse_port_value(ctx: click.Context, param: click.Parameter, value: str) -> int:
    text = value.strip().lower()
    if text.endswith("h"):
        text = text[:-1]
    if text.startswith("0x"):
        text = text[2:]
    try:
        number = int(text, 16)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a hex byte (e.g. FF or 7Fh)") from None
    if not 0 <= number <= 0xFF:
        raise click.BadParameter(f"{value!r} is not a byte (00-FF)")
    return number


@click.command("cpm")
@click.argument("program", metavar="PROGRAM.COM")
@click.argument("args", nargs=-1)
@click.option(
    "--port-value",
    default="FF",
    show_default=True,
    callback=_parse_port_value,
    help="Byte (hex) that reads from unconnected I/O ports return.",
)
@click.option("--input", "input_text", default="", help="Text for console input (BDOS 1, 10).")
@click.option("--max-seconds", type=click.FloatRange(min=0), help="Stop after this wall time.")
@click.option("--max-tstates", type=click.IntRange(min=1), help="Stop after this many T-states.")
@click.option("--stats", is_flag=True, help="Print T-states and speed to stderr at the end.")
@click.option("--engine", type=click.Choice(["translate", "interpret"]), default="translate",
              show_default=True, help="CPU engine (same results; interpret is for checking).")
def cpm_command(
    program: str,
    args: tuple[str, ...],
    port_value: int,
    input_text: str,
    max_seconds: float | None,
    max_tstates: int | None,
    stats: bool,
    engine: str,
) -> None:
    """Run a CP/M .COM program on a bare Z80 with a minimal BDOS.

    The program loads at 0100h; its console output goes to stdout as it is
    produced. A jump to 0000h (warm boot) or BDOS function 0 ends the run with
    status 0; a HALT ends it with status 1, and running out of --max-seconds or
    --max-tstates with status 124. ARGS become the command tail at 0080h and the
    default FCBs at 005Ch and 006Ch.
    """
    try:
        image = load_program(program)
    except CpmError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        result = run_cpm(
            image,
            out=sys.stdout,
            input=input_text,
            port_value=port_value,
            args=args,
            max_tstates=max_tstates,
            max_seconds=max_seconds,
            engine=engine,
        )
    except ImportError as exc:  # a broken installation, not the user's program
        raise click.ClickException(f"the Z80 CPU cannot be loaded: {exc}") from None
    except KeyboardInterrupt:
        sys.stdout.flush()
        click.echo(f"\n{program}: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as other filters do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)
    sys.stdout.flush()
    if stats:
        mhz = result.tstates / result.seconds / 1e6 if result.seconds > 0 else 0.0
        click.echo(
            f"{program}: {result.reason}; {result.tstates} T-states in {result.seconds:.3f} s "
            f"({mhz:.1f} emulated MHz)",
            err=True,
        )
    if result.exit_status != EXIT_OK:
        click.echo(f"{program}: {result.reason}", err=True)
        sys.exit(result.exit_status)
