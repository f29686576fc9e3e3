"""The hand-assembly monitor: POKE, PEEK, assemble, disassemble, step, time, and
write a BASIC loader, on a bare 64 KB Z80 or a TRS-80 Model I.

It is a ``cmd.Cmd`` shell in the py65 tradition, with short aliases (``a`` asm,
``d`` dis, ``m`` mem, ``r`` regs, ``z``/``s`` step, ``g`` go), history, and
``help`` for every command. Numbers are hex (``7F00``); ``#`` marks decimal
(``#32512``). ``docs/monitor.md`` is the tour; the parts are one job each:

===========  ================================================================
values       reading numbers, addresses, byte lists and symbol files
target       the machine behind the monitor: bare Z80 or TRS-80, its memory map
runner       running: breakpoints, watchpoints, why a run stopped
display      disassembly lines, registers, dumps
shell        the commands (:class:`Monitor`)
cli          the ``z80emu monitor`` command
===========  ================================================================

Scripting and tests drive it through any text streams:

>>> import io
>>> from z80emu.monitor import Monitor
>>> out = io.StringIO()
>>> Monitor(stdin=io.StringIO("poke 7F00 3E 41 C9\\npeek 7F01\\n"), stdout=out,
...         echo=False).cmdloop()
>>> print(out.getvalue().replace("z80> ", ""), end="")
7F00: 3E 41 C9
7F01: 41  #65  'A'
<BLANKLINE>

Embedding in a frontend (a hotkey that breaks into the monitor with the machine
paused)::

    monitor = Monitor(machine=trs80, stdin=..., stdout=..., embedded=True)
    # on the hotkey:
    monitor.cmdloop()            # returns on 'go' (monitor.result == "go") or 'quit'
    # while running, let the monitor run the machine when it needs to watch it:
    if monitor.wants_control:    # breakpoints, watchpoints or a 'go ADDR' return
        stop = monitor.run_for(tstates)  # instead of trs80.run(tstates=...)
        if stop is not None:
            monitor.cmdloop()    # shows why it stopped, then takes commands
    else:
        trs80.run(tstates=tstates)

``machine`` may be a ``TRS80``, a ``Z80`` or None (a new bare 64 KB Z80).
Embedded, ``go`` and ``jump`` leave the loop instead of running the machine.
"""

from __future__ import annotations

from .runner import Stop
from .shell import Monitor
from .values import MonitorError

__all__ = ["Monitor", "MonitorError", "Stop"]
