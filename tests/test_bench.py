"""The benchmark workloads: their images, their counts and their results on our CPU.

Nothing here is timed: speed is for ``z80emu bench`` to report, not for tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from z80emu import bench
from z80emu.cli import main

WORKLOADS = list(bench.WORKLOADS.values())
IDS = list(bench.WORKLOADS)


def test_sieve_reference_counts_1028_primes() -> None:
    flags = bench.expected_sieve_flags()
    # Flags 0 and 1 are never cleared by the program; the rest mark the primes.
    assert sum(flags[2:]) == bench.PRIMES_BELOW_8192 == 1028
    assert flags[8191] == 1  # 8191 = 2^13 - 1 is prime


@pytest.mark.parametrize("workload", WORKLOADS, ids=IDS)
def test_pass_count_is_patched_into_ld_bc(workload) -> None:
    image = workload.image(0x1234)
    offset = workload.passes_operand - workload.origin
    assert image[offset - 1] == 0x01  # LD BC,nn
    assert image[offset : offset + 2] == b"\x34\x12"
    for bad in (0, bench.MAX_PASSES + 1):
        with pytest.raises(ValueError):
            workload.image(bad)


@pytest.mark.parametrize("workload", WORKLOADS, ids=IDS)
def test_listing_assembles_to_the_same_bytes_with_pasmo(workload, tmp_path) -> None:
    """An independent assembler agrees with the hand assembly (when pasmo is installed)."""
    pasmo = shutil.which("pasmo")
    if pasmo is None:
        pytest.skip("pasmo is not installed (apt-get install pasmo)")
    src = tmp_path / f"{workload.name}.asm"
    src.write_text(workload.source)
    out = tmp_path / f"{workload.name}.bin"
    subprocess.run([pasmo, "--bin", str(src), str(out)], check=True, capture_output=True)
    assert out.read_bytes() == workload.code


@pytest.mark.parametrize("workload", WORKLOADS, ids=IDS)
def test_listing_assembles_to_the_same_bytes_with_our_assembler(workload) -> None:
    from z80emu.asm import assemble

    result = assemble(workload.source)
    assert result.ok, result.errors
    assert result.binary() == workload.code


@pytest.mark.parametrize("workload", WORKLOADS, ids=IDS)
@pytest.mark.parametrize("passes", [1, 3])
def test_workload_gives_the_right_result_on_our_cpu(workload, passes) -> None:
    core = bench.OurCore()
    m = bench.run_workload(core, workload, passes)
    assert m.ok, m.error
    # The program's last instruction is its HALT, exactly at the counted T-states.
    assert core.cpu.cycles == m.tstates == workload.counts(passes)[1]


def step_counts(workload, passes: int) -> tuple[int, int]:
    """Single-step a workload to its HALT: (instructions, T-states)."""
    from z80emu.cpu import Z80

    mem = bytearray(0x10000)
    image = workload.image(passes)
    mem[workload.origin : workload.origin + len(image)] = image
    cpu = Z80(memory=mem)
    cpu.pc = workload.origin
    instructions = tstates = 0
    limit = workload.counts(passes)[0] + 10
    while not cpu.halted and instructions < limit:
        tstates += cpu.step()
        instructions += 1
    assert cpu.halted
    return instructions, tstates


@pytest.mark.parametrize("workload", WORKLOADS, ids=IDS)
def test_counts_agree_with_single_stepping(workload) -> None:
    one = step_counts(workload, 1)
    assert one == workload.counts(1)
    if workload.name == "mix":  # cheap enough to confirm the per-pass part too
        assert step_counts(workload, 2) == workload.counts(2)


def test_a_wrong_result_is_reported() -> None:
    core = bench.OurCore()
    workload = bench.WORKLOADS["sieve"]
    instructions, tstates = workload.counts(1)
    core.load(workload.image(1), workload.origin)
    core.run(instructions, tstates)
    core.memory()[bench.SIEVE_COUNT] ^= 1
    with pytest.raises(bench.WorkloadError, match="1028"):
        workload.check(core.memory(), 1)


def test_bench_command_json_on_our_core() -> None:
    result = CliRunner().invoke(
        main, ["bench", "--core", "z80emu", "--passes", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["cores"] == {"z80emu": "ok"}
    assert [r["workload"] for r in doc["results"]] == ["mix", "sieve"]
    for r in doc["results"]:
        assert r["ok"] and r["passes"] == 1
        assert r["ips"] > 0 and r["mhz"] > 0
        assert r["model1_multiple"] == pytest.approx(r["mhz"] / bench.MODEL_I_MHZ, rel=1e-2)


def test_bench_table_output() -> None:
    result = CliRunner().invoke(main, ["bench", "--core", "z80emu", "--passes", "1"])
    assert result.exit_code == 0, result.output
    assert "x Model I" in result.stdout
    assert "mix" in result.stdout and "sieve" in result.stdout


class _BrokenCore(bench.OurCore):
    """Our CPU, but the run is skipped: the program never reaches its HALT."""

    def run(self, instructions: int, tstates: int) -> None:
        pass


def test_bench_exits_non_zero_when_our_result_is_wrong(monkeypatch) -> None:
    monkeypatch.setitem(bench.CORES, "z80emu", _BrokenCore)
    result = CliRunner().invoke(
        main, ["bench", "--core", "z80emu", "--passes", "1", "--workload", "mix"]
    )
    assert result.exit_code == 1
    assert "HALT" in result.stderr


def test_other_core_not_installed_is_reported(monkeypatch) -> None:
    class Absent(bench.Z80PythonCore):
        package = "no_such_package_for_z80emu_tests"

    monkeypatch.setitem(bench.CORES, "z80-python", Absent)
    core, why = bench.core_status("z80-python")
    assert core is None and why == "not installed"


def test_choose_passes_stays_in_range() -> None:
    assert bench.choose_passes(0.5, 2.0) == 4
    assert bench.choose_passes(10.0, 1.0) == 1
    assert bench.choose_passes(0.0, 1.0) == bench.MAX_PASSES
    assert bench.choose_passes(1e-9, 1.0) == bench.MAX_PASSES


@pytest.mark.parametrize("name", ["z80-python", "z80"])
def test_other_cores_run_the_workloads_when_installed(name) -> None:
    core, why = bench.core_status(name)
    if core is None:
        pytest.skip(f"{name}: {why}")
    for workload in WORKLOADS:
        m = bench.run_workload(core, workload, 1)
        assert m.ok, m.error
