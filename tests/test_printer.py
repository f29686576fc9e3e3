"""Paper and printers: the write-through text record (surviving a SIGKILL
mid-page), rendering it to PDF (whose extracted text matches the record) and
PNG pages, the parallel port at 37E8h with the generic line printer, and the
``z80emu printer`` and ``z80emu run --printer/--serial`` commands.

Level II's LPRINT needs the Level II ROM, which tests do not have, and the
project's ROM has no BASIC yet: the parallel-port tests drive the printer the
way LPRINT's character path ends, through 003Bh, the printer DCB and the ROM's
own printer driver at 058Dh, from Z80 test programs.
"""

from __future__ import annotations

import doctest
import importlib
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from tests.printhelp import DONE, REPO, load, load_driver, lprint_program, run_to_done
from z80emu.cli import main
from z80emu.devices.printer_port import BUSY, ParallelPort
from z80emu.devices.timing import CLOCK_HZ
from z80emu.machines.trs80 import TRS80
from z80emu.printers import LinePrinter, Paper, TermiNet300
from z80emu.printers.paper import parse_record
from z80emu.printers.render import Form, paginate, render, render_images, render_pdf

MODULES = [
    "z80emu.printers.paper", "z80emu.printers.mechanism", "z80emu.printers.terminet",
    "z80emu.printers.lineprinter", "z80emu.printers.render", "z80emu.devices.rs232",
    "z80emu.devices.printer_port", "z80emu.links", "z80emu.links.base",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


# -- the paper record -----------------------------------------------------------------------

def test_each_line_is_on_disk_as_soon_as_the_paper_moves(tmp_path) -> None:
    path = tmp_path / "paper.txt"
    tn = TermiNet300(Paper(path))
    for byte in b"FIRST LINE\r\nSECOND":
        tn.receive(byte)
    assert path.read_bytes() == b"FIRST LINE\n"  # the second is still on the platen
    for byte in b"\r\x0c":
        tn.receive(byte)
    assert path.read_bytes() == b"FIRST LINE\nSECOND\n"
    tn.close()
    assert path.read_bytes() == b"FIRST LINE\nSECOND\n\f"
    again = TermiNet300(Paper(path))
    assert again.paper.appending
    for byte in b"PAGE TWO\r\n":
        again.receive(byte)
    again.close()
    text = path.read_text("latin-1")
    assert text == "FIRST LINE\nSECOND\n\fPAGE TWO\n"
    assert [ff for ff, _ in parse_record(text)] == [0, 0, 1]


def test_appending_to_a_record_cut_short_starts_a_new_line(tmp_path) -> None:
    path = tmp_path / "paper.txt"
    path.write_bytes(b"HALF A LI")
    paper = Paper(path, sync="fsync")
    paper.feed(["NEXT"])
    paper.close()
    assert path.read_bytes() == b"HALF A LI\nNEXT\n"
    with pytest.raises(ValueError):
        Paper(sync="sometimes")


def test_close_prints_the_last_partial_line_and_renders(tmp_path) -> None:
    lp = LinePrinter(Paper(tmp_path / "listing.pdf"))
    for byte in b"10 PRINT \"HI\"\r20 END":
        lp.receive(byte)
    lp.close()
    assert (tmp_path / "listing.txt").read_text() == '10 PRINT "HI"\n20 END\n'
    assert (tmp_path / "listing.pdf").read_bytes().startswith(b"%PDF")
    lp.close()  # twice is harmless


KILL_SCRIPT = r"""
import sys
from tests.printhelp import load, load_driver, lprint_program
from z80emu.machines.trs80 import TRS80

m = TRS80(serial="terminet:out=" + sys.argv[1])
m.wait_for("READY", timeout=2.0)
load_driver(m)
program = lprint_program(b"THE QUICK BROWN FOX 0123456789\r")
load(m, program.replace("JR      NZ,LOOP", "JR      NZ,LOOP\n        JR      START"))
print("printing", flush=True)
m.run(seconds=100000)
"""


def test_the_record_survives_sigkill_mid_page(tmp_path) -> None:
    path = tmp_path / "paper.txt"
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(path)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        give_up = time.monotonic() + 120
        while time.monotonic() < give_up:
            if path.exists() and path.read_bytes().count(b"\n") >= 6:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.05)
        else:
            pytest.fail("the printer never printed six lines")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    data = path.read_bytes()
    lines = data.split(b"\n")
    assert lines[-1] == b""  # every line on disk is whole
    assert len(lines) - 1 >= 6
    assert set(lines[:-1]) == {b"THE QUICK BROWN FOX 0123456789"}
    assert len(lines) - 1 < 66  # killed mid-page


# -- rendering ----------------------------------------------------------------------------------

