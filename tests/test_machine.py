"""The whole Model I: memory map, interrupts, HALT, and the scriptable API.

Devices are exercised by Z80 programs in tests/machine_progs, assembled by
the project's assembler and run on the machine with the project's own ROM.
"""

from __future__ import annotations

import pytest

from tests.machine_progs import run_until_marker, start_program
from z80emu.devices.timing import FRAME_TSTATES, HEARTBEAT_TSTATES, tstates
from z80emu.machines.trs80 import TRS80


def booted(**kwargs) -> TRS80:
    m = TRS80(**kwargs)
    m.wait_for("READY", timeout=2.0)
    return m


def test_top_level_import() -> None:
    import z80emu

    assert z80emu.TRS80 is TRS80


def test_rom_is_write_protected_and_absent_ram_keeps_nothing() -> None:
    m = booted(ram_kb=4)
    start_program(m, "memory")
    run_until_marker(m, 0x4F0F)
    out = m.peek(0x4F00, 6)
    assert out[0] == m.rom.data[0x100]  # ROM unchanged
    # 3000h: nothing there on a Model I (the free ROM may reach into it)
    assert out[1] == (m.rom.data[0x3000] if len(m.rom.data) > 0x3000 else 0xFF)
    assert out[2] == 0xA5  # last byte of 4 KB RAM
    assert out[3] == 0xFF  # 5000h: absent
    assert out[4] == 0xFF  # FFFFh: absent
    assert out[5] == 0x00  # 3800h: no keyboard row selected
    assert m.peek(0x0100) == m.rom.data[0x100]


@pytest.mark.parametrize("ram_kb, top", [(4, 0x4FFF), (16, 0x7FFF), (32, 0xBFFF), (48, 0xFFFF)])
def test_rom_sizes_memory(ram_kb: int, top: int) -> None:
    m = booted(ram_kb=ram_kb)
    assert int.from_bytes(m.peek(0x40B1, 2), "little") == top
    assert f"{ram_kb}K RAM" in m.screen_text()


def test_heartbeat_latch_and_interrupt() -> None:
    m = booted()
    start_program(m, "heartbeat")
    begin = m.cpu.cycles
    run_until_marker(m, 0x600F, seconds=3.0)
    assert m.peek(0x6000) == 10  # ten heartbeats polled
    assert m.peek(0x6001) & 0x80 == 0  # reading the latch cleared bit 7
    assert m.peek(0x6002) == 20  # twenty interrupts through 0038h -> 4012h
    # 10 polled + 20 interrupts take about 30 x 25 ms of emulated time
    elapsed = m.cpu.cycles - begin
    # (the first beat may come a few T-states after the start: phase)
    assert 28.9 * HEARTBEAT_TSTATES <= elapsed <= 31 * HEARTBEAT_TSTATES


def test_rom_heartbeat_handler_counts_ticks() -> None:
    m = booted()
    before = m.peek(0x4040)
    m.run(seconds=0.2)
    assert m.peek(0x4040) == before  # interrupts are off, as in Level II
    m.poke(0x7000, bytes([0xFB, 0x18, 0xFE]))  # a program that enables them: EI; JR $
    m.cpu.pc = 0x7000
    m.run(seconds=1.0)
    assert (m.peek(0x4040) - before) & 0xFF in (39, 40, 41)  # the ROM's handler at 4012h


def test_bare_model_i_raises_no_interrupt() -> None:
    m = booted(expansion=False)
    start = m.peek(0x4040)
    m.run(seconds=0.5)
    assert m.peek(0x4040) == start
    assert not m.cpu.int_line
    assert m.latch is None
    assert m.peek(0x37E0) == 0xFF


def test_halt_acts_as_the_reset_button() -> None:
    m = booted()
    m.poke(0x5000, bytes([0xF3, 0x76]))  # DI; HALT
    m.video.clear()
    m.cpu.pc = 0x5000
    m.run(tstates=FRAME_TSTATES * 2)
    assert not m.cpu.halted
    m.wait_for("READY", timeout=1.0)  # the ROM's NMI handler started again


def test_reset_button_is_an_nmi() -> None:
    m = booted()
    m.type("XYZ")
    m.run(seconds=0.3)
    assert "XYZ" in m.screen_text()
    m.reset()
    m.run(seconds=0.1)
    assert "XYZ" not in m.screen_text()
    assert "READY" in m.screen_text()


