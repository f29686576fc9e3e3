"""Render a paper record (see z80emu.printers.paper) as it would look torn off the
printer: fan-fold pages with tractor-feed strips, optional green bar, a
typewriter face at 10 characters per inch and 6 lines per inch, a new page at
each form feed and after every ``form_length`` lines; as a PDF (fpdf2, with the
Courier face built into every PDF reader, so the text can be searched and
copied) or as PNG pictures (Pillow).

Paper facts: standard continuous forms are 11 inches long with 1/2-inch
tractor strips on each side, holes of 5/32 inch every 1/2 inch, and come in
widths of 9 1/2 inches (80 columns at 10 per inch) to 14 7/8 inches (up to 132
columns); green-bar forms shade bands of three lines (half an inch). The 10
per inch and 6 per inch pitch of the TermiNet is UNVERIFIED
(TRS80-REFERENCE.md §10.5) and is a setting of :class:`Form`.

>>> form = Form(columns=118)
>>> form.paper_width, form.paper_height
(14.875, 11.0)
>>> paginate(parse_record("A\\nB\\n\\x0cC\\n"), form)
[[['A'], ['B']], [['C']]]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import cache

from z80emu.printers.paper import parse_record

# Standard fan-fold widths, inches, with 1/2-inch tractor strips on each side.
PAPER_WIDTHS = (9.5, 11.0, 12.0, 14.875, 15.5, 16.0)
TRACTOR = 0.5
HOLE_PITCH = 0.5
HOLE_DIAMETER = 5 / 32
SIDE_GAP = 0.25  # at least this between the tractor perforation and the print

INK = (38, 38, 48)  # a black ribbon, a little worn
GREEN = (214, 236, 214)
HOLE = (150, 150, 150)
PERFORATION = (170, 170, 170)
PAPER = (252, 252, 246)

Page = list[list[str]]  # each line: its overprint layers


@dataclass(frozen=True)
class Form:
    """The continuous form the record is printed on."""

    columns: int = 118  # print positions (the record may widen it)
    form_length: int = 66  # lines from one top of form to the next
    cpi: float = 10.0  # characters per inch
    lpi: float = 6.0  # lines per inch
    green_bar: bool = True
    bar_lines: int = 3  # lines per shaded band

    @property
    def print_width(self) -> float:
        return self.columns / self.cpi

    @property
    def paper_width(self) -> float:
        """The narrowest standard width whose space between the strips holds the line."""
        need = self.print_width + 2 * SIDE_GAP + 2 * TRACTOR
        for width in PAPER_WIDTHS:
            if width >= need:
                return width
        return need

    @property
    def paper_height(self) -> float:
        return self.form_length / self.lpi

    @property
    def left(self) -> float:
        """Inches from the paper's left edge to the first print position (centred)."""
        return (self.paper_width - self.print_width) / 2


def form_for(record: str, form: Form) -> Form:
    """``form``, widened if the record has longer lines than its columns."""
    longest = max((len(layer) for _, layers in parse_record(record) for layer in layers),
                  default=0)
    return replace(form, columns=longest) if longest > form.columns else form


def paginate(entries: list[tuple[int, list[str]]], form: Form) -> list[Page]:
    """Split parsed record lines into pages: a form feed starts a new page, and
    so does running past the form length. An empty last page is dropped."""
    pages: list[Page] = [[]]
    for form_feeds, layers in entries:
        for _ in range(form_feeds):
            pages.append([])
        if not layers:
            continue
        if len(pages[-1]) >= form.form_length:
            pages.append([])
        pages[-1].append(layers)
    if len(pages) > 1 and not pages[-1]:
        pages.pop()
    return pages


def read_record(path: str | os.PathLike) -> str:
    """The text of a record file (bytes taken one to one, as the printer wrote them)."""
    with open(path, "rb") as f:
        return f.read().decode("latin-1")


# -- PDF ---------------------------------------------------------------------------------

