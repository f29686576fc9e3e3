"""The TRS-80 Model I: the Z80, the bus and the devices wired together, with a
small scriptable API (DESIGN.md "The machine contract").

Facts from TRS80-REFERENCE.md: the memory map (§1), keyboard (§2), video (§3),
port FFh (§4.1), the Expansion Interface registers and heartbeat (§7.2), HALT
acting as the reset button (§7.1, §11) and the 1.77408 MHz clock (§11).

Time is emulated: ``run`` counts T-states, not wall-clock seconds (set
:attr:`TRS80.speed` to hold a real-time pace). Devices that act at a time
(the heartbeat) expose ``deadline`` and ``fire(now)``; the machine runs the CPU
up to the nearest deadline, at most one video frame at a time, then lets the
device act. Nothing polls per instruction.

>>> m = TRS80()                                   # doctest: +SKIP
>>> m.wait_for("READY")                           # doctest: +SKIP
>>> m.type("HELLO\\r"); m.run(seconds=0.5)         # doctest: +SKIP
>>> print(m.screen_text())                        # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable

from z80emu.bus import READ_HOOK, Bus
from z80emu.devices.cassette import PORT as CASSETTE_PORT
from z80emu.devices.cassette import CassettePort
from z80emu.devices.interrupts import InterruptLatch
from z80emu.devices.tape import TapeDeck
from z80emu.devices.timing import FRAME_TSTATES, Throttle, tstates
from z80emu.roms.lookup import Rom, find_rom

__all__ = ["TRS80"]


class TRS80:
    """A Model I with ``ram_kb`` of RAM (4, 16, 32 or 48), with or without the
    Expansion Interface, booting ``rom`` (a path; None: $Z80EMU_ROM, the
    config folder, then the project's own ROM). ``lowercase`` fits the
    lowercase modification (an eighth video RAM chip). With the Expansion
    Interface, ``serial`` is what the RS-232-C board's cable is plugged into
    (a z80emu.links target such as ``"terminet"`` or ``"socket://host:port"``)
    and ``printer`` what is on the parallel port (True: a line printer keeping
    its paper in memory; a path: its paper record there; None: nothing).
    ``engine`` is the CPU's execution engine ("translate" or "interpret",
    see z80emu.cpu.Z80: identical results, the first much faster). Call
    :meth:`close` at the end to flush the paper and a tape recording and let
    go of the link."""

    def __init__(self, rom: str | os.PathLike | Rom | None = None, ram_kb: int = 48,
                 expansion: bool = True, lowercase: bool = False, serial=None,
                 printer=True, engine: str = "translate") -> None:
        from z80emu.cpu import Z80
        from z80emu.devices.printer_port import ParallelPort, make_printer
        from z80emu.devices.rs232 import RS232Board
        from z80emu.links import open_link

        self.rom = rom if isinstance(rom, Rom) else find_rom(rom)
        self.memory = bytearray(0x10000)
        self.bus: Bus | None = None
        self.cpu = Z80(memory=self.memory, io_read=self._io_read, io_write=self._io_write,
                       engine=engine)
        if serial is not None and not expansion:
            raise ValueError("the RS-232-C board plugs into the Expansion Interface")
        clock = lambda: self.cpu.cycles  # noqa: E731
        self.printer_port = ParallelPort(make_printer(printer), clock)  # 37E8h
        self.rs232 = RS232Board(clock, open_link(serial))  # ports E8h-EBh (with the EI)
        self.terminet = getattr(self.rs232.link, "printer", None)
        self.speed: float | None = None  # None: as fast as possible; 1.0: real time
        self.fast_tape = True  # run at full speed while the cassette motor is on
        self.tape: TapeDeck | None = None
        self._throttle: Throttle | None = None
        self._configure(ram_kb, expansion, lowercase)
        self.power_on()

    # -- wiring ---------------------------------------------------------------
    def _io_read(self, port: int) -> int:
        return self.bus.io_read(port)

    def _io_write(self, port: int, value: int) -> None:
        self.bus.io_write(port, value)

    def _configure(self, ram_kb: int, expansion: bool, lowercase: bool) -> None:
        """(Re)build the bus and devices for a configuration; keeps memory."""
        bus = Bus(self.memory, ram_kb, expansion, lowercase)
        old = self.bus
        if old is not None:
            bus.keyboard.set_state(old.keyboard.get_state())
            bus.video.wide = old.video.wide
        self.bus = bus
        self.keyboard = bus.keyboard
        self.video = bus.video
        port_value = self.port_ff.value if old is not None else 0
        self.port_ff = CassettePort(bus.video, clock=lambda: self.cpu.cycles)
        self.port_ff.value = port_value
        bus.map_port(CASSETTE_PORT, read=lambda port: self.port_ff.read(),
                     write=lambda port, value: self.port_ff.write(value))
        self.drive_select = 0  # 37E0h write: floppy drive select latch
        self.cassette_select = 0  # 37E4h write: 0 = cassette #1, 1 = #2
        self.latch: InterruptLatch | None = None
        self._events: list = []
        if self.tape is None:
            self.tape = TapeDeck(self.port_ff, clock=lambda: self.cpu.cycles)
        else:
            self.tape.attach(self.port_ff)
        self._events.append(self.tape)
        self.cpu.int_line = False
        if expansion:
            latch = InterruptLatch(self.cpu, start=self.cpu.cycles)
            self.latch = latch
            self._events.append(latch)
            bus.map_register(0x37E0, 0x37E3, read=lambda addr: latch.read(),
                             write=self._select_drive)
            bus.map_register(0x37E4, 0x37E7, write=self._select_cassette)
            bus.map_register(0x37E8, 0x37EB, read=self._printer_status,
                             write=self._printer_data)
            self.rs232.map(bus)
            self._events.append(self.rs232)
        self.cpu.set_write_hook(bus.write_limit, bus.write, top=bus.write_top)
        self.cpu.set_read_hook(READ_HOOK[0], READ_HOOK[1], bus.read, mapped=bus.read_map)

    def _select_drive(self, addr: int, value: int) -> None:
        self.drive_select = value & 0x0F

    def _select_cassette(self, addr: int, value: int) -> None:
        self.cassette_select = value & 1

    def _printer_status(self, addr: int) -> int:
        # No printer: the lines float, which Level II reads as "not ready" (§8.1, §12).
        return self.printer_port.status()

    def _printer_data(self, addr: int, value: int) -> None:
        self.printer_port.write(value)

    @property
    def printer(self):
        """The printer on the parallel port (37E8h), or None."""
        return self.printer_port.printer

    @printer.setter
    def printer(self, value) -> None:
        self.printer_port.printer = value

    def close(self) -> None:
        """The end of the session: flush and close the printers' paper records
        and the serial link, and write out a tape recording still in progress
        (the motor on, a CSAVE unfinished) to the deck's ``record_path``, with
        a warning that it may be incomplete. Calling it again does no harm."""
        self.tape.close()
        self.printer_port.close()
        self.rs232.close()

    def __enter__(self) -> TRS80:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def ram_kb(self) -> int:
        return self.bus.ram_kb

    @property
    def expansion(self) -> bool:
        return self.bus.expansion

    @property
    def lowercase(self) -> bool:
        return self.video.lowercase

    # -- power and reset ------------------------------------------------------
    def power_on(self) -> None:
        """Switch on: ROM in place, RAM cleared, keys up, CPU reset."""
        mem = self.memory
        image = self.rom.image()
        mem[0:0x3000] = image[:0x3000]
        mem[0x4000:] = bytes(0xC000)
        self.bus.clear_unmapped()
        mem[0x3000:len(image)] = image[0x3000:]    # an extended ROM's 3000h-37DFh
        self.video.clear()
        self.keyboard.release_all()
        self.port_ff.write(0)
        self.rs232.power_on()
        if self.latch is not None:
            self.latch.value = 0
        self.cpu.reset()
        self.cpu.int_line = False
        self.cpu.code_changed()

    def reset(self) -> None:
        """Press the reset button: an NMI (the ROM's handler at 0066h decides)."""
        self.cpu.nmi()

    # -- running --------------------------------------------------------------
    def run(self, seconds: float | None = None, tstates: int | None = None,
            frames: int | None = None, until: Callable[[], bool] | None = None) -> int:
        """Run for emulated ``seconds``, ``tstates`` or 60 Hz ``frames``
        (one of them); with ``until``, stop early when it returns True (it is
        checked once per slice of at most a frame). Returns T-states run."""
        given = [x is not None for x in (seconds, tstates, frames)]
        if sum(given) != 1:
            raise TypeError("run() takes exactly one of seconds=, tstates=, frames=")
        if seconds is not None:
            count = _tstates(seconds)
        elif frames is not None:
            count = int(frames) * FRAME_TSTATES
        else:
            count = int(tstates)
        return self._run(count, until)

    def _run(self, count: int, until: Callable[[], bool] | None = None) -> int:
        cpu = self.cpu
        events = self._events
        start = cpu.cycles
        end = start + count
        throttle = self._throttle_for_speed()
        tape_fast = False
        while True:
            now = cpu.cycles
            if now >= end:
                break
            target = min(end, now + FRAME_TSTATES)
            for device in events:
                if device.deadline < target:
                    target = device.deadline
            if target > now:
                cpu.run(target - now)
                now = cpu.cycles
            for device in events:
                if device.deadline <= now:
                    device.fire(now)
            if cpu.halted:
                # On the Model I, HALT pulls the reset circuit: the NMI (§7.1).
                cpu.nmi()
            if throttle is not None:
                if self.tape_running_fast:  # full speed while the tape moves
                    tape_fast = True
                elif tape_fast:  # the motor stopped: real time again from here
                    tape_fast = False
                    throttle.reset(now)
                else:
                    throttle.sync(now)
            if until is not None and until():
                break
        return cpu.cycles - start

    def step(self) -> int:
        """Run one instruction, for debuggers that stop between instructions:
        devices whose deadline has passed then act, and HALT pulls the reset
        circuit, as in :meth:`run`. Returns the T-states it took."""
        cpu = self.cpu
        t = cpu.step()
        now = cpu.cycles
        for device in self._events:
            if device.deadline <= now:
                device.fire(now)
        if cpu.halted:
            cpu.nmi()  # HALT is the reset button on the Model I (§7.1)
        return t

    @property
    def tape_running_fast(self) -> bool:
        """True while the cassette motor runs and :attr:`fast_tape` asks for full
        speed then (real-time frontends check it too)."""
        return self.fast_tape and self.tape is not None and self.tape.motor

    def _throttle_for_speed(self) -> Throttle | None:
        if self.speed is None:
            self._throttle = None
            return None
        if self._throttle is None or self._throttle.speed != self.speed:
            self._throttle = Throttle(self.speed)
        return self._throttle

    # -- keyboard and screen --------------------------------------------------
    def type(self, text: str) -> None:
        """Queue keystrokes ("\\r" or "\\n" is ENTER, "^" the up arrow).

        Each key is held until the program has read its row a few times and
        released until read again, so nothing is lost or doubled. Characters no
        Model I key produces are logged once and skipped.
        """
        self.keyboard.type(text)

    @property
    def typing(self) -> bool:
        """True while typed keys are still waiting to be read."""
        return self.keyboard.typing

    def screen_text(self) -> str:
        """The screen: 16 lines of 64 characters (32 in 32-column mode)."""
        return self.video.screen_text()

    def screenshot(self, path: str | os.PathLike, scale: int = 1) -> None:
        """Write the screen as a PNG (384x192 dots times ``scale``)."""
        self.video.screenshot(path, scale)

    @property
    def screen(self):
        """The screen's dots as a numpy array (192, 384), updated on each read."""
        return self.video.render()

    def wait_for(self, text: str, timeout: float = 10.0) -> float:
        """Run until ``text`` is on the screen; returns the emulated seconds it took.

        Raises TimeoutError (with the screen in the message) if it has not
        appeared after ``timeout`` emulated seconds.
        """
        state = {"shown": None, "found": False}
        video_ram = slice(0x3C00, 0x4000)

        def found() -> bool:
            data = self.memory[video_ram]
            if data != state["shown"]:
                state["shown"] = data
                state["found"] = text in self.screen_text()
            return state["found"]

        if found():
            return 0.0
        spent = self._run(_tstates(timeout), found)
        if not state["found"]:
            raise TimeoutError(
                f"{text!r} did not appear within {timeout:g} emulated seconds; "
                f"the screen shows:\n{self.screen_text()}")
        return spent / _tstates(1.0)

    # -- memory -----------------------------------------------------------------
    def peek(self, address: int, length: int | None = None) -> int | bytes:
        """The byte at ``address``, or ``length`` bytes from it, as the CPU reads
        memory (video RAM through the bit-6 gate), but without side effects: the
        EI registers are not read, so the heartbeat latch is left alone."""
        if length is None:
            a = address & 0xFFFF
            value = self.memory[a]
            return self.video.gate[value] if 0x3C00 <= a < 0x4000 else value
        return bytes(self.peek(address + i) for i in range(length))

    def poke(self, address: int, data: int | bytes | bytearray | list[int]) -> None:
        """Store bytes as the CPU would (ROM is protected, video RAM gated)."""
        if isinstance(data, int):
            data = [data]
        write = self.bus.write
        limit = self.bus.write_limit
        mem = self.memory
        for i, value in enumerate(data):
            a = (address + i) & 0xFFFF
            if a < limit:
                write(a, value & 0xFF)
            else:
                mem[a] = value & 0xFF
        self.cpu.code_changed()

    def load(self, path: str | os.PathLike, address: int | None = None,
             start: bool = True, tape: bool = False):
        """Load a file: a .cmd, .hex/.ihx or SYSTEM .cas program is placed in
        memory (with ``start``, the CPU jumps to its entry); a BASIC program
        (.bas, tokenized or a listing, or a BASIC .cas) is placed at TXTTAB with
        the pointers Level II sets; a .wav recording is decoded first; raw bytes
        go to ``address``. With ``tape``, a .cas or .wav goes into the tape deck
        instead, for the ROM to read. Returns what was read (see z80emu.loader).
        """
        from z80emu.loader import load_file

        return load_file(self, path, address=address, start=start, tape=tape)

    # -- save states -------------------------------------------------------------
    def save_state(self, path: str | os.PathLike) -> None:
        """Write the whole machine to a state file (see z80emu.machines.state)."""
        from z80emu.machines.state import save_state

        save_state(self, path)

    def load_state(self, path: str | os.PathLike) -> None:
        """Restore a state file; a bad file raises StateError and changes nothing."""
        from z80emu.machines.state import load_state

        load_state(self, path)


def _tstates(seconds: float) -> int:
    return tstates(seconds)