def test_run_arguments() -> None:
    m = TRS80()
    assert m.run(tstates=1000) >= 1000
    assert m.run(frames=2) >= 2 * FRAME_TSTATES
    assert m.run(seconds=0.01) >= tstates(0.01)
    with pytest.raises(TypeError):
        m.run()
    with pytest.raises(TypeError):
        m.run(seconds=1, frames=1)


def test_wait_for_timeout_names_the_screen() -> None:
    m = booted()
    with pytest.raises(TimeoutError, match="READY"):
        m.wait_for("NOT THERE", timeout=0.1)


def test_peek_poke_and_code_changes() -> None:
    m = booted()
    # LD A,41h; LD (3C00h),A; JR $  -- poked while the CPU has translated code
    m.poke(0x7F00, bytes.fromhex("3E41 32003C 18FE"))
    assert m.peek(0x7F00, 3) == bytes.fromhex("3E4132")
    m.cpu.pc = 0x7F00
    m.run(tstates=100)
    assert m.screen_text()[0] == "A"
    m.poke(0x7F01, 0x42)  # change the code it already ran
    m.cpu.pc = 0x7F00
    m.run(tstates=100)
    assert m.screen_text()[0] == "B"
    m.poke(0x0000, 0x00)  # ROM stays
    assert m.peek(0) == m.rom.data[0]
    m.poke(0x3C01, 0x01)  # video RAM through the bit-6 gate
    assert m.peek(0x3C01) == 0x41


def test_load_hex_cmd_and_raw(tmp_path) -> None:
    from z80emu.formats import Segment
    from z80emu.formats.cmd import write_cmd
    from z80emu.formats.ihex import write_ihex

    code = bytes.fromhex("3E4F 32003C 3E4B 32013C 18FE")  # show "OK", loop
    m = booted()
    hexfile = tmp_path / "ok.hex"
    hexfile.write_text(write_ihex([Segment(0x7000, code)], 0x7000))
    program = m.load(hexfile)
    assert program.entry == 0x7000 and m.cpu.pc == 0x7000
    m.run(seconds=0.01)
    assert m.screen_text().startswith("OK")

    m = booted()
    cmdfile = tmp_path / "ok.cmd"
    cmdfile.write_bytes(write_cmd([Segment(0x7100, code)], 0x7100, "OK"))
    m.load(cmdfile)
    m.run(seconds=0.01)
    assert m.screen_text().startswith("OK") and m.cpu.pc >= 0x7100

    m = booted()
    raw = tmp_path / "ok.bin"
    raw.write_bytes(code)
    with pytest.raises(ValueError, match="load address"):
        m.load(raw)
    m.load(raw, address=0x7200)
    m.run(seconds=0.01)
    assert m.screen_text().startswith("OK")


def test_load_bad_cmd_gives_clear_error(tmp_path) -> None:
    from z80emu.formats import FormatError

    bad = tmp_path / "bad.cmd"
    bad.write_bytes(bytes([0x01, 0x10, 0x00, 0x70, 0x01]))  # load block cut short
    m = booted()
    with pytest.raises(FormatError, match="bad.cmd"):
        m.load(bad)


def test_screenshot_of_machine(tmp_path) -> None:
    from PIL import Image

    m = booted()
    path = tmp_path / "boot.png"
    m.screenshot(path)
    assert Image.open(path).size == (384, 192)
    assert m.screen.shape == (192, 384) and m.screen.any()


def test_speed_throttle_keeps_real_time() -> None:
    import time

    m = booted()
    m.speed = 1.0
    t0 = time.perf_counter()
    m.run(seconds=0.2)
    elapsed = time.perf_counter() - t0
    assert elapsed >= 0.15  # held back to about real time
    m.speed = None


def test_port_ff_cassette_bits_and_flipflop() -> None:
    m = booted()
    events = []
    m.port_ff.listener = lambda level, motor, t: events.append((level, motor, t))
    # OUT (FFh) with 05h (high, motor) then 06h (low, motor); IN A,(FFh) to 6000h; loop
    prog = bytes.fromhex("F3 3E05 D3FF 3E06 D3FF DBFF 320060 18FE")
    m.poke(0x5000, prog)
    m.cpu.pc = 0x5000
    m.port_ff.pulse()  # a pulse from the tape before the OUTs: cleared by them
    m.run(tstates=200)
    assert [(level, motor) for level, motor, _ in events] == [(1, True), (2, True)]
    assert events[0][2] < events[1][2]  # times in T-states, in order
    assert m.peek(0x6000) == 0x7F  # flip-flop clear, 64 columns
    m.port_ff.pulse()
    assert m.bus.io_read(0xFF) == 0xFF
