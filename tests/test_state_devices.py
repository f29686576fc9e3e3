"""Save states with every device in motion: a character half sent on the RS-232-C
board at 300 baud to the TermiNet, a line half printed on the parallel port, a
tape half played and a recording half made. The original and the restored
machine then run the same T-states and must agree on memory, CPU, devices and
what the printers and the tape produced. Also: the end of a session writes out
a recording still in progress (the API, ``z80emu run`` and the pygame window).
"""

from __future__ import annotations

import json
import logging
import zipfile

import pytest
from click.testing import CliRunner

from tests.printhelp import DONE as PRINT_DONE
from tests.printhelp import load, table_program
from tests.test_load_tape import BUFFER, DONE, seconds_for, start
from z80emu.devices.rs232 import TICKS_PER_T
from z80emu.devices.timing import tstates
from z80emu.formats import Segment
from z80emu.formats.cas import write_system_cas
from z80emu.machines.state import StateError, read_state
from z80emu.machines.trs80 import TRS80

TEXT = b"HELLO FROM THE MODEL I\r\nA SECOND LINE\r\nAND A THIRD"
CAS = write_system_cas([Segment(0x5000, bytes(range(120)))], 0x5000, "HALF")


def booted(**kwargs) -> TRS80:
    m = TRS80(**kwargs)
    m.wait_for("READY", timeout=2.0)
    return m


def devices(m: TRS80) -> tuple:
    return (bytes(m.memory), m.cpu.get_state(), m.keyboard.get_state(),
            m.port_ff.get_state(), m.latch.get_state(), m.rs232.get_state(),
            m.printer_port.get_state(), m.tape.get_state(), bytes(m.tape.recording),
            m.printer and m.printer.get_state(), m.terminet and m.terminet.get_state())


def printed_since(printer, lines_before: int) -> tuple:
    return printer.paper.lines[lines_before:], printer.current_layers(), printer.column


def test_mid_character_on_the_rs232_and_mid_line_on_the_printer(tmp_path) -> None:
    m = booted(serial="terminet")
    # Each character goes to the UART and to the parallel printer.
    load(m, table_program(TEXT).replace("OUT     (0EBH),A\n",
                                        "OUT     (0EBH),A\n        LD      (37E8H),A\n"))
    m.run(tstates=59_136 * 5 + 29_568)  # five characters and a half at 300 baud
    board = m.rs232
    left = board.get_state()["tx_end"] - m.cpu.cycles * TICKS_PER_T
    assert board.get_state()["tsr"] is not None and 0 < left < 59_136 * TICKS_PER_T
    assert m.printer.current_line() and m.terminet.current_line()
    path = tmp_path / "mid.z80state"
    m.save_state(path)
    saved = devices(m)
    lines = (len(m.printer.paper.lines), len(m.terminet.paper.lines))
    arrivals = len(m.terminet.arrivals)

    other = booted(serial="terminet")
    other.run(seconds=0.3)  # somewhere else entirely
    other.load_state(path)
    assert devices(other) == saved

    run = tstates(2.5)
    m.run(tstates=run)
    other.run(tstates=run)
    assert m.memory[PRINT_DONE] == 0xAA  # all of TEXT went out
    assert devices(other) == devices(m)
    assert printed_since(other.printer, 0) == printed_since(m.printer, lines[0])
    assert printed_since(other.terminet, 0) == printed_since(m.terminet, lines[1])
    assert list(other.terminet.arrivals) == list(m.terminet.arrivals)[arrivals:]
    assert m.terminet.text.endswith("AND A THIRD")