def render_pdf(record: str, out: str | os.PathLike, form: Form | None = None,
               title: str = "z80emu printout") -> int:
    """Write the record as a PDF; returns the number of pages."""
    from fpdf import FPDF

    form = form_for(record, form or Form())
    pages = paginate(parse_record(record), form)
    pt = 72.0
    width, height = form.paper_width * pt, form.paper_height * pt
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(title)
    pdf.set_creator("z80emu")
    size = pt / form.cpi / 0.6  # Courier's advance is 0.6 em: 12 pt at 10 per inch
    for lines in pages:
        pdf.add_page()
        _pdf_paper(pdf, form, width, height)
        pdf.set_font("Courier", size=size)
        pdf.set_text_color(*INK)
        for row, layers in enumerate(lines):
            y = (row + 0.78) / form.lpi * pt
            for layer in layers:
                if layer.strip():
                    pdf.text(form.left * pt, y, layer.rstrip())
    pdf.output(os.fspath(out))
    return len(pages)


def _pdf_paper(pdf, form: Form, width: float, height: float) -> None:
    pt = 72.0
    strip = TRACTOR * pt
    pdf.set_fill_color(*PAPER)
    pdf.rect(0, 0, width, height, style="F")
    if form.green_bar:
        pdf.set_fill_color(*GREEN)
        band = form.bar_lines / form.lpi * pt
        y = 0.0
        while y < height:
            pdf.rect(strip, y, width - 2 * strip, min(band, height - y), style="F")
            y += 2 * band
    pdf.set_draw_color(*PERFORATION)
    pdf.set_line_width(0.5)
    pdf.set_dash_pattern(dash=2, gap=2)
    pdf.line(strip, 0, strip, height)
    pdf.line(width - strip, 0, width - strip, height)
    pdf.line(0, 0.5, width, 0.5)
    pdf.set_dash_pattern()
    pdf.set_fill_color(*HOLE)
    d = HOLE_DIAMETER * pt
    y = HOLE_PITCH / 2 * pt
    while y < height:
        for x in (strip / 2, width - strip / 2):
            pdf.ellipse(x - d / 2, y - d / 2, d, d, style="F")
        y += HOLE_PITCH * pt


# -- PNG ---------------------------------------------------------------------------------

# Typewriter-like monospaced faces, best first (Nimbus Mono and Liberation Mono
# have Courier's shapes and metrics); any is fine because every character is
# placed in its own cell.
FONT_CANDIDATES = (
    "NimbusMonoPS-Regular.otf", "NimbusMonoPS-Regular.ttf", "LiberationMono-Regular.ttf",
    "cour.ttf", "Courier New.ttf", "Courier.ttc", "FreeMono.ttf", "DejaVuSansMono.ttf",
)


@cache
def _font(size: int):
    from PIL import ImageFont

    for name in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def render_images(record: str, form: Form | None = None, dpi: int = 100) -> list:
    """The record's pages as Pillow images."""
    from PIL import Image, ImageDraw

    form = form_for(record, form or Form())
    pages = paginate(parse_record(record), form)
    w, h = round(form.paper_width * dpi), round(form.paper_height * dpi)
    font = _font(max(6, round(dpi / form.cpi / 0.6)))
    images = []
    for lines in pages:
        image = Image.new("RGB", (w, h), PAPER)
        draw = ImageDraw.Draw(image)
        _png_paper(draw, form, w, h, dpi)
        cell = dpi / form.cpi
        for row, layers in enumerate(lines):
            y = (row + 0.78) / form.lpi * dpi
            for layer in layers:
                for col, ch in enumerate(layer):
                    if ch != " ":
                        x = form.left * dpi + col * cell
                        draw.text((x, y), ch, fill=INK, font=font, anchor="ls")
        images.append(image)
    return images


