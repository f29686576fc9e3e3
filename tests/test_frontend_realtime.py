"""Real-time pacing and the frontends' shared session, with a fake clock: no
drift, dropped frames instead of a slower machine, slips only when the host
cannot keep up at all, max speed, turbo, fast pasting and pausing.

Nothing here measures real time: the clock only moves when the pacer sleeps
or the fake machine "costs" time, so every result is exact.
"""

from __future__ import annotations

import io
import sys
import types

import pytest

from z80emu.devices.timing import CLOCK_HZ, FRAME_TSTATES
from z80emu.frontends import choose_frontend, frontend_module, has_display
from z80emu.frontends.realtime import FakeClock, Pacer, speed_label
from z80emu.frontends.session import Session, host_text, next_free_path


class FakeMachine:
    """Runs instantly, or costs ``cost`` wall seconds per emulated second."""

    def __init__(self, clock: FakeClock, cost: float = 0.0, overshoot: int = 0) -> None:
        self.clock = clock
        self.cost = cost
        self.overshoot = overshoot  # T-states run past the target, as whole instructions do
        self.typing = False
        self.ran = 0

    def run(self, tstates: int) -> int:
        done = tstates + self.overshoot
        self.ran += done
        self.clock.advance(done / CLOCK_HZ * self.cost)
        return done


def make(speed=1.0, cost=0.0, overshoot=0, **kw):
    clock = FakeClock()
    machine = FakeMachine(clock, cost, overshoot)
    pacer = Pacer(machine, speed, clock=clock.clock, sleep=clock.sleep,
                  process_clock=clock.clock, **kw)
    return clock, machine, pacer


def loop(pacer: Pacer, frames: int, draw_cost: float = 0.0, clock: FakeClock | None = None):
    for _ in range(frames):
        if pacer.advance() and clock is not None:
            clock.advance(draw_cost)
        pacer.wait()


def test_no_drift_over_ten_minutes() -> None:
    clock, machine, pacer = make(overshoot=7)
    loop(pacer, 36_000)
    # Ten minutes of wall time, ten minutes of Model I, to the instruction.
    assert clock.now == pytest.approx(600.0, abs=1e-6)
    assert abs(pacer.tstates - 600 * CLOCK_HZ) <= 7
    assert pacer.dropped == 0 and pacer.slips == 0


def test_sleep_errors_do_not_accumulate() -> None:
    clock, machine, pacer = make()

    def sleepy(seconds: float) -> None:  # every sleep oversleeps by 2 ms
        clock.sleep(seconds + 0.002)

    pacer._sleep = sleepy
    loop(pacer, 6000)
    assert pacer.tstates == 6000 * FRAME_TSTATES
    assert clock.now == pytest.approx(100.0, abs=0.003)  # one oversleep, not 6000


def test_busy_host_drops_frames_and_keeps_speed() -> None:
    # Emulating costs half a frame, drawing 0.7 of one: drawing every frame is too slow.
    clock, machine, pacer = make(cost=0.5)
    loop(pacer, 600, draw_cost=0.7 / 60, clock=clock)
    assert pacer.dropped > 0
    assert pacer.slips == 0
    assert pacer.tstates == 600 * FRAME_TSTATES
    assert clock.now == pytest.approx(10.0, abs=0.02)  # the machine kept its speed
    assert pacer.drawn + pacer.dropped == pacer.frames == 600


def test_at_least_one_frame_in_max_skip_is_drawn() -> None:
    clock, machine, pacer = make(cost=0.9, max_skip=3)
    drawn_in_a_row = []
    run = 0
    for _ in range(300):
        if pacer.advance():
            drawn_in_a_row.append(run)
            run = 0
            clock.advance(0.5 / 60)
        else:
            run += 1
        pacer.wait()
    assert max(drawn_in_a_row) <= 3


def test_host_too_slow_slips_instead_of_racing() -> None:
    clock, machine, pacer = make(cost=2.0)  # two wall seconds per emulated second
    loop(pacer, 600)
    assert pacer.slips > 0
    # Half speed, and no burst afterwards: emulated time is about half the wall time.
    assert pacer.tstates / CLOCK_HZ == pytest.approx(clock.now / 2, rel=0.02)