def test_mid_tape_playing(tmp_path) -> None:
    m = booted()
    m.tape.insert(CAS, "HALF")
    payload = len(CAS) - 257
    start(m, "tape_read", payload)
    m.run(seconds=seconds_for(CAS) / 2)
    assert m.tape.motor and 0.2 < m.tape.position < 0.8
    path = tmp_path / "tape.z80state"
    m.save_state(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.read("tape.cas") == CAS

    other = booted()  # no tape in its deck: the state brings it
    other.load_state(path)
    assert devices(other) == devices(m) and other.tape.name == "HALF"
    run = tstates(seconds_for(CAS))
    m.run(tstates=run)
    other.run(tstates=run)
    assert m.peek(DONE) == 0xAA and m.peek(BUFFER, payload) == CAS[257:]
    assert devices(other) == devices(m)


def start_recording(m: TRS80, seconds: float = 5.5, cas: bytes = CAS) -> None:
    """Start writing ``cas`` to tape as CSAVE does (CAS takes about 6.7 s in
    all) and stop the run after ``seconds``: past the 256-byte leader, before
    the end."""
    m.poke(BUFFER, cas)
    start(m, "tape_write", len(cas))
    m.run(seconds=seconds)
    assert m.tape.motor


def test_mid_tape_recording(tmp_path) -> None:
    m = booted()
    start_recording(m)
    path = tmp_path / "rec.z80state"
    m.save_state(path)
    other = booted()
    other.load_state(path)
    assert devices(other) == devices(m)
    run = tstates(seconds_for(CAS))
    m.run(tstates=run)
    other.run(tstates=run)
    assert m.peek(DONE) == 0xAA and not m.tape.motor
    assert bytes(other.tape.recording) == bytes(m.tape.recording) == CAS
    assert devices(other) == devices(m)
    with zipfile.ZipFile(path) as archive:
        assert "recording.cas" not in archive.namelist()  # nothing finished yet
    finished = tmp_path / "done.z80state"
    m.save_state(finished)
    assert read_state(finished)[2]["recording.cas"] == CAS


def check_unchanged(m: TRS80, path, message: str) -> None:
    before = devices(m)
    with pytest.raises(StateError, match=message):
        m.load_state(path)
    assert devices(m) == before


def rewrite(path, out, change) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    state = json.loads(members["state.json"])
    change(state, members)
    members["state.json"] = json.dumps(state).encode()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_bad_device_fields_change_nothing(tmp_path) -> None:
    m = booted(serial="terminet")
    m.tape.insert(CAS)
    m.printer_port.write(ord("X"))
    good = tmp_path / "good.z80state"
    m.save_state(good)
    m.printer_port.write(ord("Y"))  # the machine moves on; loading must not touch it
    m.run(seconds=0.1)

    cases = {
        "no-tape": lambda s, mem: mem.pop("tape.cas"),
        "past-end": lambda s, mem: s["devices"]["tape"].update(index=10**9),
        "bits": lambda s, mem: s["devices"]["tape"]["decoder"].update(bits="012"),
        "uart": lambda s, mem: s["devices"]["rs232"].pop("tx_frame"),
        "port": lambda s, mem: s["devices"]["printer_port"].update(data="x"),
        "terminet": lambda s, mem: s["devices"]["printers"]["serial"].update(lf_run="x"),
        "no-rs232": lambda s, mem: s["devices"].pop("rs232"),
    }
    for name, change in cases.items():
        bad = tmp_path / f"{name}.z80state"
        rewrite(good, bad, change)
        check_unchanged(m, bad, "does not fit")
    assert m.printer.current_line() == "XY"


def test_version_1_states_still_load_and_older_ones_are_named(tmp_path) -> None:
    m = booted()
    m.run(seconds=0.05)
    good = tmp_path / "good.z80state"
    m.save_state(good)

    def as_version_1(state, members) -> None:
        state["version"] = 1
        for name in ("rs232", "printer_port", "tape", "printers"):
            del state["devices"][name]

    old = tmp_path / "v1.z80state"
    rewrite(good, old, as_version_1)
    other = booted()
    other.load_state(old)
    assert bytes(other.memory) == bytes(m.memory)
    assert other.cpu.get_state() == m.cpu.get_state()

    ancient = tmp_path / "v0.z80state"
    rewrite(good, ancient, lambda s, mem: s.update(version=0))
    check_unchanged(other, ancient, "made by an older z80emu")


def test_printer_state_goes_only_into_a_printer_of_its_kind(tmp_path) -> None:
    m = booted()
    m.printer_port.write(ord("A"))
    path = tmp_path / "p.z80state"
    m.save_state(path)
    other = booted(printer=None)
    other.load_state(path)  # nothing on its parallel port: nothing to restore
    assert other.printer is None
    wide = booted()
    wide.printer.width = 10
    wide.load_state(path)
    assert wide.printer.current_layers() == ["A" + " " * 9]


# -- the end of a session ------------------------------------------------------------------


def test_close_writes_a_recording_in_progress(tmp_path, caplog) -> None:
    m = booted()
    out = tmp_path / "partial.cas"
    m.tape.record_path = str(out)
    start_recording(m)
    state = m.tape.get_state()
    with caplog.at_level(logging.WARNING):
        m.close()
        m.close()  # twice: written and reported once
    written = out.read_bytes()
    assert 260 < len(written) < len(CAS) and CAS.startswith(written)
    assert [r.message for r in caplog.records].count(
        f"{out}: the cassette motor was still on at the end; what was recorded so far "
        f"is written, and may be incomplete") == 1
    assert m.tape.get_state() == state  # the deck itself is as it was


def test_close_without_a_recording_writes_nothing(tmp_path) -> None:
    m = booted()
    m.tape.record_path = str(tmp_path / "none.cas")
    m.tape.insert(CAS)
    m.port_ff.write(0x04)  # the motor on, playing, nothing written by the CPU
    m.run(seconds=0.5)
    m.close()
    assert not (tmp_path / "none.cas").exists()


def test_z80emu_run_writes_the_recording_when_it_quits_with_the_motor_on(tmp_path) -> None:
    from z80emu.run_cmd import run_command

    m = booted()
    start_recording(m)
    state = tmp_path / "recording.z80state"
    m.save_state(state)
    out = tmp_path / "out.cas"
    result = CliRunner().invoke(run_command, [
        "--frontend", "headless", "--load-state", str(state), "--record", str(out),
        "--seconds", "0.3"])
    assert result.exit_code == 0, result.output
    written = out.read_bytes()
    assert 260 < len(written) < len(CAS) and CAS.startswith(written)


def test_closing_the_window_writes_the_recording(tmp_path, monkeypatch) -> None:
    pygame = pytest.importorskip("pygame", reason="pygame-ce is not installed")
    from z80emu.frontends.pygame_ui import PygameFrontend
    from z80emu.frontends.session import Session

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    m = booted()
    out = tmp_path / "window.cas"
    m.tape.record_path = str(out)
    long = write_system_cas([Segment(0x5000, bytes(range(256)) * 16)], 0x5000, "LONG")
    start_recording(m, cas=long)  # about 70 s of tape: the window closes long before
    frontend = PygameFrontend(Session(m, 1.0, state_file=tmp_path / "m.state"))
    frontend.open()
    frames = []
    real_step = frontend.session.step

    def step() -> bool:
        frames.append(1)
        if len(frames) == 5:
            pygame.event.post(pygame.event.Event(pygame.QUIT))
        return real_step()

    frontend.session.step = step
    frontend.session.pacer.turbo = True
    frontend.run()
    assert m.tape.motor  # quit in the middle of the recording
    written = out.read_bytes()
    assert 260 < len(written) < len(long) and long.startswith(written)