def _png_paper(draw, form: Form, w: int, h: int, dpi: int) -> None:
    strip = round(TRACTOR * dpi)
    if form.green_bar:
        band = form.bar_lines / form.lpi * dpi
        y = 0.0
        while y < h:
            draw.rectangle([strip, round(y), w - strip, round(min(y + band, h)) - 1], fill=GREEN)
            y += 2 * band
    dash = max(2, dpi // 36)
    for x in (strip, w - strip):
        for y in range(0, h, 2 * dash):
            draw.line([(x, y), (x, y + dash - 1)], fill=PERFORATION)
    for x in range(0, w, 2 * dash):
        draw.line([(x, 0), (x + dash - 1, 0)], fill=PERFORATION)
    r = HOLE_DIAMETER * dpi / 2
    y = HOLE_PITCH / 2 * dpi
    while y < h:
        for x in (strip / 2, w - strip / 2):
            draw.ellipse([x - r, y - r, x + r, y + r], fill=HOLE)
        y += HOLE_PITCH * dpi


def render_png(record: str, out: str | os.PathLike, form: Form | None = None,
               dpi: int = 100) -> list[str]:
    """Write the record's pages as PNG files: ``out`` itself for one page,
    else ``stem-1.png``, ``stem-2.png``...; returns the paths written."""
    images = render_images(record, form, dpi)
    out = os.fspath(out)
    if len(images) == 1:
        paths = [out]
    else:
        stem, ext = os.path.splitext(out)
        paths = [f"{stem}-{i}{ext or '.png'}" for i in range(1, len(images) + 1)]
    for image, path in zip(images, paths):
        image.save(path, dpi=(dpi, dpi))
    return paths


def render(record_path: str | os.PathLike, out: str | os.PathLike,
           form: Form | None = None, dpi: int = 100) -> list[str]:
    """Render the record file at ``record_path`` to ``out`` (.pdf or .png);
    returns the files written."""
    record = read_record(record_path)
    out = os.fspath(out)
    if out.lower().endswith(".pdf"):
        render_pdf(record, out, form, title=os.path.basename(os.fspath(record_path)))
        return [out]
    if out.lower().endswith(".png"):
        return render_png(record, out, form, dpi)
    raise ValueError(f"{out}: the output must end in .pdf or .png")


def paper_strip(printer, lines: int = 12, dpi: int = 60):
    """The last ``lines`` lines of ``printer``'s paper (a TermiNet300 or
    LinePrinter), ending with the line on the platen, as a Pillow image in the
    same style as the pages: for a frontend that shows the paper growing as the
    characters arrive (:class:`PaperStrip` keeps one up to date cheaply)."""
    return PaperStrip(printer, lines, dpi).image


class PaperStrip:
    """:func:`paper_strip`'s picture kept up to date as ``printer`` prints.

    Drawing the whole strip costs about 15 ms (every character is a FreeType
    call), too much to do for each character at 30 a second, so :meth:`update`
    redraws only what changed: a character struck on the line on the platen is
    drawn alone; when the paper moves n lines (and ``dpi`` is a multiple of 6,
    so that a line is a whole number of pixels) the picture is scrolled up n
    lines and only the rows below the old platen line are drawn again (green
    bar, tractor holes and text move with the paper, as on the real thing).
    Anything else (a form feed, the top of a new form, a restored state, a
    line struck differently) draws the whole strip again. The result is the
    same as :func:`paper_strip` but for antialiased edge pixels where a glyph
    reaches into the next row."""

    def __init__(self, printer, lines: int = 12, dpi: int = 60) -> None:
        from PIL import Image

        self.printer = printer
        self.lines = max(1, lines)
        self.dpi = dpi
        self.form = Form(columns=printer.width, form_length=printer.form_length)
        self.line_h = dpi / self.form.lpi
        self.size = (round(self.form.paper_width * dpi), round(self.lines * self.line_h))
        self.image = Image.new("RGB", self.size, PAPER)
        self._font = _font(max(6, round(dpi / self.form.cpi / 0.6)))
        self._cell = dpi / self.form.cpi
        self._strip = round(TRACTOR * dpi)
        self._drawn: tuple[int, int, int] | None = None  # (record lines, line in form, FFs)
        self._layers: list[str] = []  # the platen line as drawn
        self.redraws = 0  # whole-strip drawings (for tests and measurements)
        self._draw_all()

    # -- keeping up --------------------------------------------------------------------
    def update(self) -> tuple[int, int, int, int] | None:
        """Bring the picture up to date; the box (left, top, right, bottom) that
        changed, or None when the paper has not changed since the last call."""
        printer = self.printer
        now = (len(printer.paper.lines), printer.line_in_form, printer.paper.pending_form_feeds)
        layers = printer.current_layers()
        if now == self._drawn:
            if layers == self._layers:
                return None
            if _adds_to(self._layers, layers):
                return self._strike(layers)
            return self._redraw_rows(self.lines - 1, layers)
        fed = now[0] - self._drawn[0]
        scrolls = (0 < fed < self.lines and now[1] == self._drawn[1] + fed
                   and now[2] == self._drawn[2] and float(self.line_h).is_integer())
        if not scrolls:
            self._draw_all()
            return (0, 0, *self.size)
        lh = int(self.line_h)
        w, h = self.size
        self.image.paste(self.image.crop((0, fed * lh, w, h)), (0, 0))
        self._drawn = now
        self._redraw_rows(self.lines - 1 - fed, layers)
        return (0, 0, w, h)

    def _draw_all(self) -> None:
        self.redraws += 1
        self._drawn = None
        self._redraw_rows(0, self.printer.current_layers())

    def _rows(self, layers: list[str]) -> list[list[str]]:
        """The layers of the strip's rows from the top (blank paper: [])."""
        record = self.printer.paper.lines
        past = record[max(0, len(record) - (self.lines - 1)):]
        rows = [line.lstrip("\f").split("\r") for line in past] + [layers or [""]]
        return [[] for _ in range(self.lines - len(rows))] + rows

    def _redraw_rows(self, first: int, layers: list[str]) -> tuple[int, int, int, int]:
        """Draw rows ``first``.. to the bottom again, from the printer's state."""
        from PIL import ImageDraw

        printer = self.printer
        w, h = self.size
        draw = ImageDraw.Draw(self.image)
        lh = self.line_h
        top = round(first * lh)
        draw.rectangle([0, top, w - 1, h - 1], fill=PAPER)
        for i in range(first, self.lines):
            form_line = (printer.line_in_form - (self.lines - 1 - i)) % self.form.form_length
            if self.form.green_bar and (form_line // self.form.bar_lines) % 2 == 0:
                draw.rectangle([self._strip, round(i * lh), w - self._strip,
                                round((i + 1) * lh) - 1], fill=GREEN)
        rows = self._rows(layers)
        for i in range(first, self.lines):
            for layer in rows[i]:
                for col, ch in enumerate(layer):
                    if ch != " ":
                        self._char(draw, i, col, ch)
        r = HOLE_DIAMETER * self.dpi / 2
        y = HOLE_PITCH / 2 * self.dpi - (printer.line_in_form % 3) * lh
        while y < h + r:
            if y + r >= top - 1:
                for x in (self._strip / 2, w - self._strip / 2):
                    draw.ellipse([x - r, y - r, x + r, y + r], fill=HOLE)
            y += HOLE_PITCH * self.dpi
        self._drawn = (len(printer.paper.lines), printer.line_in_form,
                       printer.paper.pending_form_feeds)
        self._layers = list(layers)
        return (0, max(0, top - 1), w, h)

    def _strike(self, layers: list[str]) -> tuple[int, int, int, int]:
        """Draw the characters struck on the platen line since the last update."""
        from PIL import ImageDraw

        draw = ImageDraw.Draw(self.image)
        row = self.lines - 1
        left, right = self.size[0], 0
        for j, layer in enumerate(layers):
            old = self._layers[j] if j < len(self._layers) else ""
            for col, ch in enumerate(layer):
                if ch != " " and (col >= len(old) or old[col] == " "):
                    self._char(draw, row, col, ch)
                    x = self.form.left * self.dpi + col * self._cell
                    left = min(left, int(x - self._cell))
                    right = max(right, int(x + 2 * self._cell))
        self._layers = list(layers)
        top = max(0, round(row * self.line_h) - 1)
        return (max(0, left), top, min(self.size[0], right), self.size[1])

    def _char(self, draw, row: int, col: int, ch: str) -> None:
        draw.text((self.form.left * self.dpi + col * self._cell, (row + 0.78) * self.line_h),
                  ch, fill=INK, font=self._font, anchor="ls")


def _adds_to(old: list[str], new: list[str]) -> bool:
    """True when ``new`` is ``old`` with characters added (nothing struck out)."""
    if len(new) < len(old):
        return False
    for a, b in zip(old, new):
        if len(a) != len(b) or any(x != " " and x != y for x, y in zip(a, b)):
            return False
    return True
