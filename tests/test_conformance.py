"""The external suites: SingleStepTests and FUSE, on both execution paths.

Every test of each suite must pass, field for field (registers, WZ, Q, R,
T-states, memory, port writes).  The suites are read in place from
../shared/conformance; without it these tests skip and say where they live.
"""

from __future__ import annotations

import pytest

from tests.conftest import conformance_dir
from tests.suites import FUSE_SUPERSEDED, read_fuse, run_fuse_test, run_singlestep_file

SINGLESTEP_FILES = ["base", "cb", "dd", "fd", "ed", "ddcb", "fdcb"]
MODES = ["step", "block"]

pytestmark = pytest.mark.conformance


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("group", SINGLESTEP_FILES)
def test_singlestep(group: str, mode: str) -> None:
    path = conformance_dir("singlestep") / f"{group}.jsonl"
    count, failures = run_singlestep_file(path, mode)
    assert count >= 800, f"{path} holds only {count} tests"
    assert not failures, f"{len(failures)}/{count} failed:\n" + "\n".join(failures[:25])


@pytest.mark.parametrize("mode", MODES)
def test_fuse(mode: str) -> None:
    tests = read_fuse(conformance_dir("fuse"))
    assert len(tests) == 1356
    failures = []
    for name, given, want in tests:
        if name in FUSE_SUPERSEDED:
            continue
        bad = run_fuse_test(name, given, want, mode)
        if bad:
            failures.append(f"{name}: {'; '.join(bad[:6])}")
    assert not failures, f"{len(failures)} failed:\n" + "\n".join(failures[:25])


def test_fuse_superseded_cases_really_differ() -> None:
    """Each excluded FUSE case is one where our (SingleStepTests) answer differs."""
    tests = {name: (given, want) for name, given, want in read_fuse(conformance_dir("fuse"))}
    for name in FUSE_SUPERSEDED:
        given, want = tests[name]
        bad = run_fuse_test(name, given, want)
        assert bad, f"{name} passes: it should not be excluded"
        assert all(b.startswith(("af=", "wz=")) for b in bad), f"{name}: {bad}"