def test_speed_n_and_max() -> None:
    clock, machine, pacer = make(speed=3.0)
    loop(pacer, 120)
    assert clock.now == pytest.approx(2.0)
    assert pacer.tstates == 3 * 2 * CLOCK_HZ
    clock, machine, pacer = make(speed=None, cost=0.05)  # a host 20 times a Model I
    loop(pacer, 60)
    assert clock.sleeps == 0
    assert pacer.tstates / CLOCK_HZ == pytest.approx(20 * clock.now, rel=0.05)


def test_turbo_and_back_without_catching_up() -> None:
    clock, machine, pacer = make(cost=0.1)
    loop(pacer, 60)
    assert pacer.toggle_turbo() is True
    assert pacer.effective_speed is None
    loop(pacer, 30)
    assert pacer.toggle_turbo() is False
    at_wall, at_t = clock.now, pacer.tstates
    loop(pacer, 60)
    # After turbo the real-time pace restarts from that moment: one second is one second.
    assert pacer.tstates - at_t == CLOCK_HZ
    assert clock.now - at_wall == pytest.approx(1.0, abs=1e-6)


def test_paste_runs_at_max_until_the_typing_queue_is_empty() -> None:
    clock, machine, pacer = make(cost=0.1)
    machine.typing = True
    pacer.type_fast()
    assert pacer.effective_speed is None
    loop(pacer, 5)
    assert clock.sleeps == 0
    machine.typing = False
    assert pacer.effective_speed == 1.0
    assert pacer.fast_typing is False
    machine.typing = True  # keys typed later do not bring the full speed back
    assert pacer.effective_speed == 1.0


def test_pause_runs_nothing_and_resume_does_not_catch_up() -> None:
    clock, machine, pacer = make()
    loop(pacer, 60)
    pacer.pause()
    before = pacer.tstates
    loop(pacer, 30)
    assert pacer.tstates == before
    pacer.resume()
    start = clock.now
    loop(pacer, 60)
    assert pacer.tstates - before == CLOCK_HZ
    assert clock.now - start == pytest.approx(1.0, abs=1e-6)


def test_measured_mhz() -> None:
    clock, machine, pacer = make(speed=2.0)
    loop(pacer, 120)
    assert pacer.mhz == pytest.approx(2 * CLOCK_HZ / 1e6, rel=0.01)
    assert speed_label(2.0) == "2x" and speed_label(None) == "max"


def test_bad_speeds_refused() -> None:
    with pytest.raises(ValueError):
        make(speed=0)
    clock, machine, pacer = make()
    with pytest.raises(ValueError):
        pacer.set_speed(-1)


# -- choosing a frontend --------------------------------------------------------------

def test_choose_frontend() -> None:
    assert has_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not has_display({}, "linux")
    assert not has_display({}, "freebsd14")
    assert has_display({}, "darwin") and has_display({}, "win32")
    assert choose_frontend({}, "linux") == "terminal"
    assert choose_frontend({"DISPLAY": ":0"}, "linux") in ("pygame", "terminal")
    assert frontend_module("terminal") == "z80emu.frontends.terminal"


