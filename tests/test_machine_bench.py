"""The machine benchmark runs and reports (no timing is asserted: speed is
measured by the benchmark, never by tests)."""

from __future__ import annotations

import pytest

from z80emu.machines.benchmark import format_result, machine_benchmark


@pytest.mark.parametrize("workload", ["print", "compute"])
def test_benchmark_reports(workload: str) -> None:
    result = machine_benchmark(workload, seconds=0.2, repeat=1)
    assert result.bare_mhz > 0 and result.machine_mhz > 0 and result.machine_every_frame_mhz > 0
    text = format_result(result)
    assert "x Model I" in text and "over the bare CPU" in text
    assert set(result.as_dict()) >= {"bare_x", "machine_x", "overhead_percent"}


def test_unknown_workload() -> None:
    with pytest.raises(ValueError, match="unknown workload"):
        machine_benchmark("nothing", seconds=0.1, repeat=1)