def terminet_record(tmp_path) -> str:
    """A real record: the driver printing through the board on the TermiNet."""
    m = TRS80(serial=f"terminet:out={tmp_path / 'paper.txt'}")
    m.wait_for("READY", timeout=2.0)
    load_driver(m)
    text = b"".join(b"%2d  GE TERMINET 300 ON THE RS-232-C BOARD\r" % i for i in range(1, 5))
    load(m, lprint_program(text + b"  N   N*N\r  2     4\r\x0cPAGE TWO\r"))
    run_to_done(m, seconds=60)
    m.run(seconds=3)
    m.close()
    return (tmp_path / "paper.txt").read_text("latin-1")


def test_pdf_text_matches_the_record(tmp_path) -> None:
    from pypdf import PdfReader

    record = terminet_record(tmp_path)
    out = tmp_path / "paper.pdf"
    pages = render_pdf(record, out)
    assert pages == 2
    reader = PdfReader(str(out))
    assert len(reader.pages) == 2
    expected = [[layers[0] for layers in page] for page in
                paginate(parse_record(record), Form())]
    for page, lines in zip(reader.pages, expected):
        got = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        assert got == [line.strip() for line in lines if line.strip()]
    width, height = (float(x) for x in reader.pages[0].mediabox.upper_right)
    assert (width, height) == (14.875 * 72, 11 * 72)  # 118 columns on 14 7/8 x 11 in forms
    assert reader.metadata.creator == "z80emu"


def test_pages_break_at_the_form_length_and_at_form_feeds() -> None:
    record = "".join(f"LINE {i}\n" for i in range(100)) + "\fNEW PAGE\n\f"
    pages = paginate(parse_record(record), Form(form_length=66))
    assert [len(p) for p in pages] == [66, 34, 1]
    assert pages[2] == [["NEW PAGE"]]


