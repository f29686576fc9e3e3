"""Print on the virtual GE TermiNet 300 through the emulated RS-232-C board, from
Python, and keep the printout as text, PDF and a PNG picture.

What runs: a Model I with the project's own ROM and a TermiNet on the serial
cable (strict mode, so any missing fill character would show). The driver from
terminet.asm is loaded at 7F00h and set up as X=USR(0) would; then a small Z80
program sends each character of the job through 003Bh, the Level II entry that
hands a character to the printer DCB, which is how LPRINT and LLIST reach a
printer driver. The job is a banner and the listing of TERMINET.BAS, as LLIST
would send it. (The project's ROM has no BASIC yet, so this script plays
LPRINT's part; with a Level II ROM, RUN TERMINET.BAS does the same.)

    python examples/terminet/printout.py [OUTDIR]

writes OUTDIR/printout.txt (the paper record), printout.pdf and printout.png;
docs/images/terminet-printout.png is the top of that page.
"""

from __future__ import annotations

import sys
from pathlib import Path

from z80emu import TRS80
from z80emu.asm import assemble
from z80emu.printers.render import Form, read_record, render_images, render_pdf

HERE = Path(__file__).resolve().parent

JOB = """
        ORG     6000H
START:  LD      SP,6F00H
        CALL    7F00H           ; the driver's SETUP: 300 baud, 8N1, hook 4026h
        LD      HL,TEXT
NEXT:   LD      A,(HL)
        OR      A
        JR      Z,DONE
        PUSH    HL
        CALL    003BH           ; to the printer DCB, as LPRINT does
        POP     HL
        INC     HL
        JR      NEXT
DONE:   LD      A,0AAH
        LD      (6FFFH),A
STOP:   JR      STOP
TEXT:   DB      {text},0
        END     START
"""


def job_text() -> bytes:
    banner = [
        "Z80EMU - TRS-80 MODEL I - RS-232-C INTERFACE 26-1145 - GE TERMINET 300",
        "300 BAUD, 8 DATA BITS, NO PARITY, 1 STOP BIT: 30 CHARACTERS A SECOND",
        "",
        "LLIST",
    ]
    listing = (HERE / "terminet.bas").read_text().splitlines()
    return "".join(line + "\r" for line in banner + listing).encode("ascii")


def print_job(out: Path) -> str:
    """Run the job; returns the paper record."""
    record = out / "printout.txt"
    if record.exists():
        record.unlink()
    machine = TRS80(serial=f"terminet:out={record},strict")
    machine.wait_for("READY", timeout=2.0)
    for source in ((HERE / "terminet.asm").read_text(),
                   JOB.format(text=",".join(str(b) for b in job_text()))):
        program = assemble(source)
        program.check()
        for segment in program.segments:
            machine.poke(segment.address, segment.data)
    machine.cpu.pc = 0x6000
    done = lambda: machine.memory[0x6FFF] == 0xAA  # noqa: E731
    machine.run(seconds=600, until=done)
    machine.run(seconds=2)  # the last characters on the line
    tn = machine.terminet
    seconds = machine.cpu.cycles / 1_774_080
    print(f"{len(tn.paper.lines)} lines, {len(tn.arrivals)} characters on the line, "
          f"{seconds:.1f} emulated seconds, {len(tn.dropped)} dropped")
    machine.close()
    return read_record(record)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    out.mkdir(parents=True, exist_ok=True)
    record = print_job(out)
    form = Form(columns=118)
    render_pdf(record, out / "printout.pdf", form, title="TERMINET.BAS on a TermiNet 300")
    page = render_images(record, form, dpi=100)[0]
    page.save(out / "printout.png")
    top = page.crop((0, 0, page.width, 400))  # the first 24 lines
    images = HERE.parents[1] / "docs" / "images"
    images.mkdir(parents=True, exist_ok=True)
    top.save(images / "terminet-printout.png", optimize=True)
    print(f"wrote {out / 'printout.txt'}, printout.pdf, printout.png and "
          f"{images / 'terminet-printout.png'}")


if __name__ == "__main__":
    main()
