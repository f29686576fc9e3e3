"""What the TRS-80's serial port is connected to, named the way ``--serial`` and
``TRS80(serial=...)`` name it (DESIGN.md, "The machine contract"):

================================  ===============================================
``terminet``                      the virtual GE TermiNet 300, in this process;
                                  options after a colon, comma-separated:
                                  ``terminet:out=paper.txt,cps=30,strict``
``file:PATH``                     raw bytes out, appended to PATH
``pty`` or ``pty:PATH``           a pseudo-terminal (POSIX); with PATH, a
                                  symlink to it there
``listen://HOST:PORT``            a TCP server taking one connection at a time
anything else                     a pyserial port or URL: ``/dev/ttyUSB0``,
                                  ``COM3``, ``socket://HOST:PORT``,
                                  ``rfc2217://HOST:PORT``, ``loop://``...
``none``                          nothing on the cable
================================  ===============================================

TermiNet options (see z80emu.printers.terminet for what each means):
``out=PATH`` (the paper record; default: kept in memory), ``cps=10|15|30``,
``width=N``, ``form=N`` (lines per form), ``upper`` (upper-case-only belt),
``strict`` (enforce the fill-character timing), ``overflow=drop|wrap|pile``,
``crfeeds`` (CR also feeds paper), ``vt=N`` (vertical tab stops every N lines),
``answerback=TEXT``, ``fsync`` (force each line to the disk).

>>> link = open_link("terminet:cps=15,upper")
>>> link.printer.cps, link.printer.upper_only, link.printer.baud
(15, True, 150)
>>> open_link("none").name
'nothing'
"""

from __future__ import annotations

import re

from z80emu.links.base import (
    DroppedLink,
    Frame,
    Link,
    LinkError,
    LinkLost,
    ModemLines,
)

__all__ = ["DroppedLink", "Frame", "Link", "LinkError", "LinkLost", "ModemLines",
           "open_link", "terminet_options"]

_FLAGS = {"upper": "upper_only", "strict": "strict", "crfeeds": "cr_feeds"}
_INTS = {"cps": "cps", "width": "width", "form": "form_length", "vt": "vt_every"}
_TEXTS = {"overflow": "overflow", "answerback": "answerback"}


def terminet_options(spec: str) -> tuple[dict, str | None, str]:
    """Parse ``key=value,flag,...`` into TermiNet300 keyword arguments, the
    record path (``out=``) and the paper's sync mode.

    >>> terminet_options("out=p.txt,cps=15,strict,fsync")
    ({'cps': 15, 'strict': True}, 'p.txt', 'fsync')
    """
    kwargs: dict = {}
    out = None
    sync = "flush"
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, eq, value = item.partition("=")
        key = key.lower()
        if key == "out" and eq:
            out = value
        elif key == "fsync" and not eq:
            sync = "fsync"
        elif key in _FLAGS and not eq:
            kwargs[_FLAGS[key]] = True
        elif key in _INTS and eq:
            try:
                kwargs[_INTS[key]] = int(value)
            except ValueError:
                raise LinkError(f"terminet: {key}= needs a number, not {value!r}") from None
        elif key in _TEXTS and eq:
            kwargs[_TEXTS[key]] = value.replace("\\r", "\r").replace("\\n", "\n")
        else:
            raise LinkError(
                f"terminet: unknown option {item!r} (known: out=PATH, cps=, width=, form=, "
                f"vt=, overflow=, answerback=, upper, strict, crfeeds, fsync)")
    return kwargs, out, sync


def open_terminet(spec: str = "") -> Link:
    """A TermiNetLink built from an option string (see :func:`terminet_options`)."""
    from z80emu.links.terminet import TermiNetLink
    from z80emu.printers.paper import Paper
    from z80emu.printers.terminet import TermiNet300

    kwargs, out, sync = terminet_options(spec)
    try:
        TermiNet300(**kwargs)  # check the settings before any file is made
    except ValueError as exc:
        raise LinkError(f"terminet: {exc}") from None
    try:
        paper = Paper(out, sync)
    except OSError as exc:
        raise LinkError(f"{out}: cannot write the paper record: {exc.strerror}") from None
    return TermiNetLink(TermiNet300(paper, **kwargs))


def open_link(target: str | Link | None, frame: Frame | None = None) -> Link:
    """The link named by ``target`` (a Link is returned as it is; None or
    ``"none"``: nothing). Raises LinkError with a one-line message when it
    cannot be opened."""
    if target is None:
        return Link()
    if isinstance(target, Link):
        return target
    text = str(target).strip()
    lower = text.lower()
    if lower in ("", "none"):
        return Link()
    if lower == "terminet" or lower.startswith("terminet:"):
        return open_terminet(text.partition(":")[2])
    if lower.startswith("file:"):
        from z80emu.links.local import FileLink

        path = text[5:]
        if not path:
            raise LinkError("file: needs a path (file:PATH)")
        return FileLink(path)
    if lower == "pty" or lower.startswith("pty:"):
        from z80emu.links.local import PtyLink

        return PtyLink(text[4:] or None)
    match = re.fullmatch(r"listen://(\[[^\]]*\]|[^:]*):(\d+)", text, re.IGNORECASE)
    if match:
        from z80emu.links.local import ListenLink

        return ListenLink(match.group(1).strip("[]") or "127.0.0.1", int(match.group(2)))
    if lower.startswith("listen:"):
        raise LinkError(f"{text}: write listen://HOST:PORT")
    from z80emu.links.serial_port import SerialLink

    return SerialLink(text, frame)