def test_png_pages(tmp_path) -> None:
    record = "HELLO\r_____\n" + "\n" * 70 + "LAST\n"
    paths = render(_write(tmp_path / "r.txt", record), tmp_path / "out.png", dpi=50)
    assert [os.path.basename(p) for p in paths] == ["out-1.png", "out-2.png"]
    from PIL import Image

    with Image.open(paths[0]) as image:
        assert image.size == (round(14.875 * 50), 11 * 50)
        # green bar: the first band is shaded, the next plain
        assert image.getpixel((image.width // 2, 5))[1] > image.getpixel(
            (image.width // 2, 5))[0]
    plain = render_images(record, Form(green_bar=False, columns=80), dpi=50)[0]
    assert plain.size == (round(9.5 * 50), 550)  # 80 columns: 9 1/2 inch forms
    wide = render_images("X" * 140 + "\n", Form(), dpi=20)[0]
    assert wide.width == round(15.5 * 20)  # widened for a longer line


def test_paper_strip_for_a_frontend() -> None:
    from z80emu.printers.render import paper_strip

    tn = TermiNet300()
    seen = []
    tn.listeners.append(lambda printer: seen.append(printer.current_line()))
    for byte in b"ONE\r\nTWO\r\nTHR":
        tn.receive(byte)
    assert seen[-1] == "THR" and tn.current_layers() == ["THR" + " " * 115]
    image = paper_strip(tn, lines=10, dpi=40)
    assert image.size == (round(14.875 * 40), round(10 / 6 * 40))
    dark = [image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)]
    assert min(sum(p) for p in dark) < 420  # ink on it (darker than the holes)


def _write(path, text: str):
    path.write_bytes(text.encode("latin-1"))
    return path


def test_render_command(tmp_path) -> None:
    record = _write(tmp_path / "r.txt", "A\nB\n")
    result = CliRunner().invoke(main, ["printer", "render", str(record), "-o",
                                       str(tmp_path / "r.pdf"), "--plain"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    bad = CliRunner().invoke(main, ["printer", "render", str(record), "-o", "r.doc"])
    assert bad.exit_code != 0 and "must end in .pdf or .png" in bad.output


# -- the parallel port ------------------------------------------------------------------------

LPRINT_ROM = f"""
        ORG     6000H
START:  LD      HL,TEXT
NEXT:   LD      A,(HL)
        OR      A
        JR      Z,DONE
        PUSH    HL
        CALL    003BH           ; to the printer DCB: the ROM's driver, 37E8h
        POP     HL
        INC     HL
        JR      NEXT
DONE:   LD      A,0AAH
        LD      ({DONE}),A
STOP:   JR      STOP
TEXT:   DB      "10 LPRINT ",22H,"HELLO",22H,0DH,"20 END",0DH,0AH,0AH,0
        END     START
"""


def test_parallel_printer_through_the_roms_driver(tmp_path) -> None:
    m = TRS80(printer=tmp_path / "lp.txt")
    m.wait_for("READY", timeout=2.0)
    assert m.peek(0x37E8) is not None and m.bus.read(0x37E8) == 0x30  # ready
    load(m, LPRINT_ROM)
    run_to_done(m)
    assert m.printer.text == '10 LPRINT "HELLO"\n20 END\n\n'
    m.close()
    assert (tmp_path / "lp.txt").read_text() == '10 LPRINT "HELLO"\n20 END\n\n\n'


def test_parallel_port_status_busy_and_absent() -> None:
    t = [0]
    port = ParallelPort(LinePrinter(cps=100), clock=lambda: t[0])
    assert port.status() == 0x30
    port.write(0x41)
    assert port.status() == 0x30 | BUSY
    t[0] = CLOCK_HZ // 100 + 1
    assert port.status() == 0x30
    port.printer.paper_out = True
    assert port.status() == 0x70
    port.printer.fault = True
    assert port.status() == 0x60
    m = TRS80(printer=None)
    assert m.bus.read(0x37E8) == 0xFF  # nothing there: Level II would wait forever
    assert TRS80(expansion=False).bus.read(0x37E8) == 0xFF


def test_line_printer_codes() -> None:
    lp = LinePrinter(width=8, lf_after_cr="ignore")
    for byte in b"ABCDEFGHIJ\r\nX\x08_\x0cNEXT\x00\xbf\r":
        lp.receive(byte)
    assert lp.paper.lines == ["ABCDEFGH", "IJ", "X\r_", "\fNEXT"]


# -- the commands --------------------------------------------------------------------------------

def test_standalone_printer_from_a_capture_file_in_strict_mode(tmp_path) -> None:
    capture = tmp_path / "capture.bin"
    capture.write_bytes(b"AB\r\n" + bytes(6) + b"CD\r\nEF")
    out = tmp_path / "paper.txt"
    result = CliRunner().invoke(main, ["printer", "--serial", f"file:{capture}", "--out",
                                       str(out), "--strict"])
    assert result.exit_code == 0, result.output
    assert out.read_text() == "AB\nCD\n"  # E and F came too soon after the LF
    assert "dropped 2 characters" in result.output


def test_standalone_printer_serves_an_emulated_trs80_over_tcp(tmp_path) -> None:
    out = tmp_path / "paper.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "z80emu", "printer", "--serial", "listen://127.0.0.1:0",
         "--out", str(out), "--strict", "--seconds", "60"],
        cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = None
        give_up = time.monotonic() + 30
        while port is None and time.monotonic() < give_up:
            line = proc.stderr.readline()
            if "listening on" in line:
                port = int(line.rsplit(":", 1)[1])
        assert port, "the printer did not start listening"
        m = TRS80(serial=f"socket://127.0.0.1:{port}")
        m.wait_for("READY", timeout=2.0)
        load_driver(m)
        load(m, lprint_program(b"PRINTED OVER TCP\rSECOND LINE\r"))
        run_to_done(m, seconds=30)
        m.run(seconds=1)
        m.close()
        give_up = time.monotonic() + 30
        while time.monotonic() < give_up and out.read_bytes().count(b"\n") < 2:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.read_text() == "PRINTED OVER TCP\nSECOND LINE\n"
    assert "2 lines printed" in err and "dropped" not in err


def test_run_command_prints_to_both_printers(tmp_path) -> None:
    from tests.printhelp import DRIVER_SOURCE
    from z80emu.asm import assemble

    # one image: the driver, then a job that prints P on the parallel port (by
    # hand, through 37E8h) and SERIAL on the TermiNet (through the driver)
    job = lprint_program(b"SERIAL\r").replace(
        "START:  LD      SP,6F00H",
        "START:  LD      SP,6F00H\n        LD      A,'P'\n        LD      (37E8H),A\n"
        "        LD      A,0DH\n        LD      (37E8H),A")
    image = assemble(DRIVER_SOURCE.read_text().replace("        END     SETUP", "") + job)
    assert image.ok, image.errors
    hexfile = tmp_path / "job.hex"
    hexfile.write_bytes(image.render("hex"))
    serial_out, parallel_out = tmp_path / "tn.txt", tmp_path / "lp.pdf"
    run = subprocess.run(
        [sys.executable, "-m", "z80emu", "run", str(hexfile), "--frontend", "headless",
         "--serial", f"terminet:out={serial_out},strict", "--printer", str(parallel_out),
         "--seconds", "3"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert serial_out.read_text() == "SERIAL\n"
    assert (tmp_path / "lp.txt").read_text() == "P\n"
    assert parallel_out.read_bytes().startswith(b"%PDF")
    assert "TermiNet 300 paper:" in run.stderr and "line printer paper:" in run.stderr


def test_run_command_refuses_a_bad_target(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["run", "--frontend", "headless", "--serial",
                                       "terminet:cps=7", "--seconds", "0.1"])
    assert result.exit_code != 0
    assert "10, 15 or 30" in result.output
    assert list(tmp_path.iterdir()) == []  # no paper record left behind
