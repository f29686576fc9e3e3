"""The Model I memory map and I/O port map: what each address and port is wired to.

Facts from TRS80-REFERENCE.md §1 (memory map), §4.1 (port FFh), §7.2 (the
interrupt latch at 37E0h) and §8.1 (printer at 37E8h). The layout, as DESIGN.md
"The bus and devices" asks, keeps the common paths one bytearray index:

====================  =========================================================
0000h-2FFFh           ROM: read from the bytearray; writes ignored
3000h-37DFh           nothing: reads FFh (kept in the bytearray), writes ignored;
                      an extended ROM (the project's own) is read here
37E0h-37EFh           Expansion Interface registers (read and write handlers);
                      without the EI the same as 3000h-37DFh
37F0h-37FFh           nothing
3800h-3BFFh           keyboard: the bytearray holds the matrix (the keyboard
                      device refills it when a key changes); writes ignored
3C00h-3FFFh           video RAM: writes stored in the bytearray as written;
                      reads (and the picture) pass through the bit-6 gate
4000h-top             RAM: plain bytearray
top-FFFFh             absent RAM: reads FFh, writes are not kept
====================  =========================================================

The CPU calls :meth:`Bus.write` for data writes below ``write_limit`` (3C00h)
and from ``write_top`` (the end of RAM) up, so that absent RAM keeps nothing,
and :meth:`Bus.read` for data reads of 37E0h-3BFFh (the registers and the
keyboard reads that the typing queue counts). Video RAM reads (3C00h-3FFFh) go
through the gate table of :attr:`read_map`, which the CPU applies without a
call; :meth:`Bus.read` gives the same answer there for single-stepping.

The stock Model I keeps no bit 6 in video RAM (TRS80-REFERENCE §3.3). Programs
write video RAM far more often than they read it, so the gate is applied on
the way out rather than in: the bytearray keeps the byte as written, and
every CPU read, :meth:`Video.render`, ``screen_text`` and ``peek`` see it
through :attr:`Video.gate`. What a program can observe is the same.

Devices attach to the register window and to the 256-entry port table with
:meth:`Bus.map_register` and :meth:`Bus.map_port`; the Model I decodes only the
low 8 bits of a port address.
"""

from __future__ import annotations

from collections.abc import Callable

from z80emu.devices.keyboard import Keyboard
from z80emu.devices.video import VIDEO_RAM, Video

ROM_END = 0x3000
REGISTERS = 0x37E0  # 37E0h-37EFh, the Expansion Interface
KEYBOARD = 0x3800
RAM = 0x4000
READ_HOOK = (REGISTERS, RAM - 1)  # data reads with side effects, and video RAM
RAM_SIZES = (4, 16, 32, 48)

ReadHandler = Callable[[int], int]
WriteHandler = Callable[[int, int], None]


