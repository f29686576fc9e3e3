"""The monitor on a TRS-80 Model I (the project's own ROM): the memory map decides
what a poke keeps and where code can run; go, time and watchpoints, with the
heartbeat interrupt when a program has enabled it (the ROM keeps interrupts off,
as Level II does); the frontends' embedding entry point."""

from __future__ import annotations

import io
import re
import textwrap

import pytest

from z80emu.machines.trs80 import TRS80
from z80emu.monitor import Monitor


@pytest.fixture(scope="module")
def booted_state(tmp_path_factory):
    """A 16 KB machine booted to its prompt, saved once for every test."""
    m = TRS80(ram_kb=16)
    m.run(seconds=1.0)
    path = tmp_path_factory.mktemp("state") / "booted.state"
    m.save_state(path)
    return path


@pytest.fixture
def machine(booted_state) -> TRS80:
    m = TRS80(ram_kb=16)
    m.load_state(booted_state)
    return m


def session(commands: str, machine: TRS80, **kwargs) -> tuple[str, Monitor]:
    out = io.StringIO()
    monitor = Monitor(machine, stdin=io.StringIO(textwrap.dedent(commands).lstrip("\n")),
                      stdout=out, echo=True, run_limit=5.0, **kwargs)
    monitor.cmdloop()
    return out.getvalue(), monitor


def test_rom_absent_ram_and_keyboard_keep_no_poke(machine) -> None:
    before = bytes(machine.memory)
    text, monitor = session("""
        poke 0000 00
        poke 2FFF 00 00
        poke 7FFF 00 00
        poke 3800 00
        fill 3000 3010 00
        load nothing.bin 0
        """, machine)
    assert "error: 0000h is ROM on the TRS-80 (0000h-2FFFh keeps no writes): nothing written" \
        in text
    assert "error: 2FFFh is ROM on the TRS-80" in text
    assert ("error: 8000h is absent RAM: this TRS-80 has 16 KB (4000h-7FFFh); writes there "
            "are lost: nothing written") in text
    assert "error: 3800h is the keyboard matrix (3800h-3BFFh), which is read-only" in text
    assert "error: 3000h is unmapped space (nothing there keeps a write): nothing written" in text
    assert bytes(machine.memory) == before
    assert monitor.failures == 6


def test_video_ram_keeps_no_bit_6(machine) -> None:
    text, _ = session("poke 3C00 61 41\npeek 3C00 2\n", machine)
    assert "3C00: 21 41\nnote: 3C00h kept 21h of 61h: a stock Model I stores no bit 6" in text
    assert machine.screen_text().startswith("!A")


def test_reads_of_unmapped_space_are_ffh_and_said_so(machine) -> None:
    # (the free ROM may reach into 3000h-37DFh; its last bytes stay empty)
    text, _ = session("peek 37DF\nmem 7FF8 #16\n", machine)
    assert "37DF: FF  #255\nnote: part of this is unmapped space, which reads FFh" in text
    assert "8000  FF FF" not in text  # one line of 16 from 7FF8
    assert "note: part of this is absent RAM, which reads FFh" in text


def test_no_step_into_unmapped_space(machine) -> None:
    state = machine.cpu.get_state()
    text, monitor = session("""
        regs PC=3000
        step
        go 9000
        """, machine)
    assert ("error: PC 3000h is in unmapped space, which reads FFh (RST 38h): not running "
            "(set PC with regs PC=ADDR)") in text
    assert "error: PC 9000h is in absent RAM (this TRS-80 has 16 KB): it reads FFh, RST 38h" \
        in text
    assert machine.cpu.pc == 0x3000 and machine.cpu.sp == state["sp"]


def test_a_run_that_wanders_into_absent_ram_stops_before_it(machine) -> None:
    text, _ = session("poke 7F00 C3 00 90\nbreak 0\ngo 7F00\n", machine)
    assert "stopped: PC 9000h is in absent RAM (this TRS-80 has 16 KB): it reads FFh, RST 38h:" \
        " stopped before running it" in text


def test_go_calls_a_routine_that_writes_the_screen_and_returns(machine) -> None:
    pc, sp = machine.cpu.pc, machine.cpu.sp
    text, monitor = session("""
        asm 7F00
         LD A,'*'
         LD (3C00H+#64*5),A
         RET
        .
        go 7F00
        time 7F00
        screen
        """, machine)
    assert "returned from 7F00h" in text
    assert "7F00h to its RET: 30 T-states = 16.91 \u00b5s at 1.77408 MHz" in text
    assert "|*" in text  # on line 6 of the screen
    assert machine.screen_text().splitlines()[5].startswith("*")
    assert (machine.cpu.pc, machine.cpu.sp) == (pc, sp)  # back where BASIC was waiting


def test_the_rom_keeps_running_between_commands(machine) -> None:
    """go with no stops runs the ROM at full speed."""
    machine.type("HI")
    text, monitor = session("go\nscreen\n", machine)
    assert "stopped: time limit reached" in text
    assert "HI" in machine.screen_text()


def test_watch_port_ff_and_the_interrupt_latch(machine) -> None:
    text, monitor = session("""
        poke 7F00 3E 04 D3 FF 3A E0 37 C9
        watch out FF
        watch r 37E0
        go 7F00
        go
        go
        go
        go
        """, machine)
    assert "watchpoint #1: OUT 04h to port FFh (by the instruction at 7F02h)" in text
    # the heartbeat bit may be set or not, depending on when the read comes
    assert re.search(r"watchpoint #2: read (00|80)h from 37E0h \(by the instruction at 7F04h\)",
                     text)
    assert "returned from 7F00h" in text
    assert machine.port_ff.value & 0x04  # the motor bit went to the cassette port


def test_step_shows_an_interrupt_when_it_is_taken(machine) -> None:
    machine.cpu.im = 1  # as a program that enabled interrupts leaves the CPU
    machine.cpu.iff1 = machine.cpu.iff2 = 1
    text, monitor = session("trace 3000\n", machine)
    assert "-- interrupt accepted, to 0038h" in text


def test_embedded_go_returns_to_the_frontend(machine) -> None:
    """The frontends' hotkey: cmdloop returns on go; run_for runs with the stops."""
    out = io.StringIO()
    monitor = Monitor(machine, stdin=io.StringIO("poke 7F00 3E 2A 32 00 3C C9\ngo 7F00\n"),
                      stdout=out, embedded=True)
    monitor.cmdloop()
    assert monitor.result == "go"
    assert monitor.wants_control
    stop = None
    for _ in range(10):
        stop = monitor.run_for(29_568)  # a frame at a time, as a window would
        if stop is not None:
            break
    assert stop is not None and stop.kind == "return"
    assert not monitor.wants_control
    monitor.stdin = io.StringIO("quit\n")
    monitor.cmdloop()
    assert "stopped: returned to" in out.getvalue()
    assert monitor.result == "quit"
    assert machine.screen_text().startswith("*")
