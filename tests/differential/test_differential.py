"""
Differential test: random querysets on djongo and on SQLite must agree.

``test_fixed_seed`` runs DJONGO_DIFF_COUNT (default 500) querysets from the
fixed seed FIXED_SEED and fails when any disagree. ``test_random_seed`` runs
as many from a seed taken fresh on each run (or DJONGO_DIFF_SEED), prints
the disagreements and never fails. See docs/differential-testing.md.
"""
import os
import random

import pytest

from tests.differential.generator import Generator
from tests.differential.harness import run_cases, summary

FIXED_SEED = 20261121
COUNT = int(os.environ.get("DJONGO_DIFF_COUNT", "500"))


def _run(seed, replay):
    """Generate COUNT cases from ``seed``, run them, return (failures, report)."""
    cases = Generator(seed).cases(COUNT)
    failures, both_raised = run_cases(cases)
    return failures, summary(failures, len(cases), both_raised, seed, replay)


@pytest.mark.usefixtures("seeded_databases")
def test_fixed_seed():
    """Fail when any queryset of the fixed seed returns different results on djongo and SQLite."""
    failures, report = _run(FIXED_SEED, f"DJONGO_DIFF_COUNT={COUNT} python -m pytest tests/differential -q -k fixed_seed")
    if failures:
        pytest.fail(report, pytrace=False)


@pytest.mark.usefixtures("seeded_databases")
def test_random_seed():
    """Run querysets from a fresh seed (or $DJONGO_DIFF_SEED); print disagreements, never fail."""
    seed = int(os.environ.get("DJONGO_DIFF_SEED") or random.SystemRandom().randrange(2**32))
    _, report = _run(
        seed, f"DJONGO_DIFF_SEED={seed} DJONGO_DIFF_COUNT={COUNT} python -m pytest tests/differential -q -s -k random_seed",
    )
    print(report)