class Bus:
    """Memory and port decoding for a Model I with ``ram_kb`` of RAM."""

    def __init__(self, memory: bytearray, ram_kb: int = 48, expansion: bool = True,
                 lowercase: bool = False) -> None:
        if ram_kb not in RAM_SIZES:
            raise ValueError(f"RAM size must be one of {RAM_SIZES} KB, not {ram_kb}")
        if len(memory) != 0x10000:
            raise ValueError("the memory must be a 64 KB bytearray")
        self.memory = memory
        self.ram_kb = ram_kb
        self.ram_top = RAM + ram_kb * 1024  # first address past the RAM
        self.expansion = expansion
        self.keyboard = Keyboard(memory)
        self.video = Video(memory, lowercase)
        self.port_read: list[ReadHandler | None] = [None] * 256
        self.port_write: list[WriteHandler | None] = [None] * 256
        self.reg_read: list[ReadHandler | None] = [None] * 16
        self.reg_write: list[WriteHandler | None] = [None] * 16
        self.read = self._make_read()
        self.write = self._make_write()

    @property
    def write_limit(self) -> int:
        """Data writes below this address go through :attr:`write`."""
        return VIDEO_RAM

    @property
    def write_top(self) -> int:
        """Data writes at this address and above (absent RAM) go through :attr:`write`."""
        return self.ram_top

    @property
    def read_map(self) -> tuple[int, int, bytes]:
        """Video RAM reads are the stored byte through the bit-6 gate: a table the
        CPU applies itself, with no call (:meth:`read` answers the same)."""
        return (VIDEO_RAM, RAM - 1, self.video.gate)

    def clear_unmapped(self) -> None:
        """Fill the places with nothing behind them with FFh (reads float high)."""
        mem = self.memory
        mem[ROM_END:KEYBOARD] = b"\xFF" * (KEYBOARD - ROM_END)
        if self.ram_top < 0x10000:
            mem[self.ram_top:] = b"\xFF" * (0x10000 - self.ram_top)

    # -- memory-mapped registers and ports ------------------------------------
    def map_register(self, first: int, last: int, read: ReadHandler | None = None,
                     write: WriteHandler | None = None) -> None:
        """Wire EI registers ``first``..``last`` (within 37E0h-37EFh) to handlers."""
        if not REGISTERS <= first <= last < REGISTERS + 16:
            raise ValueError("registers live at 37E0h-37EFh")
        for addr in range(first, last + 1):
            if read is not None:
                self.reg_read[addr - REGISTERS] = read
            if write is not None:
                self.reg_write[addr - REGISTERS] = write

    def map_port(self, port: int, read: ReadHandler | None = None,
                 write: WriteHandler | None = None) -> None:
        """Wire an I/O port (low 8 bits) to handlers taking the full 16-bit port."""
        if read is not None:
            self.port_read[port & 0xFF] = read
        if write is not None:
            self.port_write[port & 0xFF] = write

    def io_read(self, port: int) -> int:
        """IN: the port's handler, or FFh (nothing answers)."""
        handler = self.port_read[port & 0xFF]
        return 0xFF if handler is None else handler(port)

    def io_write(self, port: int, value: int) -> None:
        """OUT: the port's handler, if any."""
        handler = self.port_write[port & 0xFF]
        if handler is not None:
            handler(port, value)

    # -- the CPU's hooks ------------------------------------------------------
    def _make_read(self) -> ReadHandler:
        mem = self.memory
        keyboard = self.keyboard
        reg_read = self.reg_read
        expansion = self.expansion
        gate = self.video.gate

        def read(addr: int) -> int:
            """Data reads of 37E0h-3FFFh (addresses as literals: this is hot)."""
            if addr >= 0x3C00:  # video RAM, through the bit-6 gate
                return gate[mem[addr]]
            if addr >= 0x3800:  # the keyboard window
                if keyboard.typing:
                    keyboard.scanned(addr)
                return mem[addr]
            if expansion and addr < 0x37F0:  # the EI registers
                handler = reg_read[addr - 0x37E0]
                if handler is not None:
                    return handler(addr)
            return 0xFF

        return read

    def _make_write(self) -> WriteHandler:
        mem = self.memory
        reg_write = self.reg_write
        expansion = self.expansion
        ram_top = self.ram_top

        if ram_top >= 0x10000:
            def write(addr: int, value: int) -> None:
                """Data writes below 3C00h (48 KB machine)."""
                if expansion and 0x37E0 <= addr < 0x37F0:
                    handler = reg_write[addr - 0x37E0]
                    if handler is not None:
                        handler(addr, value)
                # ROM, unmapped space and the keyboard ignore writes
            return write

        def write_small(addr: int, value: int) -> None:
            """Data writes anywhere (machines with less than 48 KB)."""
            if addr >= 0x3C00:
                if addr < ram_top:
                    mem[addr] = value  # video RAM and RAM
                # absent RAM keeps nothing
            elif expansion and 0x37E0 <= addr < 0x37F0:
                handler = reg_write[addr - 0x37E0]
                if handler is not None:
                    handler(addr, value)

        return write_small
