"""What every printer here shares: a print line with a column, overprinting,
what happens past the last column, and paper motion (line feed, vertical tab,
form feed) onto a :class:`~z80emu.printers.paper.Paper`.

Facts: TRS80-REFERENCE.md §10.5-10.6 (a line of print positions; CR returns the
column, LF moves the paper, FF starts a new page). Behaviour the reference
leaves open is a setting here, with the choice documented where it is made:

* ``overflow``: what a printable character past the last column does.
  ``"drop"`` (the TermiNet default: a belt printer has one hammer per position
  and none beyond the last, so the character cannot be printed), ``"wrap"``
  (an automatic new line, then print: the generic line printer's default), or
  ``"pile"`` (struck again and again at the last position, like a teleprinter
  whose carriage is at its stop).
* ``vt_every``: vertical tab stops, every N lines from the top of form
  (default 6, one inch at 6 lines per inch); a VT below the last stop goes to
  the top of the next form.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from z80emu.printers.paper import Paper, encode_line

log = logging.getLogger(__name__)

OVERFLOW_MODES = ("drop", "wrap", "pile")


class Mechanism:
    """A print line of ``width`` positions over paper with forms of
    ``form_length`` lines. Subclasses decide which codes do what."""

    def __init__(self, paper: Paper | None = None, width: int = 80, form_length: int = 66,
                 overflow: str = "wrap", upper_only: bool = False, vt_every: int = 6) -> None:
        if width < 1:
            raise ValueError("the line must have at least one print position")
        if form_length < 1:
            raise ValueError("a form must have at least one line")
        if overflow not in OVERFLOW_MODES:
            raise ValueError(f"overflow must be one of {OVERFLOW_MODES}, not {overflow!r}")
        self.paper = paper if paper is not None else Paper()
        self.width = width
        self.form_length = form_length
        self.overflow = overflow
        self.upper_only = upper_only
        self.vt_every = max(1, vt_every)
        self.column = 0  # 0 = the first print position
        self.line_in_form = 0  # lines below the top of the current form
        self.lost_past_edge = 0  # characters dropped past the last column
        self._layers: list[list[str]] = []  # the passes struck on the current line
        self.listeners: list[Callable[[Mechanism], None]] = []  # told after each change

    # -- the print line ---------------------------------------------------------------
    def fold(self, ch: str) -> str:
        """The character the belt prints for ``ch`` (upper-case-only belts fold
        60h-7Eh onto 40h-5Eh, TRS80-REFERENCE.md §10.5)."""
        if self.upper_only and "\x60" <= ch <= "\x7e":
            return chr(ord(ch) - 0x20)
        return ch

    def strike(self, ch: str) -> None:
        """Print ``ch`` at the column and move one position right."""
        if self.column >= self.width:
            if self.overflow == "drop":
                self.lost_past_edge += 1
                return
            if self.overflow == "wrap":
                self.column = 0
                self.line_feed()
            else:  # pile: the last position is struck again
                self.column = self.width - 1
        ch = self.fold(ch)
        if ch != " ":
            for layer in self._layers:
                if layer[self.column] == " ":
                    layer[self.column] = ch
                    break
            else:
                layer = [" "] * self.width
                layer[self.column] = ch
                self._layers.append(layer)
        self.column += 1
        self._changed()

    def carriage_return(self) -> None:
        self.column = 0
        self._changed()

    def backspace(self) -> None:
        self.column = max(0, min(self.column, self.width) - 1)
        self._changed()

    def _take_line(self) -> list[str]:
        layers = ["".join(layer) for layer in self._layers]
        self._layers = []
        return layers

    @property
    def line_has_print(self) -> bool:
        return bool(self._layers)

    # -- paper motion -------------------------------------------------------------------
    def line_feed(self) -> int:
        """Move the paper one line (the current line goes into the record)."""
        self.paper.feed(self._take_line())
        self.line_in_form = (self.line_in_form + 1) % self.form_length
        self._changed()
        return 1

    def form_feed(self) -> int:
        """To the top of the next form; returns the lines the paper moved."""
        moved = self.form_length - self.line_in_form
        if self._layers:
            self.paper.feed(self._take_line())
        self.paper.form_feed()
        self.line_in_form = 0
        self._changed()
        return moved

    def vertical_tab(self) -> int:
        """To the next vertical tab stop; returns the lines the paper moved."""
        stop = (self.line_in_form // self.vt_every + 1) * self.vt_every
        if stop >= self.form_length:
            return self.form_feed()
        moved = stop - self.line_in_form
        self.paper.feed(self._take_line())
        for _ in range(moved - 1):
            self.paper.feed([])
        self.line_in_form = stop
        self._changed()
        return moved

    # -- looking at the paper ---------------------------------------------------------
    def current_layers(self) -> list[str]:
        """The passes struck on the line on the platen (empty: nothing printed yet)."""
        return ["".join(layer) for layer in self._layers]

    def current_line(self) -> str:
        """The line being printed, as it looks (a later pass shows over an earlier one)."""
        merged = [" "] * self.width
        for layer in self._layers:
            for i, ch in enumerate(layer):
                if ch != " ":
                    merged[i] = ch
        return "".join(merged).rstrip()

    @property
    def text(self) -> str:
        """Everything printed so far, in the record's format (lines joined by
        ``"\\n"``, overprint passes by ``"\\r"``, ``"\\f"`` before a line on a
        new form), ending with the line being printed."""
        lines = list(self.paper.lines)
        pending = "\f" * self.paper.pending_form_feeds
        if self._layers:
            lines.append(encode_line(["".join(x) for x in self._layers],
                                     self.paper.pending_form_feeds))
            pending = ""
        return "\n".join(lines) + pending

    def close(self) -> None:
        """End of the job: a line with print on it goes into the record, the
        record is closed (the paper is torn off), and rendered if the paper
        was asked to be (a .pdf or .png output)."""
        if self.paper.closed and self.paper.path is not None:
            return
        if self._layers:
            self.paper.feed(self._take_line())
        self.paper.close()
        if self.paper.render_to and self.paper.path:
            from z80emu.printers.render import Form, render

            form = Form(columns=self.width, form_length=self.form_length)
            try:
                render(self.paper.path, self.paper.render_to, form)
            except (OSError, ValueError) as exc:
                log.warning("%s: cannot render the printout: %s (the record %s is complete)",
                            self.paper.render_to, exc, self.paper.path)

    # -- save states ------------------------------------------------------------------
    def get_state(self) -> dict:
        """The mechanical state: the column, the line on the platen (its passes),
        the place in the form. The paper already printed is not part of it: it
        is on the record, and a restored printer carries on without reprinting."""
        return {"kind": type(self).__name__, "column": self.column,
                "line_in_form": self.line_in_form, "lost_past_edge": self.lost_past_edge,
                "layers": self.current_layers(),
                "pending_form_feeds": self.paper.pending_form_feeds}

    def set_state(self, state: dict) -> None:
        """Restore :meth:`get_state`'s dict (a line from a wider or narrower
        printer is cut or padded to this one's width). Fields are checked
        before anything changes (ValueError, KeyError, TypeError)."""
        layers = [list(str(layer)[:self.width].ljust(self.width)) for layer in state["layers"]]
        column = min(max(0, int(state["column"])), self.width)
        line_in_form = int(state["line_in_form"]) % self.form_length
        lost, form_feeds = int(state["lost_past_edge"]), int(state["pending_form_feeds"])
        self.column, self.line_in_form, self.lost_past_edge = column, line_in_form, lost
        self._layers = layers
        self.paper.pending_form_feeds = max(0, form_feeds)
        self._changed()

    def _changed(self) -> None:
        for listener in self.listeners:
            listener(self)
