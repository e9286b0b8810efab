"""Fuzzed inputs of every kind the hostile test found: no crash, no good record lost,
every bad record or file reported (benchmarks/fuzz_inputs.py; the long run is
benchmarks/bench_reliability.py, figures in RELIABILITY.md)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import fuzz_inputs  # noqa: E402
import fuzz_run  # noqa: E402

from aliansi.pipeline import Pipeline  # noqa: E402


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


@pytest.mark.parametrize("seed", [1, 2])
def test_fuzz_no_crash_and_no_good_record_lost(tmp_path, pipeline, seed):
    cases = list(fuzz_inputs.cases(len(fuzz_inputs.KINDS) * 8, seed=seed))
    tally = fuzz_run.run(cases, tmp_path, batch=48, pipeline=pipeline)
    assert tally.inputs == len(cases)
    assert (tally.crashes, tally.lost) == (0, 0), tally.examples
    always_bad = sum(1 for c in cases if c.kind in ("deep", "huge-number", "surrogate",
                                                    "id-collision", "empty", "binary"))
    assert tally.reported >= always_bad      # each named (the rest may be valid input)