def test_choose_frontend_without_pygame(monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pygame" else real(name, *a))
    assert choose_frontend({"DISPLAY": ":0"}, "linux") == "terminal"


# -- the session ----------------------------------------------------------------------

def test_host_text() -> None:
    assert host_text("10 print a\r\n20 end\n") == "10 PRINT A\r20 END\r"
    assert host_text("a\tb") == "A B"
    assert host_text("Mixed Case", lowercase=True) == "Mixed Case"


def test_next_free_path(tmp_path) -> None:
    assert next_free_path("z80emu", ".png", tmp_path).name == "z80emu-001.png"
    (tmp_path / "z80emu-001.png").write_bytes(b"")
    assert next_free_path("z80emu", ".png", tmp_path).name == "z80emu-002.png"


@pytest.fixture
def session(tmp_path):
    from z80emu.machines.trs80 import TRS80

    machine = TRS80()
    machine.wait_for("READY", timeout=2.0)
    notes: list[str] = []
    s = Session(machine, 1.0, state_file=tmp_path / "m.state", notify=notes.append)
    s.notes = notes
    return s


def test_session_paste_types_uppercase_at_full_speed(session) -> None:
    session.paste("hello\nworld\n")
    assert session.pacer.fast_typing and session.machine.typing
    assert session.speed_text() == "pasting"
    session.machine.run(seconds=2.0)
    text = session.copy_text()
    assert ">HELLO\n" in text and ">WORLD\n" in text  # typed at BASIC's > prompt
    assert not text.endswith("\n\n")
    assert session.pacer.effective_speed == 1.0
    assert any("pasting" in n for n in session.notes)


def test_session_paste_keeps_case_with_the_lowercase_mod(tmp_path) -> None:
    from z80emu.machines.trs80 import TRS80

    machine = TRS80(lowercase=True)
    machine.wait_for("READY", timeout=2.0)
    s = Session(machine, 1.0, notify=lambda m: None)
    s.paste("Hello")
    machine.wait_for("Hello", timeout=2.0)


def test_full_speed_while_the_tape_motor_runs(session, monkeypatch) -> None:
    from z80emu.machines.trs80 import TRS80

    assert session.pacer.effective_speed == 1.0
    monkeypatch.setattr(TRS80, "tape_running_fast", property(lambda self: True))
    assert session.pacer.effective_speed is None
    assert session.speed_text() == "tape"


def test_session_state_screenshot_and_turbo(session, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    session.load_state()
    assert "no saved state" in session.notes[-1]
    session.type_keys("first")
    session.machine.wait_for("FIRST", timeout=2.0)
    session.save_state()
    assert (tmp_path / "m.state").exists()
    session.type_keys("\rsecond")
    session.machine.wait_for("SECOND", timeout=2.0)
    session.load_state()
    assert "SECOND" not in session.machine.screen_text()
    path = session.screenshot()
    assert path is not None and path.name == "z80emu-001.png" and path.exists()
    session.toggle_turbo()
    assert session.speed_text() == "turbo"
    assert session.status().startswith(session.machine.rom.name)


def test_session_without_a_monitor(session, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "z80emu.monitor", types.ModuleType("z80emu.monitor"))
    assert session.open_monitor() is None
    assert session.run_monitor() is False
    assert "not available" in session.notes[-1]
    assert not session.pacer.paused


def test_session_runs_the_monitor_until_go(session) -> None:
    pytest.importorskip("z80emu.monitor")
    out = io.StringIO()
    session.monitor_io = (io.StringIO("poke 7000 3E 41\ngo\n"), out)
    paused = []
    assert session.run_monitor(before=lambda: paused.append(session.pacer.paused))
    assert paused == [True]
    assert session.machine.peek(0x7000, 2) == b"\x3e\x41"
    assert not session.pacer.paused and "back from the monitor" in session.notes[-1]


def test_a_breakpoint_stops_the_running_machine(session) -> None:
    pytest.importorskip("z80emu.monitor")
    machine = session.machine
    # 5000: DI; 5001: LD A,1; 5003: OUT (FFh),A; 5005: JR 5001
    machine.poke(0x5000, bytes.fromhex("F3 3E01 D3FF 18FA"))
    machine.cpu.pc = 0x5000
    out = io.StringIO()
    session.monitor_io = (io.StringIO("break 5003\ngo\nregs\ngo\n"), out)
    session.run_monitor()
    session.pacer.set_speed(None)            # max speed: nothing sleeps
    for _ in range(10):
        session.step()
        if session.monitor_stop is not None:
            break
    assert session.monitor_stop is not None and machine.cpu.pc == 0x5003
    ran = session.pacer.tstates
    session.step()                           # stopped: nothing runs until the monitor
    assert session.pacer.tstates == ran
    session.run_monitor()
    assert session.monitor_stop is None
    assert "5003" in out.getvalue()


def test_session_close_closes_the_machine(session) -> None:
    closed = []
    session.machine.close = lambda: closed.append(True)
    session.close()
    assert closed == [True] and not session.running
